/**
 * Table-4 labels of source document 004: where an area stands against the national rate, and how
 * much it buys from private providers. Each label carries the rule that produced it, in words.
 */
import { positionWords } from '../i18n/messages.js';
export type Position = 'highest' | 'above' | 'near' | 'below' | 'lowest';
export type Purchase = 'none' | 'little' | 'some' | 'with' | 'high' | 'withheld';

export interface LabelOptions {
  /** "Near average" band around the national rate: ±10 % by default. */
  band: number;
  /** Private share cut points for little / some / with purchase / high share: 5 %, 15 %, 30 %. */
  purchaseCuts: [number, number, number];
}

export const defaultLabelOptions: LabelOptions = { band: 0.1, purchaseCuts: [0.05, 0.15, 0.3] };

export interface Label {
  position: Position;
  purchase: Purchase;
  text: { nb: string; en: string };
  rule: { nb: string; en: string };
}

const purchaseText: Record<Purchase, { nb: string; en: string }> = {
  none: { nb: 'kjøper ikke', en: 'does not buy' },
  little: { nb: 'lite kjøp', en: 'little bought' },
  some: { nb: 'noe kjøp', en: 'some bought' },
  with: { nb: 'med kjøp', en: 'with purchase' },
  high: { nb: 'høy andel kjøp', en: 'high share bought' },
  withheld: { nb: 'kjøp ikke vist', en: 'purchases withheld' },
};

export interface LabelInput {
  rate: number;
  lower: number;
  upper: number;
  national: number;
  /** 1 = the highest of the areas compared, `of` = the lowest. */
  rank: number;
  of: number;
  /** null: withheld (a small provider count, or one that would reveal it). */
  privateShare: number | null;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const num = (x: number) => x.toFixed(1);

export function label(x: LabelInput, o: LabelOptions = defaultLabelOptions): Label {
  const relative = x.rate / x.national - 1;
  const significant = x.lower > x.national || x.upper < x.national;
  let position: Position = 'near';
  if (Math.abs(relative) > o.band && significant) position = relative > 0 ? 'above' : 'below';
  if (position === 'above' && x.rank === 1) position = 'highest';
  if (position === 'below' && x.rank === x.of) position = 'lowest';
  const [little, some, high] = o.purchaseCuts;
  const share = x.privateShare;
  const purchase: Purchase =
    share === null ? 'withheld' : share <= 0 ? 'none' : share < little ? 'little' : share < some ? 'some' : share < high ? 'with' : 'high';

  const side = relative >= 0 ? 'above' : 'below';
  const en = [
    `Standardised rate ${num(x.rate)} (${num(x.lower)}–${num(x.upper)}) is ${pct(Math.abs(relative))} ${side} the national ${num(x.national)}`,
    position === 'near'
      ? Math.abs(relative) <= o.band
        ? `, inside the ±${pct(o.band)} band: near average`
        : ', but its interval contains the national rate: near average'
      : `, outside the ±${pct(o.band)} band and its interval excludes the national rate`,
    position === 'highest' ? `; highest of ${x.of} areas` : position === 'lowest' ? `; lowest of ${x.of} areas` : '',
    share === null
      ? '. Private share withheld: a provider count of 1–4, or one that would let such a count be worked out.'
      : `. Private share ${pct(share)}: ${purchaseText[purchase].en} (cut points ${o.purchaseCuts.map(pct).join(', ')}).`,
  ].join('');
  const nbSide = relative >= 0 ? 'over' : 'under';
  const nb = [
    `Standardisert rate ${num(x.rate)} (${num(x.lower)}–${num(x.upper)}) er ${pct(Math.abs(relative))} ${nbSide} landssnittet ${num(x.national)}`,
    position === 'near'
      ? Math.abs(relative) <= o.band
        ? `, innenfor ±${pct(o.band)}: nært snitt`
        : ', men intervallet omfatter landssnittet: nært snitt'
      : `, utenfor ±${pct(o.band)} og intervallet utelukker landssnittet`,
    position === 'highest' ? `; høyest av ${x.of} områder` : position === 'lowest' ? `; lavest av ${x.of} områder` : '',
    share === null
      ? '. Andel kjøp fra private er ikke vist: et antall på 1–4, eller et som ville avsløre et slikt.'
      : `. Andel kjøp fra private ${pct(share)}: ${purchaseText[purchase].nb}.`,
  ].join('');
  return {
    position,
    purchase,
    text: {
      nb: `${positionWords(position, 'nb')}, ${purchaseText[purchase].nb}`,
      en: `${positionWords(position, 'en')}, ${purchaseText[purchase].en}`,
    },
    rule: { nb, en },
  };
}
