import { VaratlasError } from '../errors.js';
import { backgroundCodes, demoIntervention, demoServices, type CareLevel, type DemoService } from './demo-services.js';
import { LineWriter } from './line-writer.js';
import { demoAreas, numberInYear, type DemoPlace } from './norway.js';
import { maxAge, peopleIn } from './population-model.js';
import { pseudonym, Random } from '../stats/random.js';
import { writeHeavyUsers, writePathways } from './generate-patients.js';
import { referredServices, type ReferralWriter } from './generate-referrals.js';
import { dateStrings, privateIds, specialistIds, trustId, type RowWriter } from './providers.js';

export const episodeHeader =
  'episode_id,patient_id,start_date,end_date,age,sex,municipality,district,provider_id,provider_type,care_level,main_diagnosis,secondary_diagnoses,procedures,drg,specialty';

/** Kinds of broken rows the demo writes, each of which the import must reject with one reason. */
export const badRowKinds = [
  'impossible date',
  'negative age',
  'unknown sex',
  'five-digit municipality',
  'unknown provider type',
  'end before start',
  'empty patient id',
  'duplicate episode id',
  'too few fields',
  'malformed diagnosis',
] as const;

export interface EpisodeOptions {
  seed: number;
  scale: number;
  years: number[];
  places: DemoPlace[];
  /** One broken row per this many rows (0: none). */
  badEvery: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Where the referrals before the endoscopies go (generate-referrals.ts); none without. */
  referrals?: ReferralWriter;
}

export interface EpisodeSummary {
  rows: number;
  badRows: Record<string, number>;
  /** Episodes from Svalbard (municipality 2111), which no catchment area covers. */
  unmappedRows: number;
  /** Gastroscopies the demo intervention prevented (not written), in all and by month 'YYYY-MM'. */
  avoidedByIntervention: number;
  avoidedByMonth: Record<string, number>;
}

const svalbard = '2111';


function pickWeighted<T>(rng: Random, items: [T, number][]): T {
  let u = rng.next() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) {
    u -= w;
    if (u <= 0) return item;
  }
  return items[items.length - 1]![0];
}

/**
 * Write the demo episodes as a data-contract CSV, place by place, sex by sex, age by age: each
 * service's count is a Poisson draw around population × age/sex rate × area effect × trend.
 */
