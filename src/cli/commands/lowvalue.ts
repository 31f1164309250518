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
import { formatTable } from '../format-table.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export async function lowValueCommand(db: StoreOptions, catalogFiles: string[], o: { measure?: string; years?: number[]; format: 'table' | 'json'; lang: 'nb' | 'en' }): Promise<void> {
  const catalogue = await loadCatalogue(catalogFiles);
  const measures = await loadMeasures(catalogue);
  if (!o.measure) {
    console.log(formatTable(['id', 'measure', 'variant', 'service'], measures.map((m) => [m.id, m.name[o.lang], m.variant, m.denominator])));
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
    console.log(`${measure.name[o.lang]} (${measure.variant}), ${periodText(years)}\n${measure.reference[o.lang]}\n`);
    console.log(formatTable(['area', 'low-value', 'all', 'share (95 %)'], rows.map((r) => [
      r.unitName, n(r.numerator), n(r.denominator),
      isWithheld(r.share) ? '(s)' : `${(r.share.value * 100).toFixed(1)} % (${(r.share.lower * 100).toFixed(1)}–${(r.share.upper * 100).toFixed(1)})`,
    ])));
    if (rows.some((r) => isWithheld(r.share))) console.log('\n(s): withheld — a count of 1–4, or one that would let such a count be worked out from the published tables');
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
      console.log(`${phase}: ${projects.length ? projects.map((i) => i.name).join('; ') : '—'}`);
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
    for (const e of effects) {
      const r = (x: { value: number; lower: number; upper: number }, d = 0) => `${x.value.toFixed(d)} (${x.lower.toFixed(d)} to ${x.upper.toFixed(d)})`;
      console.log(`${e.intervention.name} — from ${e.intervention.start}, areas ${e.intervention.areas.join(', ')}`);
      console.log(`  series ${e.months[0]}–${e.months[e.months.length - 1]}, post period from ${e.months[e.startIndex]} (${e.months.length - e.startIndex} months)`);
      if ('withheld' in e) {
        console.log(`  ${e.withheld}`);
        continue;
      }
      console.log(`  level change ${r(e.its.levelChange, 1)} a month, slope change ${r(e.its.slopeChange, 2)} a month per month`);
      console.log(`  avoided over the post period: ${r(e.avoided)} (interrupted time series, 95 %, Newey–West); before/after: ${(-e.beforeAfter.effect).toFixed(0)}`);
      if (e.controlled) console.log(`  with the other areas as controls: avoided ${r(e.controlled.avoided)}`);
      for (const [role, h] of Object.entries(e.freedHours)) console.log(`  ${role} hours freed: ${r(h)}`);
    }
  });
}
