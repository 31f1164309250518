import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { VaratlasError } from '../errors.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { importFile } from './import-file.js';

const skdeGeography = [
  'komnr;komnr_navn;bydel;bydel_navn;borhf;borhf_navn;bohf;bohf_navn',
  '1508;Ålesund;;;2;Helse Midt-Norge;8;Møre og Romsdal',
  '5001;Trondheim;;;2;Helse Midt-Norge;7;St. Olav',
  '0301;Oslo;030101;Gamle Oslo;4;Helse Sør-Øst;16;OUS',
  '0301;Oslo;030102;Grünerløkka;4;Helse Sør-Øst;17;Lovisenberg',
].join('\r\n');

describe('geography', () => {
  it("reads the national atlas's semicolon layout saved as Windows-1252, and æøå survive", async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const path = await writeText(dir, 'skde.csv', iconv.encode(skdeGeography, 'win1252'));
    const report = await importFile(store, { kind: 'geography', path });
    assert.equal(report.encoding, 'windows-1252');
    assert.equal(report.rowsAccepted, 4);
    const names = (await store.status()).areas.map((a) => a.areaName);
    assert.ok(names.includes('Møre og Romsdal'));
    assert.ok(names.includes('St. Olav'));
  });

  it('reads a UTF-8 file with a byte order mark the same way', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const path = await writeText(dir, 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(skdeGeography, 'utf8')]));
    const report = await importFile(store, { kind: 'geography', path });
    assert.equal(report.encoding, 'utf-8');
    assert.equal(report.rowsAccepted, 4);
    assert.ok((await store.status()).areas.some((a) => a.areaName === 'Møre og Romsdal'));
  });
});

describe('mapping residence to areas', () => {
  it('follows renumbering chains, uses districts, and keeps unmapped episodes visible', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', skdeGeography) });
    // 1504 -> 1507 (2020) -> 1508 (2024): an episode written with 1504 belongs to Ålesund's area.
    await importFile(store, {
      kind: 'renumbering',
      path: await writeText(dir, 'r.csv', 'year,old_municipality,new_municipality\n2020,1504,1507\n2024,1507,1508\n2020,1504,1599\n'),
    });
    const rejects = await store.rejects({ limit: 5 });
    assert.equal(rejects.length, 1, 'a split municipality goes to one successor: the second row is rejected');
    assert.match(rejects[0]!.reason, /duplicate old_municipality/);
    await importFile(store, {
      kind: 'episodes',
      path: await writeText(
        dir,
        'e.csv',
        episodesCsv([
          episode('a', { municipality: '1504', start_date: '2019-05-01', end_date: '' }),
          episode('b', { municipality: '0301', district: '030102' }),
          episode('c', { municipality: '0301' }), // Oslo without district: no area
          episode('d', { municipality: '2111' }), // Svalbard: no area
        ]),
      ),
    });
    const status = await store.status();
    assert.deepEqual(status.episodeYears, [
      { year: 2019, episodes: 1, mapped: 1, unmapped: 0 },
      { year: 2022, episodes: 3, mapped: 1, unmapped: 2 },
    ]);
    assert.deepEqual(status.unmapped.map((u) => u.municipality).sort(), ['0301', '2111']);
  });

  it('applies validity years: a row valid to 2019 does not map 2020', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    await importFile(store, {
      kind: 'geography',
      path: await writeText(
        dir,
        'g.csv',
        'municipality,area_code,area_name,region_code,region_name,valid_from,valid_to\n5001,7,St. Olav,2,Helse Midt-Norge,,2019\n',
      ),
    });
    await importFile(store, {
      kind: 'episodes',
      path: await writeText(dir, 'e.csv', episodesCsv([episode('a', { start_date: '2019-01-01', end_date: '' }), episode('b', { start_date: '2020-01-01', end_date: '' })])),
    });
    const years = (await store.status()).episodeYears;
    assert.deepEqual(years.map((y) => [y.year, y.mapped]), [[2019, 1], [2020, 0]]);
  });
});

describe('population, counts and standard population', () => {
  it('reads single-year ages, 5-year groups and open groups', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const csv = 'year;municipality;sex;age;population\n2023;5001;1;37;1000\n2023;5001;2;0-4;500\n2023;5001;2;90+;30\n2023;5001;2;5-2;1\n2023;5001;2;70;-5\n';
    const report = await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', csv) });
    assert.deepEqual([report.rowsRead, report.rowsAccepted, report.rowsRejected], [5, 3, 2]);
    const rejects = await store.rejects({ limit: 5 });
    assert.deepEqual(rejects.map((r) => [r.line, r.column]), [[5, 'age'], [6, 'population']]);
    assert.equal((await store.status()).populationYears[0]!.population, 1530);
  });

  it('counts: patients may not exceed events', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const csv = 'service,year,area,sex,age_group,provider_type,events,patients\ngastroscopy,2023,7,1,50-54,public,12,10\ngastroscopy,2023,7,2,50-54,,3,4\n';
    const report = await importFile(store, { kind: 'counts', path: await writeText(dir, 'c.csv', csv) });
    assert.equal(report.rowsAccepted, 1);
    const [reject] = await store.rejects({ limit: 5 });
    assert.equal(reject!.column, 'patients');
    assert.match(reject!.reason, /must not be greater than events/);
  });

  it('standard population with age groups and no sex', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const report = await importFile(store, { kind: 'standard_population', path: await writeText(dir, 's.csv', 'age_group,population\n0-4,5000\n95+,200\n') });
    assert.equal(report.rowsAccepted, 2);
  });
});