export async function writeEpisodes(path: string, o: EpisodeOptions): Promise<EpisodeSummary> {
  const rng = new Random(o.seed);
  const catalogueScale = Math.min(1, o.scale);
  const backgroundScale = Math.max(0, o.scale - 1);
  // Per service: per-person probability by sex and age, a random area effect on top of the designed ones.
  const perPerson = demoServices.map((s) =>
    [0, 1, 2].map((sex) =>
      Array.from({ length: maxAge + 1 }, (_, age) => (sex === 0 ? 0 : (s.rate / 1e5) * s.ageProfile(age) * s.sexFactors[sex - 1]!)),
    ),
  );
  const areaEffect = demoServices.map((s) =>
    Object.fromEntries(demoAreas.map((a) => [a.code, (s.areaEffects?.[a.code] ?? 1) * Math.exp(0.12 * rng.normal())])),
  );
  const trend = demoServices.map(() => 0.03 * rng.normal());
  // Background activity: per unit of scale, as many episodes as the catalogue services give.
  const catalogueExpected = perPerson.reduce((sum, bySex) => sum + bySex[1]!.reduce((a, b) => a + b, 0) + bySex[2]!.reduce((a, b) => a + b, 0), 0);
  const backgroundShape = (age: number) => 0.4 + age / 50;
  const shapeTotal = 2 * Array.from({ length: maxAge + 1 }, (_, a) => backgroundShape(a)).reduce((x, y) => x + y, 0);
  const backgroundPerPerson = (age: number) => (catalogueExpected / shapeTotal) * backgroundShape(age) * backgroundScale;

  const writer = new LineWriter(path);
  await writer.write(episodeHeader);
  const summary: EpisodeSummary = { rows: 0, badRows: {}, unmappedRows: 0, avoidedByIntervention: 0, avoidedByMonth: {} };
  let serial = 0;
  let lastId = '';
  /** One row as it is, or broken on purpose (one in `badEvery`), counted. */
  const writeRow: RowWriter = async (fields, year, unmapped) => {
    const id = fields[0]!;
    if (o.badEvery > 0 && (summary.rows + 1) % o.badEvery === 0) {
      const kind = badRowKinds[Math.floor((summary.rows + 1) / o.badEvery) % badRowKinds.length]!;
      breakRow(fields, kind, lastId, year);
      summary.badRows[kind] = (summary.badRows[kind] ?? 0) + 1;
    } else if (unmapped) summary.unmappedRows++;
    lastId = id;
    summary.rows++;
    await writer.write(fields.join(','));
  };
  const steps = o.years.length * o.places.length;
  let step = 0;

  for (const year of o.years) {
    const days = dateStrings(year);
    const daysInYear = year % 4 === 0 ? 366 : 365;
    for (const [placeIndex, place] of o.places.entries()) {
      o.onProgress?.(step++ / steps);
      if (o.signal?.aborted) throw new VaratlasError('interrupted', 'the demo generator was interrupted');
      const area = place.area;
      const { municipality, district } = numberInYear(place, year);
      for (const sex of [1, 2] as const) {
        for (let age = 0; age <= maxAge; age++) {
          const people = peopleIn(place, year, sex, age);
          if (people === 0) continue;
          const birthYear = year - age;
          const emit = async (service: DemoService | null) => {
            const day = rng.int(0, daysInYear - 1);
            const i = demoIntervention;
            if (service?.id === i.service && area.code === i.area && age >= i.minAge && age <= i.maxAge && days[day]! >= i.start && rng.next() < i.dropShare) {
              summary.avoidedByIntervention++;
              const month = days[day]!.slice(0, 7);
              summary.avoidedByMonth[month] = (summary.avoidedByMonth[month] ?? 0) + 1;
              return;
            }
            const level: CareLevel = service ? pickWeighted(rng, service.careLevels) : pickWeighted(rng, [['outpatient', 6], ['day', 1], ['inpatient', 3]]);
            const stay = level === 'inpatient' ? rng.int(1, 7) : 0;
            const u = rng.next();
            const privateShare = service ? (service.privateShareByArea?.[area.code] ?? service.privateShare) : 0.03;
            const specialistShare = service ? service.contractSpecialistShare : 0.05;
            let providerType = 'public';
            let provider = trustId(rng.next() < 0.9 ? area.code : rng.pick(demoAreas).code);
            if (u < privateShare) {
              providerType = 'private';
              provider = rng.pick(privateIds(area.regionCode));
            } else if (u < privateShare + specialistShare && level === 'outpatient') {
              providerType = 'contract_specialist';
              provider = rng.pick(specialistIds(area.regionCode));
            }
            // Repeat users: a skewed draw from the people of this place, sex and birth year.
            const person = Math.floor(people * rng.next() ** 2.5);
            const patient = pseudonym('P', ((placeIndex * 2 + sex) * 200 + (birthYear - 1880)) * 100_000 + person, o.seed);
            const diagnosis = rng.pick(service ? service.diagnoses : backgroundCodes.diagnoses);
            const secondary = service?.secondary && rng.next() < service.secondary.probability ? rng.pick(service.secondary.codes) : '';
            const procedure = service ? rng.pick(service.procedures) : rng.pick(backgroundCodes.procedures);
            const drg = service?.drg ? rng.pick(service.drg) : '';
            const specialty = service ? service.specialty : rng.pick(backgroundCodes.specialties);
            const unmapped = rng.next() < 0.0004;
            const id = `E${year}-${++serial}`;
            const fields = [
              id, patient, days[day]!, days[day + stay]!, String(age), String(sex), unmapped ? svalbard : municipality,
              unmapped ? '' : district, provider, providerType, level, diagnosis, secondary, procedure, drg, specialty,
            ];
            await writeRow(fields, year, unmapped);
            if (o.referrals && service && !unmapped && referredServices.has(service.id)) {
              await o.referrals.referred({
                service, patient, startDate: days[day]!, age, sex, municipality, district, areaCode: area.code,
                provider, providerType, diagnosis, procedure,
              });
            }
          };
          for (const [s, service] of demoServices.entries()) {
            const mean = people * perPerson[s]![sex]![age]! * areaEffect[s]![area.code]! * (1 + trend[s]! * (year - 2021)) * catalogueScale;
            for (let n = rng.poisson(mean); n > 0; n--) await emit(service);
          }
          if (backgroundScale > 0) {
            for (let n = rng.poisson(people * backgroundPerPerson(age)); n > 0; n--) await emit(null);
          }
        }
      }
    }
  }
  serial = await writeHeavyUsers(o, writeRow, serial);
  serial = await writePathways(o, writeRow, serial);
  await writer.close();
  o.onProgress?.(1);
  return summary;
}

function breakRow(fields: string[], kind: (typeof badRowKinds)[number], lastId: string, year: number): void {
  switch (kind) {
    case 'impossible date': fields[2] = `${year}-02-31`; fields[3] = ''; break;
    case 'negative age': fields[4] = '-3'; break;
    case 'unknown sex': fields[5] = 'X'; break;
    case 'five-digit municipality': fields[6] = `${fields[6]}1`; break;
    case 'unknown provider type': fields[9] = 'hospital'; break;
    case 'end before start': fields[2] = `${year}-12-31`; fields[3] = `${year}-12-30`; break;
    case 'empty patient id': fields[1] = ''; break;
    case 'duplicate episode id': fields[0] = lastId; break;
    case 'too few fields': fields.length = 12; break;
    case 'malformed diagnosis': fields[11] = 'K2X.0'; break;
  }
}
