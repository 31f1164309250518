import { levelCountsReason, serviceCountsReason } from '../analysis/concentration.js';
import { pathwayColumnReason } from '../analysis/pathways.js';
import { scenarioWithheldReason } from '../analysis/pathway-scenario.js';
import { levelWithheldReasons, withheldCountReason } from '../analysis/grid-suppression.js';
import type { Lang } from './messages.js';

/**
 * Why a figure is not shown, in the reader's language. The analyses write their reasons in English (the
 * API's and the JSON's language); every reason they can write is here, with the Norwegian. A reason not
 * listed is returned as it is, and the atlas's language test fails on it.
 */
const patterns: [RegExp, string][] = [
  [/^fewer than (\d+) events$/, 'færre enn $1 hendelser'],
  [/^between 1 and (\d+)$/, 'mellom 1 og $1'],
  [/^no expected events$/, 'ingen forventede hendelser'],
  [/^no episodes$/, 'ingen episoder'],
  [/^fewer than (\d+) patients$/, 'færre enn $1 pasienter'],
  [/^fewer than (\d+) patients entering$/, 'færre enn $1 nye pasienter'],
  [/^a count of 1–(\d+), or one that would let it be worked out from the group's total$/, 'et antall på 1–$1, eller et som ville la det regnes ut av gruppens total'],
  [/^no events$/, 'ingen hendelser'],
  [/^no operations$/, 'ingen operasjoner'],
  [/^not counted$/, 'ikke talt'],
  [/^the rate of (.+) is withheld$/, 'raten for $1 er skjult'],
  [/^the rate of (.+) is 0$/, 'raten for $1 er 0'],
  [
    /^the effect is not published: (\d+) month\(s\) of its series \(([^)]*)\) hold counts that are withheld, and the model's figures would give them away$/,
    'effekten publiseres ikke: $1 måned(er) i serien ($2) har skjulte antall, og modellens tall ville avsløre dem',
  ],
];

const exact: Record<string, string> = {
  [withheldCountReason]: 'skjult: et antall på 1–4, eller et som ville la et slikt antall regnes ut',
  [levelWithheldReasons.local]: 'skjult: tjenesten publiseres ikke etter lokalsykehusområde, siden de små antallene ikke kunne beskyttes der',
  [pathwayColumnReason]: 'skjult: en enhet i tabellen har et antall på 1–4 her, i et år eller perioden, og det kunne regnes ut av de andre',
  [scenarioWithheldReason]: 'kontrollene for enhetene er skjult, så scenarioet publiseres ikke',
  [levelCountsReason]: 'skjult: en enhet på dette nivået har for få pasienter, og antallet dens kunne regnes ut av de andres',
  [serviceCountsReason]: 'skjult: tjenestens antall publiseres i ratetabellene, som avgjør hva som skjules',
  [levelWithheldReasons.municipality]: 'skjult: tjenesten publiseres ikke etter kommune, siden de små antallene ikke kunne beskyttes der',
};

export function reasonInLanguage(reason: string, lang: Lang): string {
  if (lang === 'en') return reason;
  if (exact[reason]) return exact[reason]!;
  for (const [pattern, nb] of patterns) if (pattern.test(reason)) return reason.replace(pattern, nb);
  return reason;
}
