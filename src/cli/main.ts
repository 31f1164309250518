#!/usr/bin/env node
import { Command, Option } from 'commander';
import { isVaratlasError, VaratlasError } from '../errors.js';
import { datasetKinds, type DatasetKind } from '../model/contract.js';
import { defaultDatabasePath, defaultMemoryLimit } from '../store/open-store.js';
import { useMeasures } from '../store/store.js';
import { demoCommand } from './commands/demo.js';
import { importCommand } from './commands/import.js';
import { referralsCommand } from './commands/referrals.js';
import { ratesCommand } from './commands/rates.js';
import { interventionCommand, lowValueCommand } from './commands/lowvalue.js';
import { compareCommand } from './commands/compare.js';
import { concentrationCommand } from './commands/concentration.js';
import { pathwaysCommand } from './commands/pathways.js';
import { helseatlasCommand } from './commands/export.js';
import { needsCommand } from './commands/needs.js';
import { rejectsCommand } from './commands/rejects.js';
import { variationCommand } from './commands/variation.js';
import { serveCommand } from './commands/serve.js';
import { servicesCommand } from './commands/services.js';
import { refreshCommand, statusCommand } from './commands/status.js';

const program = new Command()
  .name('varatlas')
  .description('Find and act on unwarranted variation in the use of hospital services.')
  .version('0.1.0')
  .option('--db <path>', 'database file (DuckDB)', defaultDatabasePath)
  .option('--memory-limit <size>', 'DuckDB memory limit, e.g. 4GB or 512MB; it spills to disk beyond it', parseMemoryLimit, defaultMemoryLimit)
  .option('--catalog <file>', 'a service catalogue (YAML) to use next to the default one; repeatable', collect, [])
  .showHelpAfterError('(see varatlas --help)')
  // Usage mistakes exit with 2, like a VaratlasError of code 'usage'; help and --version with 0.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('import')
  .description('import a file of the data contract (CSV — also .csv.gz or .csv.zst —, Parquet, or JSON-stat for population) as one transaction')
  .addArgument(new Command().createArgument('<kind>', 'what the file holds').choices(datasetKinds))
  .argument('[file]', 'the file to import')
  .addOption(new Option('--builtin <name>', "geography: load the reference geography shipped with varatlas (catchment areas, regions, local-hospital areas and every renumbering since 1988) instead of a file; the user's own geography files take precedence").choices(['norway']))
  .option('--replace', 'replace earlier imports of the same file (same content or same file name)')
  .addOption(new Option('--encoding <encoding>', 'text encoding instead of detecting it').choices(['utf-8', 'windows-1252']))
  .addOption(
    new Option('--population-year <convention>', 'JSON-stat: which year a 1 January count stands for')
      .choices(['start-of-year', 'end-of-year'])
      .default('start-of-year'),
  )
  .option('--dates <from..to>', 'accept dates in this window (YYYY-MM-DD..YYYY-MM-DD); default 1990-01-01 to today', parseDateWindow)
  .option('--quiet', 'no progress bar (there is none when the output is not a terminal either)')
  .action((kind: DatasetKind, file: string | undefined, options) => importCommand(storeOptions(), catalogFiles(), kind, file, options));

program
  .command('rejects')
  .description('list rejected rows with line, column and reason')
  .option('--import <id>', 'only this import', (v) => parsePositive(v, '--import'))
  .option('--limit <n>', 'at most this many rows', (v) => parsePositive(v, '--limit'), 50)
  .option('--json', 'machine-readable output')
  .action((options) => rejectsCommand(storeOptions(), options));

program
  .command('status')
  .description('what is loaded: tables, years, areas, rejects, unmapped places, and the state of the strata cube')
  .option('--json', 'machine-readable output')
  .action((options) => statusCommand(storeOptions(), catalogFiles(), options));

program
  .command('refresh')
  .description('bring the strata cube up to date (imports do it themselves): only new imports and changed definitions are scanned')
  .option('--full', 'rebuild the whole cube from the episodes')
  .action((options) => refreshCommand(storeOptions(), catalogFiles(), options));

program
  .command('demo')
  .description('generate a realistic synthetic Norwegian data set, import it and run the main job')
  .option('--scale <n>', '1 ≈ 1.3 million episodes over five years; 50 ≈ national volume', (v) => parsePositiveNumber(v, '--scale'), 1)
  .option('--seed <n>', 'random seed (same seed, same data)', (v) => parsePositive(v, '--seed'))
  .option('--years <from-to>', 'years to generate, e.g. 2019-2023', parseYears)
  .option('--out <dir>', 'where to write the generated files', 'varatlas-data/demo')
  .option('--no-serve', 'do not start the atlas at the end (for scripts and CI)')
  .option('--port <n>', 'port of the atlas', (v) => parsePort(v), 8080)
  .action((options) => demoCommand(storeOptions(), options));

