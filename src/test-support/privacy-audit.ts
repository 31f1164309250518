/**
 * The privacy audit: can a withheld count be worked out from everything the rate outputs publish?
 *
 * For every service (or those named), it asks the API for every table of the publication grid (rates
 * by area, by region and, where the geography names them, by local-hospital area, for each year and the
 * whole period, counting events and patients; the series;
 * the monthly series of the low-value measures counted among the service's episodes)
 * and writes what an attacker then knows as linear constraints: every shown count, every withheld
 * count as 1 or more (zeros are always shown; one reason for every withheld count), and the relations
 * between counts that hold in any data (a place's events are the sum of its provider counts, an area's are
 * the sum of its local areas', a region's and the nation's are sums of areas, a period's of its years;
 * distinct patients are at most the events,
 * at least any part and at most the sum of the parts). Then, for every withheld count of 1–4, linear
 * programming (HiGHS) finds data consistent with all of it in which the count is 5 or more, or its
 * largest possible value. Protection (docs/rates.md): the attacker cannot rule out 5 or more. A local
 * level withheld whole for a service (levelWithheldReasons) tells nothing, not even 1 or more. Used by
 * scripts/privacy-audit.ts (every service) and by the test.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { findService, loadCatalogue } from '../catalog/load-catalogue.js';
import { loadMeasures } from '../catalog/load-measures.js';
import { localLevelUsable, type Store } from '../store/store.js';
import { AttackerModel, minus, sumOf, type Expr } from './disclosure-lp.js';
import { auditLowValue, type AuditTarget } from './low-value-audit.js';
import { computeUnsuppressedRates, defaultRateOptions, isWithheld, providerTypes, type RateRow, type RateTable } from '../analysis/rates.js';
import { levelWithheldReasons } from '../analysis/grid-suppression.js';

type GridLevel = 'municipality' | 'local' | 'area' | 'region' | 'nation';

export interface AuditResult {
  /** Withheld counts of 1–4 whose range was computed. */
  audited: number;
  /** Shown counts the attacker was given (each table's, so repeated across tables). */
  published: number;
  /** The withheld counts of 1–4 that could be worked out, one line each. */
  exposed: string[];
}

