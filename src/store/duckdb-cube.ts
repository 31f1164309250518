import { createHash } from 'node:crypto';
import { measureFingerprint, serviceFingerprint } from '../catalog/fingerprint.js';
import { VaratlasError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { residenceMapSql, stratumKey } from './dialects/duckdb-schema.js';
import { precomputeFirsts } from './duckdb-firsts.js';
import type { DuckDbSession } from './duckdb-session.js';
import { toNumber } from './normalize.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { anyCodeTest, hasDiagnosis, matchingProcedureCount, serviceTest } from './service-match-sql.js';
import type { CubeRefresh, CubeStatus, CubeSubjects } from './store.js';

/** Subject keys in the cube: a service's id, or `measure:` + a low-value measure's id (ids never hold ':'). */
export const measureKey = (id: string): string => `measure:${id}`;

/** The pass's label for an episode that can exclude a later candidate of some measure (never a cube subject). */
const lookBackLabel = 'lookback:';

const temp = { hits: 'va_hits' };
const cubeTemps = Object.values(temp);

interface Subject {
  key: string;
  fingerprint: string;
  /** The services whose test the pass evaluates for this subject (a measure: its denominator). */
  service: ServiceDefinition;
  /** CASE arms for the one pass over the episodes: each gives the subject's label or NULL. */
  tests: string[];
  /** A measure with a look-back: its look-back diagnoses (an episode with one can exclude a later candidate). */
  lookBack: string[];
  /** A measure: the SQL condition (over hits `h`) that makes one of its service's episodes a candidate. */
  candidate?: string;
}

/** The layout of the cube's tables: a cube built with another layout is rebuilt, subject by subject (3: cube_hits). */
const cubeFormat = 3;

function subjectsOf(d: Dialect, c: CubeSubjects): Subject[] {
  const services = c.services.map((s) => ({
    key: s.id,
    fingerprint: `${cubeFormat}-${serviceFingerprint(s)}`,
    service: s,
    tests: [`CASE WHEN ${serviceTest(d, s)} THEN ${d.literal(s.id)} END`],
    lookBack: [],
  }));
  const measures = c.measures.map(({ measure: m, service }) => {
    const limits = [m.age?.min !== undefined ? `h.age >= ${Number(m.age.min)}` : 'true', m.age?.max !== undefined ? `h.age <= ${Number(m.age.max)}` : 'true'];
    // Candidates: the service's episodes inside the measure's limits with no excluding diagnosis on the
    // episode itself. The look-back (earlier episodes of the patient) is applied after the pass.
    const lb = m.exclude.lookBack;
    return {
      key: measureKey(m.id),
      fingerprint: `${cubeFormat}-${measureFingerprint(m, service)}`,
      service,
      tests: [`CASE WHEN ${serviceTest(d, service)} THEN ${d.literal(measureKey(m.id))} END`],
      lookBack: lb?.diagnoses ?? [],
      candidate: `${limits.join(' AND ')} AND NOT ${hasDiagnosis(d, m.exclude.diagnoses, 'h')}`,
    };
  });
  return [...services, ...measures];
}

/**
 * Insert into cube_hits these episodes (columns import_id, subject, patient_id, start_date, municipality,
 * district, sex, age, provider_type, care_level, procedures). `complete`: they are all of the
 * subjects' episodes, so whether each is its patient's only one for the subject (`single`) is decided
 * here; otherwise it is left for markSinglePatients.
 */
async function insertHits(s: DuckDbSession, episodes: string, complete: boolean): Promise<void> {
  await s.run(
    `INSERT INTO cube_hits
     SELECT import_id, subject, patient_id, year(start_date), start_date, municipality, district, sex, age, provider_type, care_level, procedures,
       ${complete ? 'count(*) OVER (PARTITION BY subject, patient_id) = 1' : 'NULL'}
     FROM (${episodes})
     ORDER BY subject, year(start_date)`,
  );
}

/**
 * The cube's layout, part of its signature: a store whose cube was built by an earlier layout (1: before
 * cube_strata counted single patients; 2: before cube_hits; 3: before cube_firsts; 4: before the residence
 * map named local-hospital areas) is refreshed once, or asked to be when it is open read-only.
 */
const cubeLayout = 5;

const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/**
 * Bring the strata cube up to date with the store's imports and these definitions, as one transaction.
 * Only what changed is scanned: a new episodes import is scanned for every subject, a subject whose
 * fingerprint changed is scanned in every import, in one pass over the episodes per group of imports
 * that need the same subjects. The low-value rows (candidates minus those with an excluding diagnosis
 * in the look-back window) and the residence map are rebuilt from small tables whenever anything changed.
 */
export async function refreshCube(
  s: DuckDbSession,
  d: Dialect,
  c: CubeSubjects,
  options: { full?: boolean; onProgress?: (fraction: number) => void } = {},
): Promise<CubeRefresh> {
  const t0 = performance.now();
  const subjects = subjectsOf(d, c);
  const imports = (await s.rows(`SELECT import_id, kind FROM imports ORDER BY import_id`)).map((r) => ({ id: toNumber(r.import_id), kind: String(r.kind) }));
  const signature = hashOf([cubeLayout, imports, subjects.map((x) => [x.key, x.fingerprint])]);
  const [meta] = await s.rows(`SELECT signature FROM cube_meta`);
  if (!options.full && meta?.signature === signature) return { changed: false, scannedImports: 0, scannedSubjects: 0, seconds: (performance.now() - t0) / 1000 };
  if (s.readOnly) {
    throw new VaratlasError('store', 'the strata cube is not up to date with the store or the catalogue, and the store is open read-only: run varatlas refresh');
  }
  return s.transaction(async () => {
    if (options.full) for (const t of ['cube_hits', 'cube_strata', 'measure_candidates', 'measure_lookback', 'cube_state']) await s.run(`DELETE FROM ${t}`);
    const state = await s.rows(`SELECT DISTINCT subject, fingerprint FROM cube_state`);
    const current = new Map(subjects.map((x) => [x.key, x.fingerprint]));
    // A subject whose definition changed loses all its rows; one no longer defined keeps them (another catalogue may use it).
    for (const r of state) {
      const key = String(r.subject);
      if (current.has(key) && current.get(key) !== r.fingerprint) await deleteSubject(s, key);
    }
    const done = new Set((await s.rows(`SELECT subject, fingerprint, import_id FROM cube_state`)).map((r) => `${r.subject}|${r.fingerprint}|${toNumber(r.import_id)}`));
    const episodeImports = imports.filter((i) => i.kind === 'episodes').map((i) => i.id);
    // Group the imports by the subjects each still needs: one pass over the episodes per group.
    const groups = new Map<string, { importIds: number[]; subjects: Subject[] }>();
    for (const id of episodeImports) {
      const missing = subjects.filter((x) => !done.has(`${x.key}|${x.fingerprint}|${id}`));
      if (missing.length === 0) continue;
      const k = missing.map((x) => x.key).join(',');
      const g = groups.get(k) ?? { importIds: [], subjects: missing };
      g.importIds.push(id);
      groups.set(k, g);
    }
    let step = 0;
    for (const g of groups.values()) {
      await scan(s, d, g.importIds, g.importIds.length === episodeImports.length, g.subjects, (f) => options.onProgress?.((step + f) / (groups.size + 1)));
      step++;
    }
    // Imports write their years (duckdb-import.ts); a store made before that gets them here, once.
    const [unknown] = await s.rows(`SELECT count(*) AS n FROM imports WHERE kind = 'episodes' AND import_id NOT IN (SELECT import_id FROM import_years)`);
    if (toNumber(unknown!.n) > 0) {
      await s.run(
        `INSERT INTO import_years SELECT import_id, min(year(start_date)), max(year(start_date)) FROM episodes
         WHERE import_id NOT IN (SELECT import_id FROM import_years) GROUP BY import_id`,
      );
    }
    await rebuildLowValue(s, d, c);
    // A pass over only some imports leaves its patients' `single` undecided and can change it on their
    // earlier rows, and a cube of an earlier layout has no counts yet: decided and counted again unless
    // this refresh built every row (the passes and rollUp decided and counted them).
    const builtAll = [...groups.values()].some((g) => g.importIds.length === episodeImports.length && g.subjects.length === subjects.length);
    if (!builtAll) {
      await markSinglePatients(s);
      await countSinglePatients(s);
    }
    await checkSinglePatients(s);
    await s.run(`DELETE FROM cube_residence`);
    await s.run(
      `INSERT INTO cube_residence ${residenceMapSql(`SELECT DISTINCT municipality, district, CAST(year AS INTEGER) AS year FROM cube_hits
        UNION SELECT DISTINCT municipality, district, year FROM population`)}`,
    );
    await precomputeFirsts(s);
    const seconds = (performance.now() - t0) / 1000;
    await s.run(`DELETE FROM cube_meta`);
    await s.run(`INSERT INTO cube_meta VALUES ($signature, current_timestamp, $seconds)`, { signature, seconds });
    options.onProgress?.(1);
    const scannedImports = new Set([...groups.values()].flatMap((g) => g.importIds)).size;
    const scannedSubjects = new Set([...groups.values()].flatMap((g) => g.subjects.map((x) => x.key))).size;
    return { changed: true, scannedImports, scannedSubjects, seconds };
  }, cubeTemps);
}

async function deleteSubject(s: DuckDbSession, key: string): Promise<void> {
  await s.run(`DELETE FROM cube_hits WHERE service_id = $key`, { key });
  await s.run(`DELETE FROM cube_strata WHERE service_id = $key`, { key });
  await s.run(`DELETE FROM cube_state WHERE subject = $key`, { key });
  if (key.startsWith('measure:')) {
    const id = key.slice('measure:'.length);
    await s.run(`DELETE FROM measure_candidates WHERE measure_id = $id`, { id });
    await s.run(`DELETE FROM measure_lookback WHERE measure_id = $id`, { id });
  }
}

/**
 * One pass over the episodes of some imports: a cheap test on all the codes first, then every subject's
 * own test on the few episodes that pass it; the hits are aggregated into the cube.
 */
async function scan(s: DuckDbSession, d: Dialect, importIds: number[], allImports: boolean, subjects: Subject[], onProgress: (f: number) => void): Promise<void> {
  const ids = importIds.map(Number).join(', ');
  const onlyThese = allImports ? '' : `e.import_id IN (${ids}) AND `;
  // A measure whose service is in this pass takes its candidates from the service's hits.
  const scanned = new Set(subjects.filter((x) => !x.candidate).map((x) => x.key));
  const source = (x: Subject) => (x.candidate && scanned.has(x.service.id) ? x.service.id : x.key);
  // The episodes (of any service) that can exclude a later candidate of a measure with a look-back come
  // out of the same pass, as hits labelled `lookback:`: a second scan for them cost 1.8 s at scale 50.
  const lookBacks = subjects.filter((x) => x.lookBack.length > 0);
  const lookBackDiagnoses = lookBacks.flatMap((x) => x.lookBack);
  const codes = anyCodeTest(d, subjects.map((x) => x.service));
  const prefilter = lookBacks.length ? `(${codes} OR ${hasDiagnosis(d, lookBackDiagnoses, 'e')})` : codes;
  // One arm for all the look-back diagnoses (measured: 15 million episodes pass the prefilter, each arm
  // costs a test of every one); which measures an episode is a look-back of is told on the hits after.
  const lookBackArm = lookBacks.length ? [`CASE WHEN ${hasDiagnosis(d, lookBackDiagnoses, 'e')} THEN ${d.literal(lookBackLabel)} END`] : [];
  const tests = [...subjects.flatMap((x) => (x.candidate && scanned.has(x.service.id) ? [] : x.tests)), ...lookBackArm];
  const services = subjects.filter((x) => !x.candidate);
  const measures = subjects.filter((m) => m.candidate);
  // Decided in the pass on each hit, so that no code column is written out (measured: 1–2 s at scale 50):
  // the number of the episode's procedure codes that its service names; the measures it is a candidate
  // of (its subject is the measure's source, inside the measure's limits); for a look-back hit, the
  // measures whose look-back diagnoses it has.
  const procedures = services.length ? `CASE h.subject ${services.map((x) => `WHEN ${d.literal(x.key)} THEN ${matchingProcedureCount(d, x.service)}`).join(' ')} END` : 'NULL';
  const candidateOf = measures.length
    ? `list_filter([${measures.map((x) => `CASE WHEN h.subject = ${d.literal(source(x))} AND ${x.candidate} THEN ${d.literal(x.key.slice('measure:'.length))} END`).join(', ')}], x -> x IS NOT NULL)`
    : 'CAST([] AS VARCHAR[])';
  const lookBackOf = lookBacks.length
    ? `CASE WHEN h.subject = ${d.literal(lookBackLabel)} THEN list_filter([${lookBacks.map((x) => `CASE WHEN ${hasDiagnosis(d, x.lookBack, 'h')} THEN ${d.literal(x.key.slice('measure:'.length))} END`).join(', ')}], x -> x IS NOT NULL) END`
    : 'CAST(NULL AS VARCHAR[])';
  // The hits with every column the cube needs, in the same pass.
  await s.runWatched(
    `CREATE TEMP TABLE ${temp.hits} AS
     SELECT h.subject, h.import_id, h.patient_id, h.start_date, h.municipality, h.district, h.sex, h.age, h.provider_type, h.care_level,
       ${procedures} AS n_procedures, ${candidateOf} AS candidate_of, ${lookBackOf} AS lookback_of
     FROM (SELECT unnest(list_filter([${tests.join(',\n')}], x -> x IS NOT NULL)) AS subject,
         e.import_id, e.patient_id, e.start_date, e.municipality, e.district, e.sex, e.age, e.provider_type, e.care_level,
         e.main_diagnosis, e.secondary_diagnoses, e.procedures
       FROM episodes e WHERE ${onlyThese}${prefilter}) h`,
    {},
    (f) => onProgress(f * 0.9),
  );
  if (services.length) {
    const isService = `subject IN (${services.map((x) => d.literal(x.key)).join(', ')})`;
    // Scanned in every import, whether an episode is its patient's only one for the service is known here.
    await insertHits(
      s,
      `SELECT import_id, subject, patient_id, start_date, municipality, district, sex, age, provider_type, care_level, n_procedures AS procedures FROM ${temp.hits} WHERE ${isService}`,
      allImports,
    );
    await rollUp(s, `import_id IN (${ids}) AND service_id IN (${services.map((x) => d.literal(x.key)).join(', ')})`);
  }
  if (measures.length) {
    await s.run(
      `INSERT INTO measure_candidates
       SELECT import_id, unnest(candidate_of), patient_id, start_date, municipality, district, sex, age, provider_type, care_level
       FROM ${temp.hits} WHERE len(candidate_of) > 0`,
    );
    if (lookBacks.length) {
      await s.run(
        `INSERT INTO measure_lookback SELECT import_id, unnest(lookback_of), patient_id, start_date FROM ${temp.hits} WHERE subject = ${d.literal(lookBackLabel)}`,
      );
    }
  }
  await s.run(`DROP TABLE ${temp.hits}`);
  for (const x of subjects) {
    await s.run(`INSERT INTO cube_state SELECT $key, $fp, unnest([${ids}])`, { key: x.key, fp: x.fingerprint });
  }
  onProgress(1);
}

/**
 * The rates' view of some cube rows: months, single ages and care levels summed away, the stratum
 * (sex, 5-year age group, provider type) as one small number, and the patients whose only episode
 * for the service is in the stratum (counted again by countSinglePatients when a later pass
 * decides them) — a small part of the rows to read.
 */
async function rollUp(s: DuckDbSession, where: string): Promise<void> {
  await s.run(
    `INSERT INTO cube_strata
     SELECT import_id, service_id, year, municipality, district, ${stratumKey('sex', 'age', 'provider_type')} AS k,
       count(*), sum(procedures), count(*) FILTER (WHERE single)
     FROM cube_hits WHERE ${where} GROUP BY ALL ORDER BY service_id, year`,
  );
}

/** The low-value rows of every measure: candidates without an excluding diagnosis in the look-back window. */
async function rebuildLowValue(s: DuckDbSession, d: Dialect, c: CubeSubjects): Promise<void> {
  await s.run(`DELETE FROM cube_hits WHERE starts_with(service_id, 'measure:')`);
  await s.run(`DELETE FROM cube_strata WHERE starts_with(service_id, 'measure:')`);
  if (c.measures.length === 0) return;
  const windows = c.measures.map(({ measure: m }) => `(${d.literal(m.id)}, ${Number(m.exclude.lookBack?.months ?? 0)})`).join(', ');
  await insertHits(
    s,
    `SELECT c.import_id, 'measure:' || c.measure_id AS subject, c.patient_id, c.start_date, c.municipality, c.district, c.sex, c.age, c.provider_type, c.care_level, 1 AS procedures
     FROM measure_candidates c JOIN (VALUES ${windows}) w(measure_id, months) USING (measure_id)
     WHERE NOT EXISTS (SELECT 1 FROM measure_lookback l WHERE l.measure_id = c.measure_id AND l.patient_id = c.patient_id
       AND l.start_date < c.start_date AND l.start_date >= c.start_date - to_months(w.months))`,
    true,
  );
  await rollUp(s, `starts_with(service_id, 'measure:')`);
}

/**
 * A patient with one episode of the service (in every import, year and place) counts once in any
 * selection that keeps it: such patients are counted directly, the others through their first episode
 * per unit and frame (duckdb-strata.ts). Rows added by a pass over only some imports (flag NULL)
 * decide it again for their patients; rows removed can only leave a flag false that could be true,
 * which costs time, not exactness.
 */
async function markSinglePatients(s: DuckDbSession): Promise<void> {
  await s.run(
    `UPDATE cube_hits SET single = k.n = 1 FROM (
       SELECT service_id, patient_id, count(*) AS n FROM cube_hits
       WHERE (service_id, patient_id) IN (SELECT service_id, patient_id FROM cube_hits WHERE single IS NULL) GROUP BY ALL) k
     WHERE cube_hits.service_id = k.service_id AND cube_hits.patient_id = k.patient_id
       AND (cube_hits.single IS NULL OR cube_hits.single <> (k.n = 1))`,
  );
}

/**
 * cube_strata's single_patients from the flags, counted again over the whole cube after a refresh that
 * changed them (a new import can make any earlier row of a patient no longer single): one grouping of
 * the single episodes, about 0.2 s at national scale.
 */
async function countSinglePatients(s: DuckDbSession): Promise<void> {
  await s.run(`UPDATE cube_strata SET single_patients = 0 WHERE single_patients <> 0`);
  await s.run(
    `UPDATE cube_strata SET single_patients = x.n FROM (
       SELECT import_id, service_id, year, municipality, district, ${stratumKey('sex', 'age', 'provider_type')} AS k, count(*) AS n
       FROM cube_hits WHERE single GROUP BY ALL) x
     WHERE cube_strata.import_id = x.import_id AND cube_strata.service_id = x.service_id AND cube_strata.year = x.year
       AND cube_strata.municipality = x.municipality AND cube_strata.district IS NOT DISTINCT FROM x.district AND cube_strata.k = x.k`,
  );
}

/** Every patient counted by a stratum's single_patients is flagged single, and every one flagged is counted. */
async function checkSinglePatients(s: DuckDbSession): Promise<void> {
  const [check] = await s.rows(`SELECT (SELECT count(*) FROM cube_hits WHERE single) AS flagged, (SELECT coalesce(sum(single_patients), 0) FROM cube_strata) AS counted`);
  if (toNumber(check!.flagged) !== toNumber(check!.counted)) {
    throw new VaratlasError('store', `the strata cube counts ${toNumber(check!.counted)} patients with one first episode but flags ${toNumber(check!.flagged)}; run varatlas refresh --full`);
  }
}

/** What the cube holds and whether it is up to date with the store and these definitions. */
export async function cubeStatus(s: DuckDbSession, d: Dialect, c: CubeSubjects): Promise<CubeStatus> {
  const subjects = subjectsOf(d, c);
  const imports = (await s.rows(`SELECT import_id, kind FROM imports ORDER BY import_id`)).map((r) => ({ id: toNumber(r.import_id), kind: String(r.kind) }));
  const signature = hashOf([cubeLayout, imports, subjects.map((x) => [x.key, x.fingerprint])]);
  const [meta] = await s.rows(`SELECT signature, strftime(refreshed_at, '%Y-%m-%d %H:%M:%S') AS at, seconds FROM cube_meta`);
  const [rows] = await s.rows(
    `SELECT (SELECT count(*) FROM cube_hits) AS events_rows, (SELECT count(*) FILTER (WHERE NOT single) FROM cube_hits) AS repeated_rows,
       (SELECT count(DISTINCT service_id) FROM cube_hits) AS subjects,
       (SELECT count(*) FROM cube_hits WHERE NOT contains(service_id, ':')) AS events`,
  );
  const done = new Set((await s.rows(`SELECT DISTINCT subject, fingerprint FROM cube_state`)).map((r) => `${r.subject}|${r.fingerprint}`));
  return {
    fresh: meta?.signature === signature,
    refreshedAt: meta ? String(meta.at) : null,
    seconds: meta ? Number(meta.seconds) : null,
    rows: toNumber(rows!.events_rows),
    repeatedRows: toNumber(rows!.repeated_rows),
    events: toNumber(rows!.events),
    subjects: toNumber(rows!.subjects),
    stale: subjects.filter((x) => !done.has(`${x.key}|${x.fingerprint}`)).map((x) => x.key),
  };
}