describe('JSON-stat from Statistics Norway (table 07459)', () => {
  const dataset = {
    version: '2.0',
    class: 'dataset',
    id: ['Region', 'Kjonn', 'Alder', 'ContentsCode', 'Tid'],
    size: [2, 2, 2, 1, 2],
    dimension: {
      Region: { category: { index: { '5001': 0, 'K-3001': 1 }, label: { '5001': 'Trondheim', 'K-3001': 'Halden' } } },
      Kjonn: { category: { index: { '1': 0, '2': 1 } } },
      Alder: { category: { index: { '000': 0, '105+': 1 } } },
      ContentsCode: { category: { index: { Personer1: 0 } } },
      Tid: { category: { index: { '2023': 0, '2024': 1 } } },
    },
    value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
  };

  for (const [convention, years] of [
    ['start-of-year', [2023, 2024]],
    ['end-of-year', [2022, 2023]],
  ] as const) {
    it(`imports with the ${convention} convention and says so`, async () => {
      const store = await memoryStore();
      const dir = await tempDir();
      const path = await writeText(dir, '07459.json', JSON.stringify(dataset));
      const report = await importFile(store, { kind: 'population', path, populationYear: convention });
      assert.equal(report.rowsAccepted, 16);
      assert.match(report.note ?? '', new RegExp(convention));
      const status = await store.status();
      assert.deepEqual(status.populationYears.map((y) => y.year), years);
      // Row-major order, last dimension fastest: year 1 holds values 1, 3, 5, … = 1+3+…+15 = 64.
      assert.equal(status.populationYears[0]!.population, 64);
    });
  }

  it('refuses values beyond what the dimensions hold (they used to be accepted), and a dimension whose categories do not match its size', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    for (const [name, broken, pattern] of [
      ['more.json', { ...dataset, value: [...dataset.value, 17, 18] }, /hold 16 values, but it gives 18/],
      ['fewer.json', { ...dataset, value: dataset.value.slice(0, 15) }, /hold 16 values, but it gives 15/],
      ['keyed.json', { ...dataset, value: { '0': 1, '16': 2 } }, /positions outside them \(16\)/],
      ['sizes.json', { ...dataset, size: [2, 2, 2, 1, 1], value: dataset.value.slice(0, 8) }, /different number of categories/],
    ] as const) {
      await assert.rejects(
        importFile(store, { kind: 'population', path: await writeText(dir, name, JSON.stringify(broken)) }),
        (e: unknown) => e instanceof VaratlasError && e.exitCode === 3 && pattern.test(e.message),
        name,
      );
    }
    assert.deepEqual(await store.imports(), []);
  });

  it('refuses a JSON file that is not JSON-stat', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    await assert.rejects(
      importFile(store, { kind: 'population', path: await writeText(dir, 'x.json', '{"hello": 1}') }),
      (e: unknown) => e instanceof VaratlasError && /not a JSON-stat 2.0 dataset/.test(e.message),
    );
  });
});

describe('Parquet', () => {
  it('imports episodes from Parquet with the same rules', async () => {
    const dir = await tempDir();
    const csv = await writeText(dir, 'e.csv', episodesCsv([episode('a'), episode('b', { age: '-3' })]));
    const parquet = `${dir}/e.parquet`;
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT * FROM read_csv('${csv}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`);
    c.closeSync();
    const store = await memoryStore();
    const report = await importFile(store, { kind: 'episodes', path: parquet });
    assert.equal(report.format, 'parquet');
    assert.deepEqual([report.rowsRead, report.rowsAccepted, report.rowsRejected], [2, 1, 1]);
    const [reject] = await store.rejects({ limit: 5 });
    assert.deepEqual([reject!.line, reject!.column], [2, 'age']);
  });
});

describe('importing the same file twice', () => {
  it('refuses by default and replaces on request, never doubling the data', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const path = await writeText(dir, 'e.csv', episodesCsv([episode('a'), episode('b', { age: '-3' })]));
    const first = await importFile(store, { kind: 'episodes', path });
    await assert.rejects(importFile(store, { kind: 'episodes', path }), (e: unknown) => e instanceof VaratlasError && e.code === 'duplicate_import');
    const second = await importFile(store, { kind: 'episodes', path, replace: true });
    assert.deepEqual(second.replacedImports, [first.importId]);
    const status = await store.status();
    assert.equal(status.tables.find((t) => t.kind === 'episodes')!.rows, 1);
    assert.equal(status.rejects, 1, 'the earlier rejects went with the earlier import');
    assert.equal(status.imports.length, 1);
  });
});
