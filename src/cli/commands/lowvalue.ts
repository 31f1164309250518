import { periodText } from '../../model/period.js';
import { interventionEffect, loadInterventions, phases, publishEffect } from '../../analysis/interventions.js';
import { lowValueByArea } from '../../analysis/low-value.js';
import { isWithheld } from '../../analysis/rates.js';
import { ensureCube } from '../../catalog/cube-subjects.js';
import { findService, loadCatalogue } from '../../catalog/load-catalogue.js';
import { loadMeasures } from '../../catalog/load-measures.js';
import { VaratlasError } from '../../errors.js';
import { defaultSuppression } from '../../stats/suppression.js';
import { effectsWorkbook } from '../../export/effect-xlsx.js';
import { cliWords } from '../../i18n/cli-words.js';
import { formatNumber, phaseWords, termWords, variantWords } from '../../i18n/messages.js';
import { reasonInLanguage } from '../../i18n/reasons.js';
import { tw } from '../../i18n/table-words.js';
import { formatTable } from '../format-table.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export async function lowValueCommand(db: StoreOptions, catalogFiles: string[], o: { measure?: string; years?: number[]; format: 'table' | 'json'; lang: 'nb' | 'en' }): Promise<void> {
  const catalogue = await loadCatalogue(catalogFiles);
  const measures = await loadMeasures(catalogue);
  if (!o.measure) {
    console.log(formatTable(['id', tw('measure', o.lang), tw('variant', o.lang), tw('service', o.lang)], measures.map((m) => [m.id, m.name[o.lang], variantWords(m.variant, o.lang), m.denominator])));
    return;
  }
  const measure = measures.find((m) => m.id === o.measure);
  if (!measure) throw new VaratlasError('usage', `no measure '${o.measure}'; varatlas lowvalue lists them`);
  await withReadStore(db, async (store) => {
    await ensureCube(store, { catalogue, measures });
    const available = await store.episodeYears();
    if (!available) throw new VaratlasError('usage', 'there are no episodes in the store');
    const years: [number, number] = o.years ? [o.years[0]!, o.years[o.years.length - 1]!] : available;
    const rows = await lowValueByArea(store, measure, findService(catalogue, measure.denominator), years, defaultSuppression);
    if (o.format === 'json') {
      console.log(JSON.stringify({ measure, years, rows }, null, 2));
      return;
    }
    const n = (v: number | { withheld: string }) => (isWithheld(v) ? '(s)' : v);
    const pct = (x: number) => formatNumber(x * 100, o.lang, 1);
    console.log(`${measure.name[o.lang]} (${variantWords(measure.variant, o.lang)}), ${periodText(years)}\n${measure.reference[o.lang]}\n`);
    console.log(formatTable([tw('area', o.lang), tw('numerator', o.lang), tw('denominator', o.lang), `${tw('share', o.lang)} (95 %)`], rows.map((r) => [
      r.national ? tw('national', o.lang) : r.unitName, n(r.numerator), n(r.denominator),
      isWithheld(r.share) ? '(s)' : `${pct(r.share.value)} % (${pct(r.share.lower)}–${pct(r.share.upper)})`,
    ])));
    if (rows.some((r) => isWithheld(r.share))) console.log(`\n${cliWords(o.lang).withheldNote}`);
  });
}

export async function interventionCommand(
  db: StoreOptions,
  catalogFiles: string[],
  action: string,
  o: { file: string; name?: string; format: 'table' | 'json' | 'xlsx'; out?: string; controls?: boolean; lang: 'nb' | 'en' },
): Promise<void> {
  if (o.format === 'xlsx' && !o.out) throw new VaratlasError('usage', '--format xlsx needs --out FILE.xlsx');
  const catalogue = await loadCatalogue(catalogFiles);
  const measures = await loadMeasures(catalogue);
  const register = await loadInterventions(o.file, catalogue, measures);
  if (action === 'list') {
    // The portfolio board: projects by phase.
    for (const phase of phases) {
      const projects = register.filter((i) => i.phase === phase);
      console.log(`${phaseWords(phase, o.lang)}: ${projects.length ? projects.map((i) => i.name).join('; ') : '—'}`);
    }
    return;
  }
  if (action !== 'effect') throw new VaratlasError('usage', `unknown intervention action '${action}' (use list or effect)`);
  const chosen = o.name ? register.filter((i) => i.name === o.name) : register.filter((i) => i.phase === 'execution' || i.phase === 'start');
  if (chosen.length === 0) throw new VaratlasError('usage', o.name ? `no intervention named '${o.name}' in ${o.file}` : 'no intervention in the start or execution phase');
  await withReadStore(db, async (store) => {
    await ensureCube(store, { catalogue, measures });
    const effects = [];
    for (const i of chosen) effects.push(await publishEffect(store, await interventionEffect(store, i, measures, 0.95, { controls: o.controls }), register, catalogue, measures, defaultSuppression));
    if (o.format === 'xlsx') {
      await effectsWorkbook(effects, o.lang).xlsx.writeFile(o.out!);
      console.log(`wrote ${effects.length} intervention(s) to ${o.out}`);
      return;
    }
    if (o.format === 'json') {
      console.log(JSON.stringify(effects, null, 2));
      return;
    }
    const say = cliWords(o.lang);
    for (const e of effects) {
      const r = (x: { value: number; lower: number; upper: number }, d = 0) => `${formatNumber(x.value, o.lang, d)} (${formatNumber(x.lower, o.lang, d)} ${say.to} ${formatNumber(x.upper, o.lang, d)})`;
      console.log(say.effectHead(e.intervention.name, e.intervention.start, e.intervention.areas.join(', ')));
      console.log(say.effectSeries(e.months[0]!, e.months[e.months.length - 1]!, e.months[e.startIndex]!, e.months.length - e.startIndex));
      if ('withheld' in e) {
        console.log(`  ${reasonInLanguage(e.withheld, o.lang)}`);
        continue;
      }
      console.log(say.effectChange(r(e.its.levelChange, 1), r(e.its.slopeChange, 2)));
      console.log(say.effectAvoided(r(e.avoided), formatNumber(-e.beforeAfter.effect, o.lang, 0), formatNumber(e.its.rho, o.lang, 2)));
      if (e.controlled) console.log(say.effectControls(r(e.controlled.avoided)));
      for (const [role, h] of Object.entries(e.freedHours)) console.log(say.effectHours(termWords(role, o.lang), r(h)));
    }
  });
}
