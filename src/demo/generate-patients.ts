import type { CareLevel } from './demo-services.js';
import type { EpisodeOptions } from './generate-episodes.js';
import { demoAreas, numberInYear } from './norway.js';
import { maxAge, peopleIn } from './population-model.js';
import { dateStrings, privateIds, trustId, type RowWriter } from './providers.js';
import { pseudonym, Random } from '../stats/random.js';

/**
 * Heavy users (docs/demo.md): a few adults in every place — more of them with age — with chronic illness
 * and many stays a year (a log-normal number: median 5, a long tail), the same people every year. A
 * quarter of their admissions end in a transfer to another hospital the same or the next day (two
 * episodes, one stay), and half are followed by an outpatient control a few weeks later. Their own random
 * stream, written after the services' episodes, so that those stay as they were.
 */
export async function writeHeavyUsers(o: EpisodeOptions, writeRow: RowWriter, serial: number): Promise<number> {
  const rng = new Random(o.seed ^ 0x5eed);
  const share = (age: number) => (age < 18 ? 0 : 0.001 * o.scale * (age / 60) ** 2);
  for (const year of o.years) {
    const days = dateStrings(year);
    const daysInYear = year % 4 === 0 ? 366 : 365;
    for (const [placeIndex, place] of o.places.entries()) {
      const { municipality, district } = numberInYear(place, year);
      const home = trustId(place.area.code);
      for (const sex of [1, 2] as const) {
        for (let age = 18; age <= maxAge; age++) {
          const n = Math.floor(peopleIn(place, year, sex, age) * share(age) + rng.next());
          for (let k = 0; k < n; k++) {
            const patient = pseudonym('C', ((placeIndex * 2 + sex) * 200 + (year - age - 1880)) * 1000 + k, o.seed);
            const illness = rng.pick(heavyIllnesses);
            const stays = Math.max(1, Math.round(Math.exp(1.6 + 0.8 * rng.normal())));
            for (let st = 0; st < stays; st++) {
              const day = rng.int(0, daysInYear - 14);
              const length = rng.int(1, 9);
              const row = (start: number, end: number, provider: string, level: CareLevel) =>
                writeRow([`E${year}-${++serial}`, patient, days[start]!, days[end]!, String(age), String(sex), municipality, district, provider, 'public', level, illness.diagnosis, '', '', '', illness.specialty], year, false);
              await row(day, day + length, home, 'inpatient');
              if (rng.next() < 0.25) {
                const next = day + length + rng.int(0, 1);
                await row(next, next + rng.int(2, 8), trustId(rng.pick(demoAreas).code), 'inpatient');
              }
              if (rng.next() < 0.5) {
                const control = day + length + rng.int(14, 42);
                // Within the year, so that no episode starts in a year the demo has no population for.
                if (control < daysInYear) await row(control, control, home, 'outpatient');
              }
            }
          }
        }
      }
    }
  }
  return serial;
}

/** What the heavy users are treated for: codes no service of the catalogue names. */
const heavyIllnesses = [
  { diagnosis: 'I50.0', specialty: 'cardiology' },
  { diagnosis: 'J44.1', specialty: 'medicine' },
  { diagnosis: 'N18.5', specialty: 'medicine' },
  { diagnosis: 'F20.0', specialty: 'psychiatry' },
];


/**
 * Pathways (docs/demo.md, catalog/pathways.yaml): patients entering with knee or hip osteoarthritis or
 * children's abdominal pain — a first outpatient contact at their trust (or a private provider), some
 * operated months later, and outpatient controls whose number depends on the provider's habit (a factor
 * from 0.6 to 2.2 per provider), so that follow-up varies between providers as the source describes.
 * Contacts outside the demo's years are not written. Their own random stream, after the heavy users.
 */
export async function writePathways(o: EpisodeOptions, writeRow: RowWriter, serial: number): Promise<number> {
  const rng = new Random(o.seed ^ 0x9a7b);
  const scale = Math.min(1, o.scale);
  const habit = new Map<string, number>();
  const habitOf = (provider: string) => {
    let h = habit.get(provider);
    if (h === undefined) habit.set(provider, (h = 0.6 + 1.6 * rng.next()));
    return h;
  };
  const day = (year: number, n: number) => new Date(Date.UTC(year, 0, 1 + n)).toISOString().slice(0, 10);
  for (const year of o.years) {
    const daysInYear = year % 4 === 0 ? 366 : 365;
    for (const [placeIndex, place] of o.places.entries()) {
      const { municipality, district } = numberInYear(place, year);
      for (const sex of [1, 2] as const) {
        for (let age = 0; age <= maxAge; age++) {
          for (const p of demoPathways) {
            if (age < p.minAge || age > p.maxAge) continue;
            const n = Math.floor(peopleIn(place, year, sex, age) * p.perPerson * scale + rng.next());
            for (let k = 0; k < n; k++) {
              const patient = pseudonym(p.prefix, (((placeIndex * 2 + sex) * 200 + age) * 10 + (year % 10)) * 1000 + k, o.seed);
              const provider = rng.next() < p.privateShare ? rng.pick(privateIds(place.area.regionCode)) : trustId(place.area.code);
              const type = provider.startsWith('9810') ? 'private' : 'public';
              const factor = habitOf(provider);
              const contact = async (n: number, level: CareLevel, procedure: string) => {
                const date = day(year, n);
                // Only in the demo's years: no episode in a year without population.
                if (!o.years.includes(Number(date.slice(0, 4)))) return;
                await writeRow([`E${year}-${++serial}`, patient, date, level === 'inpatient' ? day(year, n + 3) : date, String(age), String(sex), municipality, district, provider, type, level, p.diagnosis, '', procedure, '', p.specialty], year, false);
              };
              const entry = rng.int(0, daysInYear - 1);
              await contact(entry, 'outpatient', '');
              const operation = rng.next() < p.operated ? entry + rng.int(p.operationDays[0], p.operationDays[1]) : null;
              if (operation !== null) await contact(operation, p.operationLevel, p.procedure);
              const after = operation ?? entry;
              const end = entry + p.windowDays;
              for (let c = rng.poisson(p.controls * factor); c > 0; c--) {
                const at = after + rng.int(14, Math.max(15, end - after));
                if (at <= end) await contact(at, 'outpatient', '');
              }
            }
          }
        }
      }
    }
  }
  return serial;
}

/** The demo's pathways: codes of catalog/pathways.yaml, rates per person and year, what follows. */
const demoPathways = [
  { prefix: 'K', diagnosis: 'M17.1', procedure: 'NGB12', specialty: 'orthopaedics', minAge: 45, maxAge: 95, perPerson: 0.003, privateShare: 0.12, operated: 0.3, operationDays: [60, 240] as [number, number], operationLevel: 'inpatient' as CareLevel, controls: 1.2, windowDays: 360 },
  { prefix: 'H', diagnosis: 'M16.1', procedure: 'NFB20', specialty: 'orthopaedics', minAge: 45, maxAge: 95, perPerson: 0.002, privateShare: 0.1, operated: 0.35, operationDays: [60, 240] as [number, number], operationLevel: 'inpatient' as CareLevel, controls: 1.2, windowDays: 360 },
  { prefix: 'B', diagnosis: 'R10.4', procedure: 'JEA00', specialty: 'paediatrics', minAge: 2, maxAge: 17, perPerson: 0.004, privateShare: 0, operated: 0.05, operationDays: [0, 20] as [number, number], operationLevel: 'day' as CareLevel, controls: 0.6, windowDays: 175 },
];
