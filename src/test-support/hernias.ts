import { importFile } from '../import/import-file.js';
import type { Store } from '../store/store.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from './fixtures.js';

export const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n3003,C,Area C,R,Region\n';
// Two ages only (20 and 60), both sexes; area C is small.
export const population = [
  'year,municipality,sex,age,population',
  '2022,1001,1,20,1000', '2022,1001,2,20,1000', '2022,1001,1,60,3000', '2022,1001,2,60,3000',
  '2022,2002,1,20,3000', '2022,2002,2,20,3000', '2022,2002,1,60,1000', '2022,2002,2,60,1000',
  '2022,3003,1,20,500', '2022,3003,2,20,500', '2022,3003,1,60,500', '2022,3003,2,60,500',
  '2022,1001,1,10,800', '2022,2002,1,10,800', '2022,3003,1,10,100',
].join('\n');

function hernias(municipality: string, sex: string, age: string, n: number, provider = 'public'): EpisodeFields[] {
  return Array.from({ length: n }, (_, i) =>
    episode(`${municipality}-${sex}-${age}-${provider}-${i}`, {
      municipality, sex, age, main_diagnosis: 'K40.9', procedures: 'JAB11', provider_type: provider, patient_id: `p-${municipality}-${sex}-${age}-${i}`,
    }),
  );
}

/** Areas A, B, C with hand-countable groin hernia operations (see the tests for the arithmetic). */
export async function herniaStore(options: { keep?: boolean } = {}): Promise<Store> {
  const store = await memoryStore(options);
  const dir = await tempDir(options);
  await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
  await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', population) });
  const rows = [
    ...hernias('1001', '1', '20', 10), ...hernias('1001', '1', '60', 60), ...hernias('1001', '2', '60', 12, 'private'),
    ...hernias('2002', '1', '20', 30), ...hernias('2002', '1', '60', 20), ...hernias('2002', '2', '20', 6),
    ...hernias('3003', '1', '60', 3),
    ...hernias('1001', '1', '10', 7), // under 18: not groin_hernia (age ≥ 18)
    episode('other', { municipality: '1001', main_diagnosis: 'K40.9', procedures: 'UJD02' }), // a gastroscopy, not a hernia operation
  ];
  await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(rows)) });
  return store;
}