program
  .command('rates')
  .description('use rates by area of residence: counts, crude and standardised rates with intervals, O/E, provider split')
  .option('--service <id>', 'service id from the catalogue; repeatable (csv/json: all services when left out)', collect)
  .option('--years <year or from-to>', 'one year, or the whole period (default: every year with episodes); other periods are not published', parseYears)
  .addOption(new Option('--by <level>', 'unit of residence: catchment area, region, local-hospital area or municipality').choices(['area', 'region', 'local', 'municipality']).default('area'))
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json', 'xlsx']).default('table'))
  .addOption(new Option('--measure <measure>', "what is counted: events (each service's own unit), patients, stays (episodes of care with the service) or bed_days (their bed days; docs/patients.md)").choices(['events', 'patients', 'stays', 'bed_days']).default('events'))
  .option('--standard <standard>', 'standard population: national (last year), national:YEAR, or file (the imported one)', 'national')
  .addOption(new Option('--confidence <level>', 'confidence level of intervals, percent').choices(['95', '99.8']).default('95'))
  .option('--min-events <n>', 'withhold rates on fewer events than this', (v) => parsePositive(v, '--min-events'), 10)
  .option('--multiplier <n>', 'rates per this many inhabitants', (v) => parsePositive(v, '--multiplier'), 100_000)
  .option('--year <year>', 'table format: show this year instead of the pooled period', (v) => parsePositive(v, '--year'))
  .option('--out <file>', 'write to this file instead of the terminal')
  .addOption(new Option('--lang <language>', 'language of names').choices(['nb', 'en']).default('en'))
  .action((options) => ratesCommand(storeOptions(), catalogFiles(), options));

program
  .command('variation')
  .description('variation across areas: FT1–FT3, CV, SCV, significance versus the national rate, funnel, table-4 labels')
  .requiredOption('--service <id>', 'service id from the catalogue')
  .option('--years <from-to>', 'the period (default: every year with activity)', parseYears)
  .addOption(new Option('--by <level>', 'unit of residence: catchment area, region, local-hospital area or municipality').choices(['area', 'region', 'local', 'municipality']).default('area'))
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
  .option('--band <fraction>', "'near average' band, e.g. 0.1 for ±10 %", (v) => parsePositiveNumber(v, '--band'), 0.1)
  .addOption(new Option('--lang <language>', 'language of names and labels').choices(['nb', 'en']).default('en'))
  .action((options) => variationCommand(storeOptions(), catalogFiles(), options));

program
  .command('compare')
  .description('rate ratios and differences with intervals: each area against the nation and the year before, and two areas')
  .requiredOption('--service <id>', 'service id from the catalogue')
  .option('--years <from-to>', 'the period (default: every year with activity)', parseYears)
  .option('--year <year>', 'compare this year (default: the pooled period)', (v) => parsePositive(v, '--year'))
  .addOption(new Option('--by <level>', 'unit of residence: catchment area, region, local-hospital area or municipality').choices(['area', 'region', 'local', 'municipality']).default('area'))
  .option('--areas <a,b>', 'two unit codes: the first against the second')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
  .addOption(new Option('--lang <language>', 'language of names and labels').choices(['nb', 'en']).default('en'))
  .action((options) => compareCommand(storeOptions(), catalogFiles(), options));

program
  .command('needs')
  .description('needs like tables 4 and 5: expected activity at a target rate, ± procedures, purchase need, labels')
  .option('--service <id>', 'service id; repeatable (json/xlsx: all services when left out)', collect)
  .option('--years <from-to>', 'the period for the labels (default: every year with activity)', parseYears)
  .option('--year <year>', 'the year the needs are for (default: the last of the period)', (v) => parsePositive(v, '--year'))
  .option('--region <code>', 'only the areas of this region (e.g. 2 for Helse Midt-Norge)')
  .option('--target <target>', 'national, national:FACTOR, quartile:lower|upper or area:CODE', 'national')
  .option('--include-contract-specialists', "count contract specialists' work as the area's own capacity")
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'xlsx']).default('table'))
  .option('--out <file>', 'write here (required for xlsx)')
  .option('--band <fraction>', "'near average' band for the labels", (v) => parsePositiveNumber(v, '--band'), 0.1)
  .addOption(new Option('--lang <language>', 'language of names and labels').choices(['nb', 'en']).default('en'))
  .action((options) => needsCommand(storeOptions(), catalogFiles(), options));