export async function auditPrivacy(store: Store, app: FastifyInstance, only?: string[]): Promise<AuditResult> {
  const catalogue = await loadCatalogue();
  const [from, to] = (await store.episodeYears())!;
  const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const areas = await store.areas();
  const regionOf = new Map(areas.map((a) => [a.areaCode, a.regionCode]));
  // The finest places: cells, a municipality's part in one local-hospital area (or catchment area where
  // the geography names none), which every published level adds up.
  const locals = await store.localAreas();
  const byLocal = localLevelUsable(locals);
  const cells = new Map<string, { code: string; municipality: string; local: string | null; area: string }>();
  for (const p of await store.places()) {
    const local = byLocal ? (p.localArea?.code ?? null) : null;
    const code = `${p.municipality}|${local ?? p.area.code}`;
    cells.set(code, { code, municipality: p.municipality, local, area: p.area.code });
  }
  const places = [...cells.values()];
  const municipalities = [...new Set(places.map((p) => p.municipality))];
  const levels: ('area' | 'region' | 'local' | 'municipality')[] = byLocal ? ['area', 'region', 'local', 'municipality'] : ['area', 'region', 'municipality'];
  const periods = [`${from}-${to}`, ...years.map(String)];
  const measures = await loadMeasures(catalogue);
  let audited = 0;
  let published = 0;
  const exposed: string[] = [];
  for (const service of catalogue.services.filter((x) => !only || only.includes(x.id))) {
    assert.notEqual(service.count, 'patients', 'the audit models services that count episodes or procedures');
    const m = new AttackerModel();
    const ev = (a: string, y: number) => `ev_${a}_${y}`;
    const pr = (a: string, y: number, t: string) => `pr_${a}_${y}_${t}`;
    const pa = (level: GridLevel, unit: string, frame: number | null) => `pa_${level}_${unit}_${frame ?? 'all'}`;
    const inUnit = (level: GridLevel, unit: string) =>
      places
        .filter((p) => level === 'nation' || (level === 'region' ? regionOf.get(p.area) === unit : level === 'area' ? p.area === unit : level === 'local' ? p.local === unit : p.municipality === unit))
        .map((p) => p.code);
    const inFrame = (frame: number | null) => (frame === null ? years : [frame]);
    const events = (level: GridLevel, unit: string, frame: number | null) => sumOf(inUnit(level, unit).flatMap((a) => inFrame(frame).map((y) => ev(a, y))));
    const provider = (level: GridLevel, unit: string, frame: number | null, t: string) => sumOf(inUnit(level, unit).flatMap((a) => inFrame(frame).map((y) => pr(a, y, t))));

    // Relations that hold in any data.
    for (const p of places) {
      for (const y of years) {
        const split = sumOf(providerTypes.map((t) => pr(p.code, y, t)));
        m.add(minus(sumOf([ev(p.code, y)]), split), service.count === 'episodes' ? '=' : '>=', 0);
      }
    }
    const units: [GridLevel, string][] = [
      ['nation', 'national'],
      ...[...new Set(regionOf.values())].map((r) => ['region', r] as [GridLevel, string]),
      ...areas.map((a) => ['area', a.areaCode] as [GridLevel, string]),
      ...(byLocal ? locals.units.map((u) => ['local', u.code] as [GridLevel, string]) : []),
      ...municipalities.map((u) => ['municipality', u] as [GridLevel, string]),
    ];
    const frames: (number | null)[] = [null, ...years];
    const children = (level: GridLevel, unit: string): [GridLevel, string][] =>
      level === 'nation'
        ? units.filter(([l]) => l === 'region')
        : level === 'region'
          ? areas.filter((a) => regionOf.get(a.areaCode) === unit).map((a) => ['area', a.areaCode])
          : level === 'area' && byLocal
            ? locals.units.filter((u) => u.areaCode === unit).map((u) => ['local', u.code])
            : [];
    for (const [level, unit] of units) {
      for (const frame of frames) {
        const p = sumOf([pa(level, unit, frame)]);
        m.add(minus(p, events(level, unit, frame)), '<=', 0);
        const kids = children(level, unit);
        if (kids.length) {
          m.add(minus(p, sumOf(kids.map(([l, u]) => pa(l, u, frame)))), '<=', 0);
          for (const [l, u] of kids) m.add(minus(sumOf([pa(l, u, frame)]), p), '<=', 0);
        }
      }
      m.add(minus(sumOf([pa(level, unit, null)]), sumOf(years.map((y) => pa(level, unit, y)))), '<=', 0);
      for (const y of years) m.add(minus(sumOf([pa(level, unit, y)]), sumOf([pa(level, unit, null)])), '<=', 0);
    }

    // What the API publishes. Every withheld count carries the same reason and is never 0 (zeros are
    // shown): 1 or more. A withheld provider count may be 0.
    const know = (e: Expr, v: unknown, count = true) => {
      if (typeof v === 'number') {
        m.add(e, '=', v);
        published++;
      } else if (count && isWithheld(v) && !(Object.values(levelWithheldReasons) as string[]).includes(v.withheld)) m.add(e, '>=', 1);
    };
    const get = async (url: string) => {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      return r.json();
    };
    for (const level of levels) {
      for (const period of periods) {
        for (const measure of ['events', 'patients']) {
          const table = (await get(`/api/rates?service=${service.id}&level=${level}&years=${period}&measure=${measure}`)) as RateTable;
          const single = table.years[0] === table.years[1] ? table.years[0] : null;
          for (const r of table.rows as RateRow[]) {
            const l: GridLevel = r.national ? 'nation' : level;
            const frame = r.year ?? single;
            if (measure === 'patients') know(sumOf([pa(l, r.unit, frame)]), r.events);
            else {
              know(events(l, r.unit, frame), r.events);
              for (const t of providerTypes) know(provider(l, r.unit, frame, t), r.providers[t], false);
            }
            know(sumOf([pa(l, r.unit, frame)]), r.patients);
            if (isWithheld(r.events)) assert.ok(isWithheld(r.crudeRate) && isWithheld(r.standardisedRate), 'a rate would give a withheld count away');
          }
        }
      }
      const series = (await get(`/api/series?service=${service.id}&level=${level}`)) as { series: { unit: string; national: boolean; points: { year: number; events: unknown }[] }[] };
      for (const s of series.series) for (const p of s.points) know(events(s.national ? 'nation' : level, s.unit, p.year), p.events);
    }

    // The low-value measures on this service and the interventions on it: modelled in low-value-audit.ts.
    const targets = service.count === 'episodes' ? await auditLowValue({ store, app, m, service, areas, years, periods, events, know, get }) : [];
    // Every count of 1–4 in the grid, from the unsuppressed tables.
    const grid = { ...defaultRateOptions([from, to]) };
    const definition = findService(catalogue, service.id);
    const truth = async (level: 'area' | 'region' | 'local' | 'municipality') => (await computeUnsuppressedRates(store, [definition], { ...grid, level }))[0]!;
    for (const level of levels) {
      for (const r of (await truth(level)).rows) {
        const l: GridLevel = r.national ? 'nation' : level;
        const cells: [string, Expr, unknown][] = [
          ['events', events(l, r.unit, r.year), r.events],
          ['patients', sumOf([pa(l, r.unit, r.year)]), r.patients],
          ...providerTypes.map((t): [string, Expr, unknown] => [t, provider(l, r.unit, r.year, t), r.providers[t]]),
        ];
        for (const [what, e, v] of cells) targets.push({ what: `${service.id} ${what} ${l} ${r.unit} ${r.year ?? 'period'}`, e, value: v });
      }
    }
    // Each small count: can it be 5 or more in data consistent with everything published?
    const small = targets.filter((t): t is AuditTarget & { value: number } => typeof t.value === 'number' && t.value >= 1 && t.value <= 4);
    const { reached, maximum } = await m.reach(small.map((t) => t.e), 5);
    audited += small.length;
    small.forEach((t, i) => {
      if (!reached[i]) exposed.push(`${t.what} = ${t.value}: at most ${maximum[i]}`);
    });
  }
  return { audited, published, exposed };
}
