import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VaratlasError } from '../errors.js';
import { defaultSuppression } from '../stats/suppression.js';
import fc from 'fast-check';
import { applyMasks, coordinateSuppression, gridPeriod, gridRows, regionRows, type GridRow } from './publication-grid.js';
import { GridUnprotectable, gridRowKey } from './grid-suppression.js';
import { AttackerModel, sumOf } from '../test-support/disclosure-lp.js';
import { isWithheld, providerTypes, type RateRow, type RateTable } from './rate-row.js';

// Helse Nord as the outside probe saw it (pilonidal, 2023 = 39: UNN 18, Nordland 10, Helgeland 9,
// Finnmark 2), next to a second region, over two years; private counts as in the probe's groin hernia case.
const years = [2022, 2023];
const areas: Record<string, { region: string; events: number[]; private: number[] }> = {
  UNN: { region: 'NORD', events: [20, 18], private: [6, 5] },
  NORDLAND: { region: 'NORD', events: [11, 10], private: [5, 7] },
  HELGELAND: { region: 'NORD', events: [12, 9], private: [6, 6] },
  FINNMARK: { region: 'NORD', events: [7, 2], private: [5, 1] },
  OSLO: { region: 'SOR', events: [40, 44], private: [20, 24] },
  AKERSHUS: { region: 'SOR', events: [30, 31], private: [15, 10] },
};
const est = { value: 1, lower: 0, upper: 2 };

function row(unit: string, year: number | null, events: number, priv: number): RateRow {
  return {
    unit, unitName: unit, national: unit === 'national', year, events, patients: events, population: 10_000,
    crudeRate: est, standardisedRate: est, observedExpected: { ...est, expected: 1 }, expected: 1,
    providers: { public: events - priv, private: priv, contract_specialist: 0 }, privateShare: est, contractSpecialistShare: est,
  };
}

function tables(): { area: RateTable; region: RateTable; regionOf: Map<string, string> } {
  const groups = (unitOf: (a: string) => string) => {
    const rows: RateRow[] = [];
    const units = [...new Set(Object.keys(areas).map(unitOf))];
    for (const frame of [...years, null]) {
      for (const unit of [...units, 'national']) {
        const members = Object.keys(areas).filter((a) => unit === 'national' || unitOf(a) === unit);
        const pick = (f: (a: string) => number[]) => members.reduce((s, a) => s + (frame === null ? f(a).reduce((x, y) => x + y, 0) : f(a)[years.indexOf(frame)]!), 0);
        rows.push(row(unit, frame, pick((a) => areas[a]!.events), pick((a) => areas[a]!.private)));
      }
    }
    return rows;
  };
  const base = { service: { id: 'pilonidal', name: { nb: 'p', en: 'p' }, counts: 'episodes' }, years: [2022, 2023] as [number, number], standard: '', multiplier: 1e5, confidence: 0.95, minEvents: 10 };
  return {
    area: { ...base, level: 'area', rows: groups((a) => a) },
    region: { ...base, level: 'region', rows: groups((a) => areas[a]!.region) },
    regionOf: new Map(Object.entries(areas).map(([a, x]) => [a, x.region])),
  };
}