program
  .command('concentration')
  .description('how much of the stays, bed days or outpatient contacts the heaviest 1, 5, 10 and 20 % of patients used; Gini; Lorenz curve')
  .addOption(new Option('--measure <measure>', 'what a patient uses').choices(useMeasures).default('stays'))
  .option('--years <year or from-to>', 'one year, or a period (default: the last year with episodes)', parseYears)
  .option('--year <year>', 'one year (the same as --years YEAR)', (v) => parsePositive(v, '--year'))
  .addOption(new Option('--by <level>', 'unit of residence of the table').choices(['area', 'region', 'local', 'municipality']).default('area'))
  .option('--region <code>', 'this region first, in a sentence (the table by region)')
  .option('--area <code>', 'this catchment area first, in a sentence (the table by area)')
  .option('--service <id>', 'only stays with an episode of this service (contacts: only its contacts)')
  .option('--specialty <name>', 'only stays with an episode of this specialty (contacts: only its contacts)')
  .option('--gap-days <n>', 'inpatient care starting up to this many days after inpatient care is one stay (a transfer)', (v) => parseWhole(v, '--gap-days'), 1)
  .option('--look-back-days <n>', 'read episodes this many days before the period, so that a stay begun before it is known as one', (v) => parseWhole(v, '--look-back-days'), 90)
  .option('--top <n>', 'also list the N heaviest users: rank, amount, main department (needs --individual)', (v) => parsePositive(v, '--top'))
  .option('--individual', 'confirm that the --top list is individual-level and not for publication')
  .option('--profile', 'who the heaviest 1 % and 10 % are: sex, age, diagnosis chapters, departments, readmissions, regions (aggregates)')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
  .addOption(new Option('--lang <language>', 'language').choices(['nb', 'en']).default('en'))
  .action((options) => concentrationCommand(storeOptions(), catalogFiles(), options));

program
  .command('referrals')
  .description('referral rates by area of residence for a service, standardised, with the receivers (public, private, contract specialists)')
  .requiredOption('--service <id>', 'service id from the catalogue (a referral asks for it by its requested procedures, or its reasons)')
  .option('--years <year or from-to>', "one year, or the referrals' whole period (default)", parseYears)
  .option('--year <year>', 'one year (the same as --years YEAR)', (v) => parsePositive(v, '--year'))
  .addOption(new Option('--by <level>', 'unit of residence').choices(['area', 'region']).default('area'))
  .option('--assessment', 'the rights assessment across assessing units instead: shares with a right and turned away, standardised ratio, funnel, label, median days')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
  .option('--out <file>', 'write to this file instead of the terminal')
  .addOption(new Option('--lang <language>', 'language').choices(['nb', 'en']).default('en'))
  .action((options) => referralsCommand(storeOptions(), catalogFiles(), options));

program
  .command('pathways')
  .description('patient pathways (entry → operation → controls): by area, region or provider, standardised, with the needs-based follow-up scenario')
  .option('--pathway <id>', 'a pathway of catalog/pathways.yaml (left out: the list)')
  .addOption(new Option('--by <unit>', 'area or region of residence, or the entry provider').choices(['area', 'region', 'provider']).default('area'))
  .option('--year <year>', 'one whole year (default: every whole year pooled)', (v) => parsePositive(v, '--year'))
  .option('--target <target>', 'controls at lower_quartile (of the units), national, or a ratio to the national level such as 0.8', 'lower_quartile')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
  .addOption(new Option('--lang <language>', 'language').choices(['nb', 'en']).default('en'))
  .action((options) => pathwaysCommand(storeOptions(), options));

