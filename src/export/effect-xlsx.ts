import ExcelJS from 'exceljs';
import type { PublishedEffect } from '../analysis/interventions.js';
import { phaseWords, termWords, type Lang } from '../i18n/messages.js';
import { reasonInLanguage } from '../i18n/reasons.js';
import { tw } from '../i18n/table-words.js';

/** Intervention effects as published (publishEffect): one summary sheet, and the monthly series of each intervention. */
export function effectsWorkbook(effects: PublishedEffect[], lang: Lang = 'en'): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = 'varatlas';
  const summary = book.addWorksheet(tw('effects', lang));
  summary.addRow([
    tw('intervention', lang), tw('areas', lang), tw('start', lang), tw('phase', lang), tw('postMonths', lang), tw('avoided', lang), tw('lower', lang), tw('upper', lang),
    tw('avoidedControlled', lang), tw('role', lang), tw('hoursFreed', lang), tw('lower', lang), tw('upper', lang),
  ]);
  summary.getRow(1).font = { bold: true };
  const inForce = (e: PublishedEffect, t: number) => tw(t >= e.startIndex ? 'yes' : 'no', lang);
  const head = (e: PublishedEffect) => [e.intervention.name, e.intervention.areas.join(', '), e.intervention.start, phaseWords(e.intervention.phase, lang), e.months.length - e.startIndex];
  effects.forEach((e, i) => {
    const sheet = book.addWorksheet(`${tw('series', lang)} ${i + 1}`);
    if ('withheld' in e) {
      summary.addRow([...head(e), reasonInLanguage(e.withheld, lang)]);
      sheet.addRow([tw('month', lang), tw('observed', lang), tw('inForce', lang)]);
      sheet.getRow(1).font = { bold: true };
      e.months.forEach((m, t) => {
        const o = e.observed[t]!;
        sheet.addRow([m, typeof o === 'number' ? o : reasonInLanguage(o.withheld, lang), inForce(e, t)]);
      });
      return;
    }
    for (const [role, h] of Object.entries(e.freedHours).length ? Object.entries(e.freedHours) : [['', { value: NaN, lower: NaN, upper: NaN }] as const]) {
      summary.addRow([
        ...head(e), round(e.avoided.value), round(e.avoided.lower), round(e.avoided.upper), e.controlled ? round(e.controlled.avoided.value) : '',
        role ? termWords(role, lang) : '', round(h.value), round(h.lower), round(h.upper),
      ]);
    }
    sheet.addRow([tw('month', lang), tw('observed', lang), tw('fitted', lang), tw('counterfactual', lang), tw('inForce', lang)]);
    sheet.getRow(1).font = { bold: true };
    e.months.forEach((m, t) => {
      const o = e.observed[t]!;
      sheet.addRow([m, typeof o === 'number' ? o : reasonInLanguage(o.withheld, lang), round(e.its.fitted[t]!), round(e.its.counterfactual[t]!), inForce(e, t)]);
    });
  });
  return book;
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : '');
