import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isWithheld } from '../analysis/rate-row.js';
import { defaultRateOptions } from '../analysis/rates.js';
import { comparableServiceRates } from '../analysis/service-rates.js';
import { helseatlasCommand } from '../cli/commands/export.js';
import { runDemo } from '../demo/run-demo.js';
import { openStore } from '../store/open-store.js';
import { naturalBreaks } from '../stats/natural-breaks.js';
import { tempDir } from '../test-support/fixtures.js';
import { checkAtlas, checkAtlasData } from './helseatlas-format.js';
import { nationalName } from './helseatlas.js';

type Row = Record<string, string | number | null>;

describe('export to the national atlas (Helseatlas)', () => {
  it("the demo's gastroscopy (and tonsillectomy): every file follows the documented field list and holds only published figures", async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.duckdb');
    const store = await openStore({ path });
    await runDemo(store, { outDir: dir, scale: 0.1, years: [2021, 2022, 2023] });
    const { tables } = await comparableServiceRates(store, { serviceIds: ['gastroscopy', 'tonsillectomy'] }, defaultRateOptions);
    await store.close();
    const out = join(dir, 'helseatlas');
    let withheld = 0;
    // Gastroscopy (the case) and tonsillectomy, whose small areas are withheld at this scale.
    for (const [k, service] of ['gastroscopy', 'tonsillectomy'].entries()) {
      await helseatlasCommand({ db: path }, [], { service, out });
      const read = async (...p: string[]) => JSON.parse(await readFile(join(out, ...p), 'utf8'));
      const data = await read('data', `${service}.json`);
      const nb = await read('atlas', 'nb', `${service}.json`);
      const en = await read('atlas', 'en', `${service}.json`);
      assert.deepEqual(checkAtlasData(data), []);
      assert.deepEqual(checkAtlas(nb), []);
      assert.deepEqual(checkAtlas(en), []);
      assert.equal(nb.lang, 'nb');
      assert.equal(en.kapittel[0].innhold[1].type, 'resultatboks');
      assert.equal(en.kapittel[0].innhold[1].data, `${service}.json`);

      // The data block against the published rate table: per 1 000, null exactly where a figure is withheld.
      const table = tables[k]!;
      const rows = data.innhold.find((e: { type: string }) => e.type === 'data').data as Row[];
      assert.equal(rows.length, table.rows.filter((r) => r.year === null).length);
      for (const r of table.rows) {
        const row = rows.find((x) => x.area === (r.national ? nationalName : r.unitName))!;
        const field = r.year === null ? 'ratesnitt' : `rate${r.year}`;
        if (isWithheld(r.standardisedRate)) assert.equal(row[field], null, `${r.unitName} ${field}`);
        else assert.ok(Math.abs((row[field] as number) - r.standardisedRate.value / 100) < 1e-12, `${r.unitName} ${field}`);
        if (r.year === null) assert.equal(row.antsnitt === null, isWithheld(r.events), `${r.unitName} events`);
      }
      withheld += rows.flatMap((r) => Object.values(r)).filter((x) => x === null).length;
      // The map's classes: Jenks over the published area rates, boundaries rising between the classes.
      const jenks = data.innhold.find((e: { type: string }) => e.type === 'map').jenks as { min: number; max: number; lag_min: number; grense: number }[];
      for (const [i, j] of jenks.entries()) {
        assert.ok(j.min <= j.max && j.max < j.lag_min && j.max < j.grense && j.grense < j.lag_min, JSON.stringify(j));
        if (i > 0) assert.equal(j.min, jenks[i - 1]!.lag_min);
      }
      // The outlines: every area the map names is an area of the data; Oslo is kept without an area.
      const geo = await read('kart', `${service}.geojson`);
      const areas = new Set(rows.map((r) => r.area));
      for (const f of geo.features) assert.ok(f.properties.area === null ? f.properties.areas.length > 1 : areas.has(f.properties.area), JSON.stringify(f.properties));
      assert.ok(geo.features.length >= 18);
    }
    assert.ok(withheld > 0, 'the test saw withheld figures written as null');
  });

  it('the field list can fail: a missing field, a wrong type, a field no row has, no national row', () => {
    const element = (extra: Row = {}) => ({
      innhold: [
        { type: 'barchart', data: 'd', x: ['rate'], y: 'area', xLabel: { nb: 'a', en: 'a' }, yLabel: { nb: 'b', en: 'b' }, ...extra },
        { type: 'data', label: 'd', national: 'Norge', description: '', data: [{ area: 'Norge', rate: 1 }, { area: 'A', rate: null }] },
      ],
    });
    assert.deepEqual(checkAtlasData(element()), []);
    assert.match(checkAtlasData(element({ errorBars: ['lowercl'] } as unknown as Row)).join(), /field lowercl is not in every row/);
    const noLabel = element();
    delete (noLabel.innhold[0] as Record<string, unknown>).yLabel;
    assert.match(checkAtlasData(noLabel).join(), /innhold\[0\]\.yLabel: missing/);
    assert.match(checkAtlasData(element({ x: 3 })).join(), /innhold\[0\]\.x: a string/);
    const zero = element();
    (zero.innhold[1] as { data: Row[] }).data[1]!.rate = 'none';
    assert.match(checkAtlasData(zero).join(), /a number \(or null when withheld\)/);
    const noNation = element();
    (noNation.innhold[1] as { national: string }).national = 'Sverige';
    assert.match(checkAtlasData(noNation).join(), /no row for the national "Sverige"/);
    assert.match(checkAtlas({ lang: 'de' }).join(), /atlas\.lang: nb, en or nn/);
  });
});

describe('natural breaks (Jenks)', () => {
  it('finds the obvious groups, by hand', () => {
    assert.deepEqual(naturalBreaks([22, 1, 11, 2, 20, 3, 10, 12, 21], 3), [
      { min: 1, max: 3, count: 3 },
      { min: 10, max: 12, count: 3 },
      { min: 20, max: 22, count: 3 },
    ]);
    assert.deepEqual(naturalBreaks([5, 5], 4), [{ min: 5, max: 5, count: 1 }, { min: 5, max: 5, count: 1 }]);
    assert.deepEqual(naturalBreaks([], 4), []);
  });

  it('is the least within-class sum of squares of all the ways to cut, checked against every cut of small sets', () => {
    const ssd = (xs: number[]) => {
      const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
      return xs.reduce((s, v) => s + (v - mean) ** 2, 0);
    };
    let seed = 11;
    const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 100;
    for (let trial = 0; trial < 40; trial++) {
      const x = Array.from({ length: 5 + (trial % 5) }, next).sort((a, b) => a - b);
      const k = 2 + (trial % 3);
      const found = naturalBreaks(x, k);
      const cost = found.reduce((s, c) => s + ssd(x.filter((v) => v >= c.min && v <= c.max)), 0);
      // Every way to cut n sorted values into k runs: choose k − 1 of the n − 1 gaps.
      let least = Infinity;
      const cut = (from: number, left: number, acc: number) => {
        if (left === 1) return void (least = Math.min(least, acc + ssd(x.slice(from))));
        for (let end = from + 1; end <= x.length - left + 1; end++) cut(end, left - 1, acc + ssd(x.slice(from, end)));
      };
      cut(0, k, 0);
      assert.ok(Math.abs(cost - least) < 1e-9, `trial ${trial}: ${cost} vs ${least}`);
      assert.equal(found.reduce((s, c) => s + c.count, 0), x.length);
    }
  });
});
