import ExcelJS from 'exceljs';
import type { PublishedEffect } from '../analysis/interventions.js';

/** Intervention effects as published (publishEffect): one summary sheet, and the monthly series of each intervention. */
export function effectsWorkbook(effects: PublishedEffect[]): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = 'varatlas';
  const summary = book.addWorksheet('Effects');
  summary.addRow(['intervention', 'areas', 'start', 'phase', 'post months', 'avoided', 'lower', 'upper', 'avoided (with controls)', 'role', 'hours freed', 'lower', 'upper']);
  summary.getRow(1).font = { bold: true };
  effects.forEach((e, i) => {
    if ('withheld' in e) {
      summary.addRow([e.intervention.name, e.intervention.areas.join(', '), e.intervention.start, e.intervention.phase, e.months.length - e.startIndex, e.withheld]);
      const sheet = book.addWorksheet(`Series ${i + 1}`);
      sheet.addRow(['month', 'observed', 'in force']);
      sheet.getRow(1).font = { bold: true };
      e.months.forEach((m, t) => {
        const o = e.observed[t]!;
        sheet.addRow([m, typeof o === 'number' ? o : o.withheld, t >= e.startIndex ? 'yes' : 'no']);
      });
      return;
    }
    for (const [role, h] of Object.entries(e.freedHours).length ? Object.entries(e.freedHours) : [['', { value: NaN, lower: NaN, upper: NaN }] as const]) {
      summary.addRow([
        e.intervention.name, e.intervention.areas.join(', '), e.intervention.start, e.intervention.phase, e.months.length - e.startIndex,
        round(e.avoided.value), round(e.avoided.lower), round(e.avoided.upper), e.controlled ? round(e.controlled.avoided.value) : '',
        role, round(h.value), round(h.lower), round(h.upper),
      ]);
    }
    const sheet = book.addWorksheet(`Series ${i + 1}`);
    sheet.addRow(['month', 'observed', 'fitted', 'without the intervention', 'in force']);
    sheet.getRow(1).font = { bold: true };
    const observed = e.observed;
    e.months.forEach((m, t) => {
      const o = observed[t]!;
      sheet.addRow([m, typeof o === 'number' ? o : o.withheld, round(e.its.fitted[t]!), round(e.its.counterfactual[t]!), t >= e.startIndex ? 'yes' : 'no']);
    });
  });
  return book;
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : '');
