import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { computeRates, computeUnsuppressedRates, defaultRateOptions } from '../analysis/rates.js';
import { cubeSubjects, ensureCube } from '../catalog/cube-subjects.js';
import { loadCatalogue } from '../catalog/load-catalogue.js';
import { importFile, type ImportReport } from '../import/import-file.js';
import { episode, episodesCsv, tempDir, writeBigEpisodes, writeText } from '../test-support/fixtures.js';
import { interruptedCli } from '../test-support/interrupted-cli.js';
import { DuckDbSession } from './duckdb-session.js';
import { openStore } from './open-store.js';

const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n';
const population = ['year,municipality,sex,age,population', ...[2022, 2023].flatMap((y) => ['1001', '2002'].flatMap((m) => [`${y},${m},1,45,5000`, `${y},${m},2,45,5000`, `${y},${m},1,60,5000`]))].join('\n');

/** Gastroscopies and groin hernia operations in a year, in both places. */
const year = (y: number, n: number, tag = '') =>
  episodesCsv(
    Array.from({ length: n }, (_, i) => [
      episode(`g${y}${tag}-${i}`, { start_date: `${y}-0${(i % 9) + 1}-10`, end_date: '', municipality: i % 2 ? '1001' : '2002', patient_id: `p${i % 7}` }),
      episode(`h${y}${tag}-${i}`, { start_date: `${y}-05-10`, end_date: '', main_diagnosis: 'K40.9', procedures: 'JAB11', age: '60', patient_id: `q${i}` }),
    ]).flat(),
  );

/** The cube's rows, per import and service, as text lines (the store must be closed); `single` is bookkeeping across imports, left out. */
async function cubeRows(db: string): Promise<Map<string, string[]>> {
  const s = await DuckDbSession.open({ path: db, readOnly: true });
  try {
    const out = new Map<string, string[]>();
    for (const table of ['cube_hits', 'cube_strata']) {
      for (const r of await s.rows(`SELECT * EXCLUDE (${table === 'cube_hits' ? 'single' : 'single_patients'}) FROM ${table} ORDER BY ALL`)) {
        const key = `${table}|${r.import_id}|${r.service_id}`;
        out.set(key, [...(out.get(key) ?? []), JSON.stringify(Object.values(r), (_k, v) => (typeof v === 'bigint' ? Number(v) : v))]);
      }
    }
    return out;
  } finally {
    s.close();
  }
}

const only = (rows: Map<string, string[]>, keep: (key: string) => boolean) => new Map([...rows].filter(([k]) => keep(k)));

/** A store of the geography, the population and these episode files (each import refreshes the cube), closed; its path and the episode imports. */
async function storeOf(dir: string, episodes: [name: string, csv: string][]): Promise<{ db: string; imports: ImportReport[] }> {
  const db = join(dir, 'store.duckdb');
  const store = await openStore({ path: db });
  await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
  await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', population) });
  const imports: ImportReport[] = [];
  for (const [name, csv] of episodes) imports.push(await importFile(store, { kind: 'episodes', path: await writeText(dir, name, csv) }));
  await store.close();
  return { db, imports };
}

