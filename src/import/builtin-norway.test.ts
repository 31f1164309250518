import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { tempDir, writeText } from '../test-support/fixtures.js';
import { importFile } from './import-file.js';
import { norwayFile, norwayRows } from '../geo/norway.js';

const geography = norwayRows('geography.csv');
const renumbering = norwayRows('renumbering.csv');

/** The places of a year as written then: municipalities (Oslo by its districts, as it is split between areas). */
function placesIn(numbers: Set<string>): { municipality: string; district: string }[] {
  const oslo = geography.filter((g) => g.municipality === '0301').map((g) => ({ municipality: '0301', district: g.district! }));
  return [...[...numbers].filter((m) => m !== '0301').map((m) => ({ municipality: m, district: '' })), ...oslo];
}

const currentNumbers = new Set(geography.map((g) => g.municipality!));
const renumberedFrom = (year: number) => new Set(renumbering.filter((r) => Number(r.year) >= year).map((r) => r.new_municipality!));
/** Numbers valid in 2020–2023: the 2024 ones not created in 2024, and those the 2024 reform replaced. */
const numbers2020 = new Set([...[...currentNumbers].filter((m) => !renumberedFrom(2024).has(m)), ...renumbering.filter((r) => r.year === '2024').map((r) => r.old_municipality!)]);
/**
 * Numbers valid in 2019: the 2020 ones not created in 2020, and those the 2020 reform replaced — but not
 * Svalbard's (2111, 2121, 2131 → 2100), which is no municipality and lies in no catchment area.
 */
const numbers2019 = new Set([
  ...[...numbers2020].filter((m) => !renumbering.some((r) => r.year === '2020' && r.new_municipality === m)),
  ...renumbering.filter((r) => r.year === '2020' && r.new_municipality !== '2100').map((r) => r.old_municipality!),
]);

async function builtinStore(dir: string, before: (store: Store) => Promise<void> = async () => undefined): Promise<Store> {
  const store = await openStore({ path: join(dir, 'store.duckdb') });
  await before(store);
  await importFile(store, { kind: 'geography', path: norwayFile('geography.csv'), builtin: 'norway' });
  await importFile(store, { kind: 'renumbering', path: norwayFile('renumbering.csv'), builtin: 'norway' });
  return store;
}

describe('the built-in geography of Norway', () => {
  it('has the 357 municipalities of 2024, the 21 catchment areas in 4 regions, and local-hospital areas that nest in one area each', () => {
    assert.equal(currentNumbers.size, 357);
    const areas = new Map(geography.map((g) => [g.area_code!, g.region_code!]));
    assert.equal(areas.size, 21);
    assert.deepEqual([...new Set(areas.values())].sort(), ['1', '2', '3', '4']);
    for (const g of geography) assert.equal(areas.get(g.area_code!), g.region_code, `${g.municipality} ${g.district}: one region per area`);
    const localAreas = new Map<string, Set<string>>();
    for (const g of geography) {
      assert.ok(g.local_area_code && g.local_area_name, `${g.municipality} ${g.district} has a local-hospital area`);
      localAreas.set(g.local_area_code!, (localAreas.get(g.local_area_code!) ?? new Set()).add(g.area_code!));
    }
    for (const [code, inAreas] of localAreas) assert.equal(inAreas.size, 1, `local-hospital area ${code} lies in one catchment area`);
    // Oslo is split between areas by district: no row for the whole municipality.
    assert.ok(!geography.some((g) => g.municipality === '0301' && g.district === ''));
    assert.equal(new Set(geography.filter((g) => g.municipality === '0301').map((g) => g.area_code)).size, 4);
  });

  it('maps every place of 2019 (pre-2020 numbers), 2020–2023 and 2024 to an area, following the renumbering', async () => {
    const dir = await tempDir();
    const store = await builtinStore(dir);
    const eras: [number, Set<string>][] = [[2019, numbers2019], [2022, numbers2020], [2024, currentNumbers]];
    const lines = ['year,municipality,district,sex,age,population'];
    for (const [year, numbers] of eras) for (const p of placesIn(numbers)) lines.push(`${year},${p.municipality},${p.district},1,40,100`);
    await importFile(store, { kind: 'population', path: await writeText(dir, 'population.csv', lines.join('\n') + '\n') });
    assert.ok(numbers2019.has('1504') && numbers2019.has('1201') && numbers2020.has('3005') && !numbers2020.has('1504'), 'the eras hold the numbers of their years');
    for (const [year, numbers] of eras) {
      const mapped = await store.populationStrata({ fromYear: year, toYear: year, level: 'area' });
      const total = mapped.reduce((s, p) => s + p.population, 0);
      assert.equal(total, placesIn(numbers).length * 100, `${year}: every place maps to an area (${placesIn(numbers).length} places)`);
      assert.equal(new Set(mapped.map((p) => p.unit)).size, 21, `${year}: all 21 areas`);
    }
    // Ålesund, Ørskog, Skodje, Haram and Sandøy (1504, 1523, 1529, 1534, 1546 until 2019) → 1507 (2020) →
    // 1508 (2024): five places of 100 each, counted under today's number.
    const municipalities = await store.populationStrata({ fromYear: 2019, toYear: 2019, level: 'municipality' });
    assert.equal(municipalities.filter((p) => p.unit === '1508').reduce((s, p) => s + p.population, 0), 500);
    await store.close();
  });

  it('finds a district under its old municipality number (Bergen 120101 → 460101 in 2020)', async () => {
    const dir = await tempDir();
    const store = await openStore({ path: join(dir, 'store.duckdb') });
    // A user's geography that puts two of Bergen's districts in different areas, as the local-hospital level does.
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', 'municipality,district,area_code,area_name,region_code,region_name\n4601,460101,A,Arna side,R,Region\n4601,460102,B,Bergenhus side,R,Region\n4601,,B,Bergenhus side,R,Region\n') });
    await importFile(store, { kind: 'renumbering', path: await writeText(dir, 'r.csv', 'year,old_municipality,new_municipality\n2020,1201,4601\n') });
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', 'year,municipality,district,sex,age,population\n2019,1201,120101,1,40,100\n2019,1201,120102,1,40,200\n2021,4601,460101,1,40,110\n') });
    const byArea = await store.populationStrata({ fromYear: 2019, toYear: 2021, level: 'area' });
    assert.deepEqual(byArea.map((p) => [p.year, p.unit, p.population]).sort(), [[2019, 'A', 100], [2019, 'B', 200], [2021, 'A', 110]]);
    await store.close();
  });

  it('ranks after the user’s own geography file, whichever was imported first', async () => {
    const dir = await tempDir();
    const own = 'municipality,area_code,area_name,region_code,region_name\n1508,X,Own area,R,Own region\n';
    const store = await builtinStore(dir, async (s) => {
      await importFile(s, { kind: 'geography', path: await writeText(dir, 'own.csv', own) });
    });
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', 'year,municipality,sex,age,population\n2024,1508,1,40,100\n2024,1577,1,40,50\n') });
    const byArea = await store.populationStrata({ fromYear: 2024, toYear: 2024, level: 'area' });
    // 1508 (Ålesund) goes to the user's own area; 1577 (Volda), which the user's file leaves out, to Møre og Romsdal.
    assert.deepEqual(byArea.map((p) => [p.unit, p.population]).sort(), [['8', 50], ['X', 100]]);
    await store.close();
  });
});
