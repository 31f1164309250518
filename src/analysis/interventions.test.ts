import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalogue } from '../catalog/load-catalogue.js';
import { loadMeasures } from '../catalog/load-measures.js';
import { runDemo } from '../demo/run-demo.js';
import { memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { freedHours, interventionEffect, loadInterventions, publishEffect } from './interventions.js';
import { defaultSuppression } from '../stats/suppression.js';
import { lowValueReport } from './low-value.js';
import * as XLSX from 'xlsx';
import { effectsWorkbook } from '../export/effect-xlsx.js';

describe('interventions', () => {
  it("turns the source's own figures into its hours: 1 143 fewer gastroscopies at the implied minutes = 871 hours", () => {
    const minutes = (871 * 60) / 1143; // ≈ 45.7 minutes each (the source rounds to "about 46")
    assert.ok(Math.abs(freedHours(1143, minutes) - 871) < 1e-9);
    assert.equal(Math.round(freedHours(1143, 46)), 876);
  });

  it('recovers the demo intervention within its interval', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const run = await runDemo(store, { outDir: dir, scale: 0.5, years: [2021, 2022, 2023], badEvery: 0 });
    const catalogue = await loadCatalogue();
    const measures = await loadMeasures(catalogue);
    const [intervention] = await loadInterventions(run.files.interventions, catalogue, measures);
    const effect = await interventionEffect(store, intervention!, measures, 0.95, { controls: true });
    const byMonth = run.files.episodeSummary.avoidedByMonth;
    const truth = Object.entries(byMonth).filter(([m]) => m >= '2023-04').reduce((s, [, n]) => s + n, 0);
    assert.ok(truth > 100, `the demo prevents enough gastroscopies to see: ${truth}`);
    assert.ok(effect.avoided.lower <= truth && truth <= effect.avoided.upper, `${truth} avoided, estimated ${effect.avoided.value.toFixed(0)} (${effect.avoided.lower.toFixed(0)}–${effect.avoided.upper.toFixed(0)})`);
    assert.equal(effect.months[effect.startIndex], '2023-04', 'a start on 22 March counts from April');
    // With the other areas as controls the estimate is noisier here (small counts); it must still land
    // near the truth — a sign or scaling error in the comparison would not.
    const c = effect.controlled!;
    assert.ok(Math.abs(c.avoided.value - truth) < 0.5 * truth, `with controls: ${truth} avoided, estimated ${c.avoided.value.toFixed(0)}`);
    assert.ok(c.scale > 0 && c.scale < 0.2, 'St. Olav is a small part of the country');
    assert.ok(Math.abs(effect.freedHours.physician!.value - (effect.avoided.value * 45.72) / 60) < 1e-6);

    // As published, the intervention's months of 1–4 are withheld, and with them the model's figures,
    // which are linear in every month; the same over the whole country (the group is the nation) is shown.
    const published = await publishEffect(store, effect, [intervention!], catalogue, measures, defaultSuppression);
    const small = effect.months.filter((_, t) => effect.observed[t]! >= 1 && effect.observed[t]! <= 4);
    assert.ok(small.length > 0, 'the demo area has months of 1–4 once the intervention is in force');
    assert.ok('withheld' in published && small.every((m) => published.withheld.includes(m) || published.withheld.includes('…')), 'withheld' in published ? published.withheld : 'published');
    assert.ok(!('its' in published) && !('avoided' in published), 'no model figure leaves with a withheld month');
    const nationwide = { ...intervention!, name: 'national', areas: (await store.areas()).map((a) => a.areaCode) };
    const whole = await publishEffect(store, await interventionEffect(store, nationwide, measures, 0.95), [intervention!, nationwide], catalogue, measures, defaultSuppression);
    assert.ok(!('withheld' in whole), 'withheld' in whole ? whole.withheld : '');

    // The workbook holds what is published (read back by SheetJS).
    const book = XLSX.read(Buffer.from(await effectsWorkbook([whole, published]).xlsx.writeBuffer()));
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets['Effects']!);
    assert.equal(rows[0]!['Procedures avoided'], Math.round((whole as { avoided: { value: number } }).avoided.value * 10) / 10);
    assert.match(String(rows[rows.length - 1]!['Procedures avoided']), /not published/);
    for (const sheet of ['Series 1', 'Series 2']) {
      const series = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets[sheet]!);
      assert.equal(series.length, effect.months.length);
      assert.ok(series.every((r) => typeof r['Observed'] !== 'number' || r['Observed'] === 0 || (r['Observed'] as number) > 4), 'no monthly count from 1 to 4 in the workbook');
      assert.ok(series.some((r) => typeof r['Observed'] === 'number' && r['Observed'] > 4), 'the series is in the workbook');
    }

    // The measure through the rate engine agrees with its shares, and the nation is the sum of the areas.
    const measure = measures.find((m) => m.id === 'gastroscopy_under_55')!;
    const report = await lowValueReport(store, measure, catalogue.services.find((s) => s.id === 'gastroscopy')!, [2021, 2023]);
    const pooled = report.rates.rows.filter((r) => r.year === null);
    for (const share of report.shares.filter((r) => typeof r.numerator === 'number')) {
      const row = pooled.find((r) => r.unit === share.unit)!;
      if (typeof row.events === 'number') assert.equal(row.events, share.numerator, share.unitName);
    }
    assert.equal(report.variation.areas.length + report.variation.leftOut.length, 21);
  });

  it('rejects a bad register entry naming it and the rule', async () => {
    const dir = await tempDir();
    const catalogue = await loadCatalogue();
    const measures = await loadMeasures(catalogue);
    const file = await writeText(dir, 'r.yaml', 'interventions:\n  - name: X\n    areas: ["7"]\n    measure: nothing\n    start: 2023-03-22\n    phase: execution\n');
    await assert.rejects(loadInterventions(file, catalogue, measures), /r\.yaml: intervention 'X': measure 'nothing' is not in the measure catalogue/);
  });
});