describe('incremental refresh of the strata cube', () => {
  it('adding a year scans that import only; replacing a file swaps its rows; the other imports keep theirs', async () => {
    const dir = await tempDir();
    const { db, imports } = await storeOf(dir, [['e2022.csv', year(2022, 30)]]);
    const first = imports[0]!;
    const before = await cubeRows(db);
    assert.ok([...before.keys()].some((k) => k.includes(`|${first.importId}|gastroscopy`)));

    let store = await openStore({ path: db });
    const second = await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e2023.csv', year(2023, 20)) });
    assert.equal(second.cube?.scannedImports, 1, 'only the new import is scanned');
    const rates = await computeRates(store, (await loadCatalogue()).services.filter((s) => s.id === 'gastroscopy'), defaultRateOptions([2022, 2023]));
    assert.equal(rates[0]!.rows.find((r) => r.national && r.year === 2023)!.events, 20);
    await store.close();
    const after = await cubeRows(db);
    assert.deepEqual(only(after, (k) => k.includes(`|${first.importId}|`)), only(before, (k) => k.includes(`|${first.importId}|`)), 'the first import’s rows are untouched');
    assert.ok([...after.keys()].some((k) => k.includes(`|${second.importId}|gastroscopy`)));

    store = await openStore({ path: db });
    const replaced = await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e2023.csv', year(2023, 12, 'b')), replace: true });
    assert.deepEqual(replaced.replacedImports, [second.importId]);
    assert.equal(replaced.cube?.scannedImports, 1);
    const again = await computeRates(store, (await loadCatalogue()).services.filter((s) => s.id === 'gastroscopy'), defaultRateOptions([2022, 2023]));
    assert.equal(again[0]!.rows.find((r) => r.national && r.year === 2023)!.events, 12, 'the replaced file’s figures, not both');
    await store.close();
    const final = await cubeRows(db);
    assert.ok(![...final.keys()].some((k) => k.includes(`|${second.importId}|`)), 'no row of the replaced import is left');
    assert.deepEqual(only(final, (k) => k.includes(`|${first.importId}|`)), only(before, (k) => k.includes(`|${first.importId}|`)));
  });

  it('a cube of the earlier layout (no single_patients) is refreshed once, without a scan, and counts distinct patients exactly', async () => {
    const dir = await tempDir();
    // Five patients with one gastroscopy each: the cube's single rows.
    const once = episodesCsv(Array.from({ length: 5 }, (_, i) => episode(`s${i}`, { start_date: '2023-06-01', end_date: '', municipality: '1001', patient_id: `s${i}` })));
    const { db } = await storeOf(dir, [['e2022.csv', year(2022, 30)], ['e2023.csv', year(2023, 20)], ['once.csv', once]]);
    // What a store built before the column looks like: no column, and a signature of its own.
    const old = await DuckDbSession.open({ path: db });
    await old.run(`ALTER TABLE cube_strata DROP COLUMN single_patients`);
    await old.run(`UPDATE cube_meta SET signature = 'built by the earlier layout'`);
    old.close();
    const catalogue = await loadCatalogue();
    const reader = await openStore({ path: db, readOnly: true });
    await assert.rejects(ensureCube(reader, { catalogue }), /run varatlas refresh/);
    await reader.close();

    const store = await openStore({ path: db });
    const refreshed = await ensureCube(store, { catalogue });
    assert.equal(refreshed.changed, true);
    assert.equal(refreshed.scannedImports, 0, 'the rows are there: only the counts are added');
    const gastroscopy = catalogue.services.filter((s) => s.id === 'gastroscopy');
    const [table] = await computeUnsuppressedRates(store, gastroscopy, defaultRateOptions([2022, 2023]));
    await store.close();
    const direct = await DuckDbSession.open({ path: db, readOnly: true });
    const [row] = await direct.rows(`SELECT count(DISTINCT patient_id) AS n FROM episodes WHERE procedures = ['UJD02'] AND municipality IN ('1001', '2002')`);
    direct.close();
    // p0…p6 with gastroscopies in both years and places, s0…s4 with one each.
    assert.equal(Number(row!.n), 12);
    assert.equal(table!.rows.find((r) => r.national && r.year === null)!.patients, 12);
    assert.equal(table!.rows.find((r) => r.national && r.year === 2023)!.patients, 12);
    assert.equal(table!.rows.find((r) => r.unit === 'B' && r.year === 2023)!.patients, 7, 'area B (2002): the even-numbered episodes, of all seven p patients, none of the five');
  });

  it('changing one service’s definition rebuilds that service only; a new geography needs no scan at all', async () => {
    const dir = await tempDir();
    const { db } = await storeOf(dir, [['e.csv', year(2022, 30)], ['f.csv', year(2023, 10)]]);
    const before = await cubeRows(db);

    // groin_hernia redefined: a K21 main diagnosis alone (the gastroscopies have one), any age.
    const changed = await writeText(dir, 'mine.yaml', 'services:\n  - id: groin_hernia\n    name: { nb: Lyskebrokk, en: Groin hernia }\n    specialty: gastro_surgery\n    include:\n      - diagnoses: [K21*]\n');
    const reopened = await openStore({ path: db });
    const r = await ensureCube(reopened, { catalogFiles: [changed] });
    assert.equal(r.scannedSubjects, 1, 'one service scanned');
    assert.equal(r.scannedImports, 2, 'in every import');
    assert.equal((await ensureCube(reopened, { catalogFiles: [changed] })).changed, false, 'then up to date');
    assert.equal((await reopened.cubeStatus(await cubeSubjects(await loadCatalogue([changed])))).fresh, true);

    // A new mapping: place 2002 moves to area A. Mapping is applied when reading, so nothing is scanned.
    const moved = await importFile(reopened, { kind: 'geography', path: await writeText(dir, 'g.csv', geography.replace('2002,B,Area B', '2002,A,Area A')), replace: true, catalogFiles: [changed] });
    assert.equal(moved.cube?.scannedImports, 0);
    const rates = await computeRates(reopened, (await loadCatalogue([changed])).services.filter((s) => s.id === 'gastroscopy'), defaultRateOptions([2022, 2023]));
    assert.deepEqual([...new Set(rates[0]!.rows.filter((r) => !r.national).map((r) => r.unit))], ['A']);
    await reopened.close();

    const after = await cubeRows(db);
    assert.deepEqual(only(after, (k) => !k.endsWith('|groin_hernia')), only(before, (k) => !k.endsWith('|groin_hernia')), 'other services untouched');
    assert.notDeepEqual(only(after, (k) => k.endsWith('|groin_hernia')), only(before, (k) => k.endsWith('|groin_hernia')));
  });

  it('the first episodes the refresh stores give the same strata and patient totals as grouping the patients when asked', async () => {
    const dir = await tempDir();
    // Patients p0–p6 have gastroscopies in both places and both years: each has a first episode per unit and frame.
    const { db } = await storeOf(dir, [['e2022.csv', year(2022, 30)], ['e2023.csv', year(2023, 20)]]);
    const catalogue = await loadCatalogue();
    const query = { serviceIds: catalogue.services.map((s) => s.id), fromYear: 2022, toYear: 2023, level: 'area' as const };
    const read = async () => {
      const store = await openStore({ path: db, readOnly: true });
      await ensureCube(store, { catalogue });
      const withTotals = await store.activityWithTotals(query, 'region');
      const out = {
        areas: withTotals.strata,
        totals: withTotals.totals.map((t) => `${t.serviceId}|${t.unit}|${t.year}|${t.patients}`).sort(),
        regions: await store.activityStrata({ ...query, level: 'region' }),
        period: await store.activityStrata({ ...query, years: false }),
      };
      await store.close();
      return out;
    };
    const stored = await read();
    const s = await DuckDbSession.open({ path: db });
    const [row] = await s.rows(`SELECT count(*) AS n, sum(patients) AS p FROM cube_firsts WHERE subject = 'gastroscopy'`);
    assert.ok(Number(row!.n) > 0 && Number(row!.p) > 0, 'the refresh stored first episodes');
    await s.run(`DELETE FROM cube_firsts`);
    s.close();
    const grouped = await read();
    assert.deepEqual(stored, grouped);
    assert.ok(stored.areas.patients.some((n) => n > 0));
  });
});


