import { defaultLabelOptions } from '../../analysis/labels.js';
import { needsReport } from '../../analysis/needs-report.js';
import { parseTarget } from '../../analysis/needs.js';
import { defaultRateOptions, isWithheld, type Shown } from '../../analysis/rates.js';
import { VaratlasError } from '../../errors.js';
import { needsWorkbook } from '../../export/needs-xlsx.js';
import { formatTable } from '../format-table.js';
import { cliWords } from '../../i18n/cli-words.js';
import { reasonInLanguage } from '../../i18n/reasons.js';
import { tw } from '../../i18n/table-words.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export interface NeedsCliOptions {
  service?: string[];
  years?: number[];
  year?: number;
  region?: string;
  target: string;
  includeContractSpecialists?: boolean;
  format: 'table' | 'json' | 'xlsx';
  out?: string;
  band: number;
  lang: 'nb' | 'en';
}

const n = (v: Shown<number>) => (isWithheld(v) ? '1–4' : Math.round(v));

export async function needsCommand(db: StoreOptions, catalogFiles: string[], o: NeedsCliOptions): Promise<void> {
  if (o.format === 'table' && (o.service ?? []).length !== 1) throw new VaratlasError('usage', 'the table format shows one service: give --service ID (json and xlsx take several or all)');
  if (o.format === 'xlsx' && !o.out) throw new VaratlasError('usage', '--format xlsx needs --out FILE.xlsx');
  const target = parseTarget(o.target);
  await withReadStore(db, async (store) => {
    const report = await needsReport(
      store,
      {
        serviceIds: o.service ?? [],
        catalogFiles,
        fromYear: o.years?.[0],
        toYear: o.years?.[o.years.length - 1],
        year: o.year,
        region: o.region,
        labels: { ...defaultLabelOptions, band: o.band },
        needs: { target, includeContractSpecialists: o.includeContractSpecialists ?? false },
      },
      defaultRateOptions,
    );
    if (report.year < report.years[0] || report.year > report.years[1]) {
      throw new VaratlasError('usage', `--year ${report.year} is outside the period ${report.years[0]}–${report.years[1]}`);
    }
    if (o.format === 'xlsx') {
      await needsWorkbook(report, o.out!, o.lang);
      console.log(`wrote tables 4 and 5 for ${report.services.length} service(s), ${report.year}, to ${o.out}`);
      return;
    }
    if (o.format === 'json') {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    const { variation, needs } = report.services[0]!;
    const say = cliWords(o.lang);
    console.log(`${say.needsHead(needs.service.name[o.lang], report.year, String(needs.target), report.region ?? undefined)}\n`);
    console.log(
      formatTable(
        (['area', 'observed', 'own', 'private', 'contractSpecialist', 'expected', 'change', 'purchaseNeed', 'label'] as const).map((k) => tw(k, o.lang)),
        needs.areas.map((a) => [
          a.unitName, n(a.observed), n(a.own), n(a.private), n(a.contractSpecialist), Math.round(a.expected), n(a.change), n(a.purchaseNeed),
          variation.areas.find((v) => v.unit === a.unit)?.label.text[o.lang] ?? reasonInLanguage(variation.leftOut.find((v) => v.unit === a.unit)?.reason ?? '', o.lang),
        ]),
      ),
    );
    const regions = needs.regions.map((r) => say.regionLine(r.regionName, Math.round(r.purchaseNeed), r.private, r.withheldAreas));
    console.log(`\n${regions.join('\n')}`);
    if (needs.regions[0]?.contractVolume !== null && needs.regions[0]?.contractVolume !== undefined) {
      console.log(say.contractVolume(needs.regions[0].contractVolume));
    }
  });
}
