/**
 * Why an area has no figure, in the reader's language. The analyses write their reasons in English;
 * the one with a number in it ("fewer than 10 events") is translated, the others are left to the caller.
 */
export function reasonInLanguage(reason: string, lang: 'nb' | 'en'): string {
  return lang === 'nb' ? reason.replace(/^fewer than (\d+) events$/, 'færre enn $1 hendelser') : reason;
}