/** A digest of every cube table (count and a hash of all rows): equal when the cube is unchanged. */
async function cubeDigest(db: string): Promise<unknown[]> {
  const s = await DuckDbSession.open({ path: db, readOnly: true });
  try {
    const out = [];
    for (const table of ['cube_hits', 'cube_strata', 'measure_candidates', 'measure_lookback', 'cube_state', 'cube_meta']) {
      const columns = (await s.rows(`DESCRIBE ${table}`)).map((r) => String(r.column_name));
      out.push(...(await s.rows(`SELECT count(*)::VARCHAR AS n, bit_xor(hash(${columns.join(', ')}))::VARCHAR AS h FROM ${table}`)));
    }
    return out;
  } finally {
    s.close();
  }
}

describe('a stopped refresh leaves the previous cube answering', () => {
  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    it(`stopped by ${signal} while it scans`, async () => {
      const dir = await tempDir();
      const db = join(dir, 'store.duckdb');
      const store = await openStore({ path: db });
      await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
      const file = join(dir, 'big.csv');
      await writeBigEpisodes(file, 500_000);
      await importFile(store, { kind: 'episodes', path: file });
      await store.close();
      const before = await cubeDigest(db);

      // gastroscopy redefined, so the refresh has half a million episodes to scan when it is stopped.
      const changed = await writeText(dir, 'mine.yaml', 'services:\n  - id: gastroscopy\n    name: { nb: G, en: G }\n    specialty: gastroenterology\n    include:\n      - procedures: [UJD02]\n        diagnoses: [K21*]\n');
      const { code, killedBy, stderr, sent } = await interruptedCli(['--db', db, '--catalog', changed, 'refresh'], (e) => /refreshing the cube/.test(e), signal);
      assert.ok(sent, `the refresh reported progress: ${stderr}`);
      if (signal === 'SIGINT') {
        assert.equal(code, 130, stderr);
        assert.match(stderr, /rolled back; the previous cube answers/);
      } else {
        assert.equal(killedBy, 'SIGKILL');
      }
      assert.deepEqual(await cubeDigest(db), before, 'the cube is as it was');
      const reopened = await openStore({ path: db });
      assert.equal((await reopened.cubeStatus(await cubeSubjects(await loadCatalogue()))).fresh, true, 'and answers for the catalogue it was built for');
      await reopened.close();
    });
  }
});