program
  .command('serve')
  .description('serve the API and the web atlas (127.0.0.1 by default; other addresses need a token)')
  .option('--host <address>', 'address to bind', '127.0.0.1')
  .option('--port <n>', 'port', (v) => parsePort(v), 8080)
  .option('--token-file <file>', 'file with the access token (else VARATLAS_TOKEN); at least 128 bits, e.g. openssl rand -hex 16')
  .option('--allow-host <name>', 'answer requests for this Host name too (a public name behind a proxy); repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
  .option('--boundaries <file>', 'GeoJSON/TopoJSON of the areas (property area_code or bohf) for a real map')
  .option('--interventions <file>', 'intervention register (YAML) for the portfolio and effect pages')
  .action((options) => serveCommand(storeOptions(), catalogFiles(), options));

program
  .command('lowvalue')
  .description('low-value care measures: list them, or one measure by area (share low-value with intervals)')
  .option('--measure <id>', 'the measure (leave out to list them)')
  .option('--years <from-to>', 'the period', parseYears)
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
  .addOption(new Option('--lang <language>', 'language of names').choices(['nb', 'en']).default('en'))
  .action((options) => lowValueCommand(storeOptions(), catalogFiles(), options));

program
  .command('intervention')
  .description('improvement projects: list the register by phase, or the effect in procedures and hours freed')
  .argument('<action>', 'list or effect')
  .requiredOption('--file <register>', 'the intervention register (YAML)')
  .option('--name <name>', 'only this intervention (default: those in the start or execution phase)')
  .option('--controls', 'also estimate against the other areas as controls')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'xlsx']).default('table'))
  .option('--out <file>', 'write here (required for xlsx)')
  .addOption(new Option('--lang <language>', 'language of the table and the workbook').choices(['nb', 'en']).default('en'))
  .action((action: string, options) => interventionCommand(storeOptions(), catalogFiles(), action, options));

const exportCommand = program.command('export').description("figures in other publications' formats");
exportCommand
  .command('helseatlas')
  .description("one service in the national atlas's files (SKDE's Helseatlas): data, the atlas in nb and en, and the areas' GeoJSON")
  .requiredOption('--service <id>', 'service id from the catalogue')
  .option('--years <from-to>', 'the period (default: every year with activity)', parseYears)
  .requiredOption('--out <dir>', 'the folder to write into (data/, atlas/nb/, atlas/en/, kart/)')
  .option('--slug <name>', 'the files\' name (default: the service id)')
  .action((options) => helseatlasCommand(storeOptions(), catalogFiles(), options));

program
  .command('services')
  .description('list the service catalogue, or explain one service in words')
  .argument('[action]', "'show' to explain one service")
  .argument('[id]', 'the service id')
  .option('--json', 'machine-readable output')
  .addOption(new Option('--lang <language>', 'language of names').choices(['nb', 'en']).default('en'))
  .action((action: string | undefined, id: string | undefined, options) => {
    if (action !== undefined && action !== 'show') throw new VaratlasError('usage', `unknown services action '${action}'; use: varatlas services show ID`);
    if (action === 'show' && !id) throw new VaratlasError('usage', 'varatlas services show needs a service id');
    return servicesCommand(catalogFiles(), id, options);
  });

// A usage mistake prints its one line and where the help is, not the whole help.
for (const command of program.commands) command.showHelpAfterError(`(see varatlas ${command.name()} --help)`);

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function catalogFiles(): string[] {
  return program.opts<{ catalog: string[] }>().catalog;
}

function storeOptions(): { db: string; memoryLimit: string } {
  const { db, memoryLimit } = program.opts<{ db: string; memoryLimit: string }>();
  return { db, memoryLimit };
}

function parsePositive(value: string, name: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new VaratlasError('usage', `${name} must be a positive whole number, got '${value}'`);
  return Number(value);
}

function parseWhole(value: string, name: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 3650) throw new VaratlasError('usage', `${name} must be a whole number of days from 0 to 3650, got '${value.slice(0, 40)}'`);
  return Number(value);
}

function parseMemoryLimit(value: string): string {
  if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value.trim())) {
    throw new VaratlasError('usage', `--memory-limit must be a size such as 4GB or 512MB, got '${value.slice(0, 40)}'`);
  }
  return value.trim();
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new VaratlasError('usage', `--port must be a port number 0–65535, got '${value}'`);
  return n;
}

function parsePositiveNumber(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new VaratlasError('usage', `${name} must be a positive number, got '${value}'`);
  return n;
}

function parseYears(value: string): number[] {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(value);
  if (!m) throw new VaratlasError('usage', `--years must look like 2019-2023 or 2023, got '${value}'`);
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  if (to < from) throw new VaratlasError('usage', `--years: ${to} is before ${from}`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (isVaratlasError(error)) {
    process.stderr.write(`varatlas: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`varatlas: internal error: ${(error as Error).message}\n`);
  process.exit(1);
});

function parseDateWindow(value: string): { from: string; to: string } {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(value.trim());
  const real = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  if (!m || !real(m[1]!) || !real(m[2]!) || m[1]! > m[2]!) {
    throw new VaratlasError('usage', `--dates: give two real dates, the earlier first, as YYYY-MM-DD..YYYY-MM-DD (got '${value.slice(0, 40)}')`);
  }
  return { from: m[1]!, to: m[2]! };
}