describe('the publication grid', () => {
  it('answers one year or the whole standard period, nothing that overlaps', () => {
    assert.doesNotThrow(() => gridPeriod(2019, 2023, [2019, 2023]));
    assert.doesNotThrow(() => gridPeriod(2021, 2021, [2019, 2023]));
    assert.throws(() => gridPeriod(2019, 2022, [2019, 2023]), (e: VaratlasError) => /not published.*one year \(2019–2023\) or the whole period/.test(e.message));
    assert.throws(() => gridPeriod(2024, 2024, [2019, 2023]), VaratlasError);
  });

  it('withholds with coordination across areas and regions, years and the period, counts and their provider split', () => {
    const { area, region, regionOf } = tables();
    const masks = coordinateSuppression([...gridRows(area), ...gridRows(region)], regionOf, defaultSuppression);
    const shownArea = applyMasks(area, masks, defaultSuppression, false);
    const shownRegion = applyMasks(region, masks, defaultSuppression, false);
    const all = [...shownArea, ...shownRegion];
    const at = (rows: RateRow[], unit: string, year: number | null) => rows.find((r) => r.unit === unit && r.year === year)!;
    assert.ok(isWithheld(at(shownArea, 'FINNMARK', 2023).events), 'the small count is withheld');
    // Every published sum has no member withheld alone: region = its areas, nation = regions, period = years.
    const sums: [RateRow, RateRow[]][] = [];
    for (const frame of [...years, null]) {
      for (const r of ['NORD', 'SOR']) sums.push([at(shownRegion, r, frame), Object.keys(areas).filter((a) => regionOf.get(a) === r).map((a) => at(shownArea, a, frame))]);
      sums.push([at(shownRegion, 'national', frame), ['NORD', 'SOR'].map((r) => at(shownRegion, r, frame))]);
    }
    for (const unit of [...Object.keys(areas), 'NORD', 'SOR']) {
      const rows = ['NORD', 'SOR'].includes(unit) ? shownRegion : shownArea;
      sums.push([at(rows, unit, null), years.map((y) => at(rows, unit, y))]);
    }
    for (const [total, parts] of sums) {
      for (const count of [(r: RateRow) => r.events, (r: RateRow) => r.patients, ...providerTypes.map((t) => (r: RateRow) => r.providers[t])]) {
        const withheld = [total, ...parts].filter((r) => isWithheld(count(r))).length;
        assert.notEqual(withheld, 1, `${total.unit} ${total.year}: one withheld member of a published sum gives itself away`);
      }
    }
    // A withheld count withholds its rates and its split; no shown count is 1–4.
    for (const r of all) {
      if (isWithheld(r.events)) assert.ok(isWithheld(r.crudeRate) && isWithheld(r.standardisedRate) && isWithheld(r.providers.private));
      for (const v of [r.events, r.patients, ...providerTypes.map((t) => r.providers[t])]) assert.ok(isWithheld(v) || (v as number) === 0 || (v as number) > 4);
    }
  });

  it('gives every table of the grid the same decision: a one-year table withholds what the grid withholds for that year', () => {
    const { area, region, regionOf } = tables();
    const masks = coordinateSuppression([...gridRows(area), ...gridRows(region)], regionOf, defaultSuppression);
    const oneYear: RateTable = { ...area, years: [2023, 2023], rows: area.rows.filter((r) => r.year === 2023).flatMap((r) => [r, { ...r, year: null }]) };
    const full = applyMasks(area, masks, defaultSuppression, false).filter((r) => r.year === 2023);
    const single = applyMasks(oneYear, masks, defaultSuppression, false);
    for (const r of full) {
      for (const s of single.filter((x) => x.unit === r.unit)) assert.deepEqual(s.events, r.events, `${r.unit}: the same in both tables`);
    }
  });

  it('derives the rows of the regions from those of the areas, with distinct patients given apart', () => {
    const { area, region, regionOf } = tables();
    // The fixture counts each event as one patient, so the regions' patients are their events.
    const patients = new Map(region.rows.filter((r) => !r.national).map((r) => [`${r.unit}|${r.year ?? 'all'}`, r.events as number]));
    const sort = (rows: ReturnType<typeof gridRows>) => rows.sort((a, b) => `${a.unit}|${a.frame}`.localeCompare(`${b.unit}|${b.frame}`));
    assert.deepEqual(sort(regionRows(area, regionOf, patients)), sort(gridRows(region).filter((r) => r.level === 'region')));
    // Patients who moved between two areas of a region count once there: not the areas' sum.
    patients.set('NORD|2023', 30);
    const nord = regionRows(area, regionOf, patients).find((r) => r.unit === 'NORD' && r.frame === 2023)!;
    assert.equal(nord.patients, 30);
    assert.equal(nord.events, 39);
  });

  it('leaves every withheld small count free to be 5 or more, given every published figure together (linear programming)', async () => {
    // Two more small counts of 1 in one region and year: a pair whose total alone would pin both.
    areas.TROMS = { region: 'NORD', events: [1, 6], private: [0, 0] };
    areas.BODO = { region: 'NORD', events: [1, 7], private: [1, 0] };
    try {
      const t = tables();
      const masks = coordinateSuppression([...gridRows(t.area), ...gridRows(t.region)], t.regionOf, defaultSuppression);
      const shown = [...applyMasks(t.area, masks, defaultSuppression, false), ...applyMasks(t.region, masks, defaultSuppression, false)];
      const m = new AttackerModel();
      const leaf = (a: string, y: number, type: string) => `x_${a}_${y}_${type}`;
      const inRow = (r: RateRow, type?: string) =>
        Object.keys(areas)
          .filter((a) => r.national || r.unit === a || t.regionOf.get(a) === r.unit)
          .flatMap((a) => years.filter((y) => r.year === null || r.year === y).flatMap((y) => (type ? [type] : providerTypes).map((p) => leaf(a, y, p))));
      for (const r of shown) {
        if (isWithheld(r.events)) m.add(sumOf(inRow(r)), '>=', 1);
        else m.add(sumOf(inRow(r)), '=', r.events);
        for (const type of providerTypes) if (!isWithheld(r.providers[type])) m.add(sumOf(inRow(r, type)), '=', r.providers[type] as number);
      }
      let checked = 0;
      for (const r of [...gridRows(t.area), ...gridRows(t.region)]) {
        const row = shown.find((x) => x.unit === r.unit && x.year === r.frame)!;
        for (const [value, e] of [[r.events, sumOf(inRow(row))], ...providerTypes.map((p) => [r.providers[p], sumOf(inRow(row, p))] as const)] as const) {
          if (value < 1 || value > 4) continue;
          const [lo, hi] = await m.range(e);
          assert.ok(lo <= value && value <= hi + 1e-9, 'the truth is possible');
          assert.ok(hi >= 5 - 1e-9, `${r.unit} ${r.frame ?? 'period'}: a count of ${value} could be at most ${hi}`);
          checked++;
        }
      }
      assert.ok(checked >= 8, `checked ${checked} small counts`);
    } finally {
      delete areas.TROMS;
      delete areas.BODO;
    }
  });

  it('a grid down to months, with an intervention\'s areas as a row of their own: every small count can be 5 or more (property, linear programming)', async () => {
    const months = [202201, 202202, 202203, 202301, 202302, 202303];
    const units = ['A', 'B', 'C', 'D'];
    const group = { unit: 'project', areas: ['A', 'B'] };
    const cell = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 40 }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell), { minLength: units.length * months.length, maxLength: units.length * months.length }), async (cells) => {
        // x[area][month] = [public, private]; rows of every level and frame are its sums.
        const value = (a: number, f: number) => cells[a * months.length + f]!;
        const rows: GridRow[] = [];
        const members = (level: GridRow['level'], unit: string) => units.map((u, i) => [u, i] as const).filter(([u]) => level === 'nation' || (level === 'group' ? group.areas.includes(u) : u === unit)).map(([, i]) => i);
        const frames = (frame: number | null) => months.map((m, i) => [m, i] as const).filter(([m]) => frame === null || m === frame || Math.floor(m / 100) === frame).map(([, i]) => i);
        const sum = (level: GridRow['level'], unit: string, frame: number | null, type?: number) =>
          members(level, unit).reduce((s, a) => s + frames(frame).reduce((t, f) => t + (type === undefined ? value(a, f)[0] + value(a, f)[1] : value(a, f)[type]!), 0), 0);
        const keys: [GridRow['level'], string][] = [...units.map((u) => ['area', u] as [GridRow['level'], string]), ['nation', 'national'], ['group', 'project']];
        for (const [level, unit] of keys) {
          for (const frame of [...months, 2022, 2023, null]) {
            const events = sum(level, unit, frame);
            rows.push({ level, unit, frame, events, patients: events, providers: { public: sum(level, unit, frame, 0), private: sum(level, unit, frame, 1), contract_specialist: 0 } });
          }
        }
        const masks = coordinateSuppression(rows, new Map(), defaultSuppression, { regions: false, groups: [group] });
        const m = new AttackerModel();
        const leaf = (a: number, f: number, t: number) => `x_${a}_${f}_${t}`;
        const expr = (r: GridRow, type?: number) => sumOf(members(r.level, r.unit).flatMap((a) => frames(r.frame).flatMap((f) => (type === undefined ? [0, 1] : [type]).map((t) => leaf(a, f, t)))));
        for (const r of rows) {
          const mask = masks.get(gridRowKey(r.level, r.unit, r.frame))!;
          // A withheld year or period is 1 or more; a withheld month may be 0.
          if (mask.events) m.add(expr(r), '>=', r.frame !== null && r.frame > 10_000 ? 0 : 1);
          else m.add(expr(r), '=', r.events);
          // A month's provider split is never published (the series shows counts only).
          const split = !mask.split && !(r.frame !== null && r.frame > 10_000);
          if (split) [0, 1].forEach((t) => m.add(expr(r, t), '=', t === 0 ? r.providers.public : r.providers.private));
          // Nothing small is shown.
          for (const v of [mask.events ? 0 : r.events, ...(split ? [r.providers.public, r.providers.private] : [])]) assert.ok(v === 0 || v > 4, `${gridRowKey(r.level, r.unit, r.frame)} shows ${v}`);
        }
        for (const r of rows) {
          const month = r.frame !== null && r.frame > 10_000;
          const cells: [number, ReturnType<typeof expr>][] = [[r.events, expr(r)], ...(month ? [] : ([[r.providers.public, expr(r, 0)], [r.providers.private, expr(r, 1)]] as [number, ReturnType<typeof expr>][]))];
          for (const [v, e] of cells) {
            if (v < 1 || v > 4) continue;
            const [, hi] = await m.range(e);
            assert.ok(hi >= 5 - 1e-9, `${gridRowKey(r.level, r.unit, r.frame)}: ${v} could be at most ${hi}`);
          }
        }
      }),
      { numRuns: 40, seed: 20261123 },
    );
  });
  it('the local-hospital level on top of the areas\' decision: the areas\' figures unchanged, every small count of every level can be 5 or more, or the level withheld whole (property, linear programming)', async () => {
    const yearsOf = [2021, 2022, 2023];
    // Six local areas in three catchment areas in two regions.
    const locals = [['L1', 'A'], ['L2', 'A'], ['L3', 'B'], ['L4', 'B'], ['L5', 'B'], ['L6', 'C']] as const;
    const localOf = new Map<string, string>(locals.map(([l, a]) => [l, a]));
    const regionOf = new Map([['A', 'R1'], ['B', 'R1'], ['C', 'R2']]);
    const cell = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 30 }));
    let published = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell), { minLength: locals.length * yearsOf.length, maxLength: locals.length * yearsOf.length }), async (cells) => {
        const value = (l: number, y: number) => cells[l * yearsOf.length + y]!;
        const members = (level: GridRow['level'], unit: string) =>
          locals.map(([l, a], i) => [l, a, i] as const).filter(([l, a]) => level === 'nation' || (level === 'region' ? regionOf.get(a) === unit : level === 'area' ? a === unit : l === unit)).map(([, , i]) => i);
        const frames = (frame: number | null) => yearsOf.map((y, i) => [y, i] as const).filter(([y]) => frame === null || y === frame).map(([, i]) => i);
        const sum = (level: GridRow['level'], unit: string, frame: number | null, type?: number) =>
          members(level, unit).reduce((s, l) => s + frames(frame).reduce((t, y) => t + (type === undefined ? value(l, y)[0] + value(l, y)[1] : value(l, y)[type]!), 0), 0);
        const rowOf = (level: GridRow['level'], unit: string, frame: number | null): GridRow => {
          const events = sum(level, unit, frame);
          return { level, unit, frame, events, patients: events, providers: { public: sum(level, unit, frame, 0), private: sum(level, unit, frame, 1), contract_specialist: 0 } };
        };
        const keys = (level: GridRow['level'], units: string[]) => units.flatMap((u) => [...yearsOf, null].map((f) => rowOf(level, u, f)));
        const upper = [...keys('area', ['A', 'B', 'C']), ...keys('region', ['R1', 'R2']), ...keys('nation', ['national'])];
        const local = keys('local', locals.map(([l]) => l));
        const byArea = coordinateSuppression(upper, regionOf, defaultSuppression);
        let masks: Map<string, { events?: string; split?: string }>;
        try {
          masks = coordinateSuppression([...upper, ...local], regionOf, defaultSuppression, { localOf, fixed: byArea });
        } catch (error) {
          assert.ok(error instanceof GridUnprotectable, String(error));
          return;
        }
        published++;
        for (const r of upper) assert.deepEqual(masks.get(gridRowKey(r.level, r.unit, r.frame)), byArea.get(gridRowKey(r.level, r.unit, r.frame)), `${gridRowKey(r.level, r.unit, r.frame)} changed`);
        const m = new AttackerModel();
        const leaf = (l: number, y: number, t: number) => `x_${l}_${y}_${t}`;
        const expr = (r: GridRow, type?: number) => sumOf(members(r.level, r.unit).flatMap((l) => frames(r.frame).flatMap((y) => (type === undefined ? [0, 1] : [type]).map((t) => leaf(l, y, t)))));
        const all = [...upper, ...local];
        for (const r of all) {
          const mask = masks.get(gridRowKey(r.level, r.unit, r.frame))!;
          if (mask.events) m.add(expr(r), '>=', 1);
          else m.add(expr(r), '=', r.events);
          if (!mask.split) [0, 1].forEach((t) => m.add(expr(r, t), '=', t === 0 ? r.providers.public : r.providers.private));
          for (const v of [mask.events ? 0 : r.events, ...(mask.split ? [] : [r.providers.public, r.providers.private])]) assert.ok(v === 0 || v > 4, `${gridRowKey(r.level, r.unit, r.frame)} shows ${v}`);
        }
        for (const r of all) {
          for (const [v, e] of [[r.events, expr(r)], [r.providers.public, expr(r, 0)], [r.providers.private, expr(r, 1)]] as const) {
            if (v < 1 || v > 4) continue;
            const [, hi] = await m.range(e);
            assert.ok(hi >= 5 - 1e-9, `${gridRowKey(r.level, r.unit, r.frame)}: ${v} could be at most ${hi}`);
          }
        }
      }),
      { numRuns: 40, seed: 20261207 },
    );
    assert.ok(published >= 10, `the local level was published in ${published} of 40 runs`);
  });
  it('the municipality level on top of the local decision, with cells (a municipality split over local areas) as the finest places: every small count can be 5 or more, or the level withheld whole (property, linear programming)', async () => {
    const yearsOf = [2022, 2023];
    // Cells: municipality × local area; M2 lies in two local areas (as Oslo's districts do).
    const cells = [['M1', 'L1', 'A'], ['M2', 'L1', 'A'], ['M2', 'L2', 'A'], ['M3', 'L2', 'A'], ['M4', 'L3', 'B'], ['M5', 'L3', 'B'], ['M6', 'L4', 'B']] as const;
    const cellsOf = new Map(cells.map(([m, l, a]) => [`${m}|${l}`, { municipality: m as string, local: l as string, area: a as string }]));
    const localOf = new Map<string, string>([['L1', 'A'], ['L2', 'A'], ['L3', 'B'], ['L4', 'B']]);
    const regionOf = new Map([['A', 'R1'], ['B', 'R1']]);
    const cell = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 30 }));
    let published = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell), { minLength: cells.length * yearsOf.length, maxLength: cells.length * yearsOf.length }), async (values) => {
        const value = (c: number, y: number) => values[c * yearsOf.length + y]!;
        const members = (level: GridRow['level'], unit: string) =>
          cells.map(([m, l, a], i) => [m, l, a, i] as const).filter(([m, l, a]) =>
            level === 'nation' || (level === 'region' ? regionOf.get(a) === unit : level === 'area' ? a === unit : level === 'local' ? l === unit : level === 'municipality' ? m === unit : `${m}|${l}` === unit)).map(([, , , i]) => i);
        const frames = (frame: number | null) => yearsOf.map((y, i) => [y, i] as const).filter(([y]) => frame === null || y === frame).map(([, i]) => i);
        const sum = (level: GridRow['level'], unit: string, frame: number | null, type?: number) =>
          members(level, unit).reduce((s, c) => s + frames(frame).reduce((t, y) => t + (type === undefined ? value(c, y)[0] + value(c, y)[1] : value(c, y)[type]!), 0), 0);
        const rowOf = (level: GridRow['level'], unit: string, frame: number | null): GridRow => {
          const events = sum(level, unit, frame);
          return { level, unit, frame, events, patients: events, providers: { public: sum(level, unit, frame, 0), private: sum(level, unit, frame, 1), contract_specialist: 0 } };
        };
        const keys = (level: GridRow['level'], units: string[]) => units.flatMap((u) => [...yearsOf, null].map((f) => rowOf(level, u, f)));
        const upper = [...keys('area', ['A', 'B']), ...keys('region', ['R1']), ...keys('nation', ['national'])];
        const local = keys('local', ['L1', 'L2', 'L3', 'L4']);
        const municipal = keys('municipality', ['M1', 'M2', 'M3', 'M4', 'M5', 'M6']);
        const cellRows = keys('cell', [...cellsOf.keys()]);
        let masks: Map<string, { events?: string; split?: string }>;
        try {
          const byArea = coordinateSuppression(upper, regionOf, defaultSuppression);
          const byLocal = coordinateSuppression([...upper, ...local], regionOf, defaultSuppression, { localOf, fixed: byArea });
          masks = coordinateSuppression([...upper, ...local, ...municipal, ...cellRows], regionOf, defaultSuppression, { cells: cellsOf, fixed: byLocal });
          for (const r of [...upper, ...local]) assert.deepEqual(masks.get(gridRowKey(r.level, r.unit, r.frame)), byLocal.get(gridRowKey(r.level, r.unit, r.frame)), `${gridRowKey(r.level, r.unit, r.frame)} changed`);
        } catch (error) {
          assert.ok(error instanceof GridUnprotectable, String(error));
          return;
        }
        published++;
        const m = new AttackerModel();
        const leaf = (c: number, y: number, t: number) => `x_${c}_${y}_${t}`;
        const expr = (r: GridRow, type?: number) => sumOf(members(r.level, r.unit).flatMap((c) => frames(r.frame).flatMap((y) => (type === undefined ? [0, 1] : [type]).map((t) => leaf(c, y, t)))));
        const shown = [...upper, ...local, ...municipal];
        for (const r of shown) {
          const mask = masks.get(gridRowKey(r.level, r.unit, r.frame))!;
          if (mask.events) m.add(expr(r), '>=', 1);
          else m.add(expr(r), '=', r.events);
          if (!mask.split) [0, 1].forEach((t) => m.add(expr(r, t), '=', t === 0 ? r.providers.public : r.providers.private));
          for (const v of [mask.events ? 0 : r.events, ...(mask.split ? [] : [r.providers.public, r.providers.private])]) assert.ok(v === 0 || v > 4, `${gridRowKey(r.level, r.unit, r.frame)} shows ${v}`);
        }
        for (const r of shown) {
          for (const [v, e] of [[r.events, expr(r)], [r.providers.public, expr(r, 0)], [r.providers.private, expr(r, 1)]] as const) {
            if (v < 1 || v > 4) continue;
            const [, hi] = await m.range(e);
            assert.ok(hi >= 5 - 1e-9, `${gridRowKey(r.level, r.unit, r.frame)}: ${v} could be at most ${hi}`);
          }
        }
      }),
      { numRuns: 40, seed: 20261207 },
    );
    assert.ok(published >= 5, `the municipality level was published in ${published} of 40 runs`);
  });
});
