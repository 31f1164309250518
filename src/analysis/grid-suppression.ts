import type { SuppressionRules } from '../stats/suppression.js';
import { providerTypes } from './rate-row.js';

/**
 * Coordinated suppression for one service's publication grid, with a proof of protection per cell.
 *
 * The grid: counts by area, region and nation (areas nest in regions) × each year and the period pooled,
 * each row with its events, distinct patients and provider split. What an attacker can combine: every
 * sum between them (region = its areas, nation = its regions, period = its years, events = the split)
 * and that a withheld count is never 0 (zeros are always shown).
 *
 * A count from 1 to `maxHiddenCount` (events, patients or a provider count) is protected when the
 * attacker cannot rule out that it is `maxHiddenCount + 1` or more. We prove that for every such cell by
 * construction: we pick a change of the underlying data — add δ episodes of one provider type in one
 * area and year, and take δ away elsewhere (another area, another year, another provider type, or a
 * rectangle of them) — that leaves every shown figure as it is, keeps every withheld count at 1 or more
 * (every provider count at 0 or more), and lifts the cell to `maxHiddenCount + 1`. The figures it
 * changes are withheld (as few as possible, large ones only where no small one will do). Such data
 * is consistent with everything published, so no combination of outputs can tell the two apart.
 * Distinct patients move with the episodes. The privacy audit (scripts/privacy-audit.ts, and the test
 * beside it) checks the result with linear programming over everything the outputs publish.
 *
 * A grid may go down to months (frames `yyyymm`, as a low-value measure's monthly series does): each
 * month then adds into its year as a year adds into the period, and moves take δ from another month —
 * first from the area's other months of the same year (several where each has few), with the reverse
 * in another area, so that only months change. Only a month's count is protected (its provider split
 * is never published). A withheld month may be 0 (zeros are shown for years and periods only): the
 * moves may then empty it. Every candidate change is checked to lift the cell itself by δ.
 *
 * The local-hospital level (options.localOf) makes the local areas the finest units, each inside one
 * catchment area: the moves are made in local areas, and every level above adds them up. It is added to
 * a grid already decided by area (options.fixed): the figures that decision shows stay shown, so a move
 * may change only what it withholds and the local rows, and the area-level outputs do not change at all.
 * Every small count of every level is protected again with the local rows in view; where one cannot be,
 * GridUnprotectable is thrown (the caller then withholds the level whole).
 *
 * The municipality level (options.cells) goes one step further, on top of the local decision (or the
 * areas' where there are no local areas): a municipality may lie in several local areas (Oslo's and
 * Bergen's districts do), so the finest places are cells — a municipality's part in one local area —
 * which are never published (a cell may be emptied), and the moves stay inside a local area.
 */

export type GridLevel = 'cell' | 'municipality' | 'local' | 'area' | 'region' | 'nation' | 'group';

/** No change of the data that keeps every fixed figure can protect this cell. */
export class GridUnprotectable extends Error {}

/** A month frame of a grid: `yyyymm` (a year frame is `yyyy`). */
export const monthFrame = (year: number, month: number): number => year * 100 + month;
const isMonth = (frame: number) => frame >= 10_000;

export interface GridOptions {
  /** Whether the grid publishes regions (a measure's grid does not): without them, they bind nothing. */
  regions?: boolean;
  /** Sets of areas whose sums are published too (an intervention's areas), as rows of level 'group' given in the grid. */
  groups?: { unit: string; areas: string[] }[];
  /**
   * The most an area may hold in a year, in all and of each provider type (a numerator stays within a
   * published denominator); Infinity where nothing bounds it.
   */
  ceiling?: (area: string, year: number) => { total: number; types: number[] };
  /**
   * The least an area may hold in a year, in all and of each provider type (a published numerator of
   * another table, such as a low-value measure's, lies within it): no change takes it below.
   */
  floor?: (area: string, year: number) => { total: number; types: number[] };
  /** Local-hospital areas as the finest units (rows of level 'local' given in the grid): each one's catchment area. */
  localOf?: Map<string, string>;
  /**
   * Cells as the finest units (rows of level 'cell', never published), with rows of level 'municipality'
   * to decide: each cell's municipality, local area (if any) and catchment area.
   */
  cells?: Map<string, { municipality: string; local: string | null; area: string }>;
  /**
   * An earlier decision over the rows of the other levels: a row it withholds starts withheld, any other
   * row of those levels may not change. Only the finer level's rows are decided here: 'local' with
   * localOf; 'municipality' (and the unpublished cells) with cells.
   */
  fixed?: Map<string, RowMask>;
}

/** One row of the grid's counts (level × unit × frame): what a rate row publishes, and nothing else. */
export interface GridRow {
  level: GridLevel;
  unit: string;
  frame: number | null;
  events: number;
  patients: number;
  providers: Record<(typeof providerTypes)[number], number>;
}

/** A provider split with nothing in it. */
export const noProviders = (): GridRow['providers'] => ({ public: 0, private: 0, contract_specialist: 0 });

export interface RowMask {
  events?: string;
  patients?: string;
  split?: string;
}

/** The one reason every withheld count gives, so that no label tells a small count from its complement. */
export const withheldCountReason = 'withheld: a count of 1–4, or one that would let such a count be worked out';

/** The reason every figure of a level gives when it is withheld whole for a service (GridUnprotectable). */
export const levelWithheldReasons = {
  local: 'withheld: this service is not published by local-hospital area, since its small counts could not be protected there',
  municipality: 'withheld: this service is not published by municipality, since its small counts could not be protected there',
} as const;

/** The most changes tried for one count of the municipality level's grid (hundreds of cells). */
const cellSearchBudget = 50_000;

const rowKey = (level: GridLevel, unit: string, frame: number | null) => `${level}|${unit}|${frame ?? 'all'}`;
export { rowKey as gridRowKey };

export function coordinateSuppression(grid: GridRow[], regionOf: Map<string, string>, rules: SuppressionRules, options: GridOptions = {}): Map<string, RowMask> {
  const byKey = new Map<string, GridRow>();
  for (const r of grid) if (!byKey.has(rowKey(r.level, r.unit, r.frame))) byKey.set(rowKey(r.level, r.unit, r.frame), r);
  // The finest units (the leaves' place): the catchment areas, their local-hospital areas, or cells.
  const leafLevel: GridLevel = options.cells ? 'cell' : options.localOf ? 'local' : 'area';
  const areas = [...new Set([...byKey.values()].filter((r) => r.level === leafLevel).map((r) => r.unit))];
  const placeOf = (unit: string): { cell?: string; municipality?: string; local?: string; area: string } => {
    const cell = options.cells?.get(unit);
    if (cell) return { cell: unit, municipality: cell.municipality, local: cell.local ?? undefined, area: cell.area };
    return options.localOf ? { local: unit, area: options.localOf.get(unit) ?? unit } : { area: unit };
  };
  const placeOfLeaf = areas.map(placeOf);
  // The levels this grid decides (any other row given is fixed by options.fixed).
  const deciding: GridLevel[] = options.cells ? ['cell', 'municipality'] : options.localOf ? ['local'] : ['area', 'region', 'nation', 'group'];
  const frames = [...new Set([...byKey.values()].map((r) => r.frame).filter((f): f is number => f !== null))].sort((a, b) => a - b);
  const monthly = frames.some(isMonth);
  // The finest frames (the leaves' time) and the frames each adds into: itself, its year (months), the period.
  const years = monthly ? frames.filter(isMonth) : frames;
  const timeOf = (f: number): (number | null)[] => (isMonth(f) ? [f, Math.floor(f / 100), null] : [f, null]);
  const levels: ('cell' | 'municipality' | 'local' | 'area' | 'region' | 'nation')[] = [
    ...(options.cells ? (['cell', 'municipality'] as const) : []),
    ...(options.localOf || placeOfLeaf.some((p) => p.local !== undefined) ? (['local'] as const) : []),
    'area', ...(options.regions === false ? [] : (['region'] as const)), 'nation',
  ];
  const areaOfLeaf = placeOfLeaf.map((p) => p.area);
  // The place a move may stay inside, keeping every row above it: a cell's local area (or catchment
  // area), a local area's catchment area. Each leaf's units there, itself first (itself only, by area).
  const groupOfLeaf = placeOfLeaf.map((p) => (options.cells ? (p.local ?? p.area) : p.area));
  const siblings = areas.map((_, a) => [a, ...areas.map((__, b) => b).filter((b) => b !== a && groupOfLeaf[b] === groupOfLeaf[a])]);
  // Each group once (by its first leaf); per leaf, the other groups, those of its own catchment area first.
  const groupLeads = areas.map((_, a) => a).filter((a) => siblings[a]![0] === a);
  const otherGroups = areas.map((_, a) => {
    const others = groupLeads.filter((g) => groupOfLeaf[g] !== groupOfLeaf[a]);
    return [...others.filter((g) => areaOfLeaf[g] === areaOfLeaf[a]), ...others.filter((g) => areaOfLeaf[g] !== areaOfLeaf[a])];
  });
  const regionOfArea = areaOfLeaf.map((a) => regionOf.get(a) ?? '');
  const types = providerTypes;
  const T = types.length;
  const row = (level: GridLevel, unit: string, frame: number | null): GridRow => {
    const key = rowKey(level, unit, frame);
    let r = byKey.get(key);
    if (!r) {
      r = { level, unit, frame, events: 0, patients: 0, providers: noProviders() };
      byKey.set(key, r);
    }
    return r;
  };
  // The rows a cell of the finest grain (area × year, or area × month) adds into: itself, its year and
  // period, its region's, the nation's — by number, so that the search below allocates nothing.
  // Then the rows of the groups the area is in.
  const leaves: GridRow[][] = [];
  for (let a = 0; a < areas.length; a++) {
    const groups = (options.groups ?? []).filter((g) => g.areas.includes(areaOfLeaf[a]!)).map((g) => g.unit);
    for (let y = 0; y < years.length; y++) {
      const place = placeOfLeaf[a]!;
      const unitAt = { cell: areas[a]!, municipality: place.municipality ?? '', local: place.local ?? '', area: areaOfLeaf[a]!, region: regionOfArea[a]!, nation: 'national' };
      const time = timeOf(years[y]!);
      leaves.push([...levels.flatMap((level) => time.map((f) => row(level, unitAt[level], f))), ...groups.flatMap((g) => time.map((f) => row('group', g, f)))]);
    }
  }
  const rows = [...byKey.values()];
  const index = new Map(rows.map((r, i) => [r, i]));
  const leafRows = Int32Array.from(leaves.flatMap((l) => l.map((r) => index.get(r)!)));
  const monthRow = Uint8Array.from(rows, (r) => (r.frame !== null && isMonth(r.frame) ? 1 : 0));
  // Rows that may fall to 0 when withheld: a month (zeros are shown for years and periods only) and a
  // cell (never published).
  const mayEmpty = Uint8Array.from(rows, (r, i) => (monthRow[i] || r.level === 'cell' ? 1 : 0));
  const leafStart = new Int32Array(leaves.length + 1);
  leaves.forEach((l, i) => (leafStart[i + 1] = leafStart[i]! + l.length));
  // Per leaf: the bound on its area's year, in all (first) and per provider type; the row of that year
  // among the leaf's rows (its own, the leaf's level first).
  const yearRow = levels.indexOf('area') * (monthly ? 3 : 2) + (monthly ? 1 : 0);
  const bounds = (of: GridOptions['ceiling'], none: number) => {
    const bound = new Float64Array(leaves.length * (T + 1)).fill(none);
    if (!of) return bound;
    for (let l = 0; l < leaves.length; l++) {
      const frame = years[l % years.length]!;
      const b = of(areaOfLeaf[Math.floor(l / years.length)]!, monthly ? Math.floor(frame / 100) : frame);
      bound[l * (T + 1)] = b.total;
      for (let t = 0; t < T; t++) bound[l * (T + 1) + 1 + t] = b.types[t]!;
    }
    return bound;
  };
  const ceiling = bounds(options.ceiling, Infinity);
  const floorOf = bounds(options.floor, 0);
  const leaf = (a: number, y: number) => a * years.length + y;
  const events = Float64Array.from(rows, (r) => r.events);
  const patients = Float64Array.from(rows, (r) => r.patients);
  const providers = Float64Array.from(rows.flatMap((r) => types.map((t) => r.providers[t])));
  const counts = new Uint8Array(rows.length);
  const split = new Uint8Array(rows.length);
  const small = (n: number) => n >= 1 && n <= rules.maxHiddenCount;
  const floor = rules.maxHiddenCount + 1;
  // Rows of an earlier decision: withheld as it withheld them; the others may not change.
  const frozenCounts = new Uint8Array(rows.length);
  const frozenSplit = new Uint8Array(rows.length);
  if (options.fixed) {
    rows.forEach((r, i) => {
      if (deciding.includes(r.level)) return;
      const mask = options.fixed!.get(rowKey(r.level, r.unit, r.frame));
      if (mask?.events) counts[i] = split[i] = 1;
      else frozenCounts[i] = 1;
      if (mask?.split) split[i] = 1;
      else if (!mask?.events) frozenSplit[i] = 1;
    });
  }

  // Primary: every small count.
  const targets: { row: number; type: number | null; value: number }[] = [];
  rows.forEach((r, i) => {
    // A cell is never published: withheld from the start, and no target.
    if (r.level === 'cell') {
      counts[i] = split[i] = 1;
      return;
    }
    const smallCounts = [r.events, r.patients].filter(small);
    if (smallCounts.length) {
      counts[i] = split[i] = 1;
      targets.push({ row: i, type: null, value: Math.min(...smallCounts) });
    }
    // A month's provider split is never published (a series shows counts only).
    if (monthRow[i]) return;
    types.forEach((t, k) => {
      if (small(r.providers[t])) {
        split[i] = 1;
        targets.push({ row: i, type: k, value: r.providers[t] });
      }
    });
  });

  // A change of the data: moves of episodes, each (leaf, provider type, signed number), in `moves`.
  const maxMoves = 64;
  const moves = new Int32Array(maxMoves * 3);
  let size = 0;
  const eventChange = new Int32Array(rows.length);
  const providerChange = new Int32Array(rows.length * T);
  const touched = new Int32Array(rows.length);
  const mark = new Uint8Array(rows.length);
  let touchedCount = 0;
  const spread = () => {
    touchedCount = 0;
    for (let m = 0; m < size; m++) {
      const l = moves[m * 3]!;
      const type = moves[m * 3 + 1]!;
      const amount = moves[m * 3 + 2]!;
      for (let k = leafStart[l]!; k < leafStart[l + 1]!; k++) {
        const r = leafRows[k]!;
        if (!mark[r]) {
          mark[r] = 1;
          touched[touchedCount++] = r;
        }
        eventChange[r]! += amount;
        providerChange[r * T + type]! += amount;
      }
    }
  };
  const clear = () => {
    for (let i = 0; i < touchedCount; i++) {
      const r = touched[i]!;
      mark[r] = 0;
      eventChange[r] = 0;
      for (let t = 0; t < T; t++) providerChange[r * T + t] = 0;
    }
  };
  // The cost of the change, or -1 when it is not possible: rows whose counts change must be
  // withheld (never a row of zeros), and none may fall below 1 (a provider count below 0).
  const cost = (target: { row: number; type: number | null }, delta: number): number => {
    spread();
    // The change must lift the cell by δ (in a grid of months, a move within its year would not).
    const lift = target.type === null ? eventChange[target.row]! : providerChange[target.row * T + target.type]!;
    let total = lift === delta ? 0 : -1;
    for (let i = 0; i < touchedCount && total >= 0; i++) {
      const r = touched[i]!;
      const e = eventChange[r]!;
      if (e !== 0 && frozenCounts[r]) total = -1;
      else if (e !== 0) {
        // A month may be withheld at 0 (an area's months are withheld together where few): it only stays at 0 or more.
        if (mayEmpty[r] ? events[r]! + e < 0 : events[r] === 0 || events[r]! + e < 1 || patients[r]! + e < 1) total = -1;
        else if (!counts[r]) total += 1000 + events[r]!;
      }
      let moved = false;
      for (let t = 0; t < T && total >= 0; t++) {
        const c = providerChange[r * T + t]!;
        if (c === 0) continue;
        moved = true;
        if (providers[r * T + t]! + c < 0) total = -1;
      }
      if (moved && frozenSplit[r]) total = -1;
      else if (moved && total >= 0 && !split[r]) total += 10;
    }
    // An area's year that gains should stay within its ceiling: a change that goes beyond is taken only
    // when no other will do (adding δ alone always does), since an attacker who compares the two counts
    // could then narrow the cell; the audit checks every such case with the bound included.
    for (let m = 0; m < size && total >= 0; m++) {
      const l = moves[m * 3]!;
      const type = moves[m * 3 + 1]!;
      const r = leafRows[leafStart[l]! + yearRow]!;
      // An area's year that loses may not fall below its floor.
      if (moves[m * 3 + 2]! < 0) {
        if (events[r]! + eventChange[r]! < floorOf[l * (T + 1)]! || providers[r * T + type]! + providerChange[r * T + type]! < floorOf[l * (T + 1) + 1 + type]!) total = -1;
        continue;
      }
      const over = events[r]! + eventChange[r]! > ceiling[l * (T + 1)]! || providers[r * T + type]! + providerChange[r * T + type]! > ceiling[l * (T + 1) + 1 + type]!;
      if (over) total += 1e7;
    }
    clear();
    return total;
  };

  for (const target of targets) {
    const delta = floor - target.value;
    const r = rows[target.row]!;
    const members = r.level === 'group' ? options.groups?.find((g) => g.unit === r.unit)?.areas ?? [] : [];
    const inUnit = areas.map((_, i) => i).filter((i) => {
      const place = placeOfLeaf[i]!;
      return r.level === 'nation' || (r.level === 'region' ? regionOfArea[i] === r.unit : r.level === 'group' ? members.includes(areaOfLeaf[i]!)
        : r.level === 'area' ? areaOfLeaf[i] === r.unit : r.level === 'local' ? place.local === r.unit : r.level === 'municipality' ? place.municipality === r.unit : areas[i] === r.unit);
    });
    const inFrame = years.map((_, i) => i).filter((i) => r.frame === null || timeOf(years[i]!).includes(r.frame));
    let best = -1;
    let bestMoves = new Int32Array(0);
    /** Set the change to the move (l, t, +δ) and up to three more (leaf, type, ±δ). */
    const set = (l: number, t: number, ...more: number[]) => {
      moves[0] = l;
      moves[1] = t;
      moves[2] = delta;
      for (let i = 0; i < more.length; i++) moves[3 + i] = i % 3 === 2 ? more[i]! * delta : more[i]!;
      size = 1 + more.length / 3;
    };
    /** Append a move of `amount` episodes (leaf, type) to the change. */
    const push = (l: number, t: number, amount: number) => {
      moves[size * 3] = l;
      moves[size * 3 + 1] = t;
      moves[size * 3 + 2] = amount;
      size++;
    };
    let tries = 0;
    /** Keep the change in `moves` if it is the cheapest so far; true when it costs nothing. */
    const consider = (): boolean => {
      // Cells: a bounded search per count; beyond it the level is withheld whole (always safe).
      if (options.cells && ++tries > cellSearchBudget) throw new GridUnprotectable(`no change of the data protects ${rowKey(r.level, r.unit, r.frame)} within the search's bound`);
      const c = cost(target, delta);
      if (c >= 0 && (best < 0 || c < best)) {
        best = c;
        bestMoves = moves.slice(0, size * 3);
      }
      return best === 0;
    };
    /** A leaf's own count of provider type t. */
    const own = (l: number, t: number) => providers[leafRows[leafStart[l]!]! * T + t]!;
    /**
     * In a grid of months: δ episodes of type t added to month y of area a, and δ of type t2 taken from
     * its months of the same year (that month first, then the fullest, several where each has few), so
     * that the area's year keeps its count; alone, or with the reverse in another area so that the
     * nation's months (and split) stay as they are. True when one costs nothing.
     */
    const within = (a: number, y: number, t: number, t2: number): boolean => {
      const year = Math.floor(years[y]! / 100);
      const sources: number[] = [];
      let available = 0;
      for (let y2 = 0; y2 < years.length; y2++) {
        if ((y2 === y && t2 === t) || Math.floor(years[y2]! / 100) !== year || own(leaf(a, y2), t2) === 0) continue;
        sources.push(y2);
        available += own(leaf(a, y2), t2);
      }
      if (available < delta) return false;
      sources.sort((p, q) => (p === y ? -1 : q === y ? 1 : own(leaf(a, q), t2) - own(leaf(a, p), t2)));
      const takes: [number, number][] = [];
      let left = delta;
      for (const y2 of sources) {
        if (left === 0) break;
        const k = Math.min(left, own(leaf(a, y2), t2));
        takes.push([y2, k]);
        left -= k;
      }
      const build = (a2: number, t3: number) => {
        size = 0;
        push(leaf(a, y), t, delta);
        for (const [y2, k] of takes) push(leaf(a, y2), t2, -k);
        if (a2 < 0) return;
        push(leaf(a2, y), t3, -delta);
        for (const [y2, k] of takes) push(leaf(a2, y2), t3, k);
      };
      build(-1, t);
      if (consider()) return true;
      // The reverse in another area, of any type it has (where not of type t, the nation's split changes).
      for (let a2 = 0; a2 < areas.length; a2++) {
        for (let t3 = 0; t3 < T; t3++) {
          if (a2 === a || own(leaf(a2, y), t3) < delta) continue;
          build(a2, t3);
          if (consider()) return true;
        }
      }
      return false;
    };
    /**
     * Finer places: take `amount` episodes of type t in year y from the places of a's group (the local
     * areas of its catchment area, or the cells of its local area), but leaf `except`, the fullest first,
     * each published one left with one or more; false when they hold too few.
     */
    const take = (a: number, y: number, t: number, amount: number, except: number): boolean => {
      const from = siblings[a]!.map((b) => leaf(b, y)).filter((b) => b !== except);
      const room = (b: number) => {
        const row = leafRows[leafStart[b]!]!;
        return mayEmpty[row] ? own(b, t) : Math.max(0, Math.min(own(b, t), events[row]! - 1, patients[row]! - 1));
      };
      from.sort((p, q) => room(q) - room(p));
      let left = amount;
      for (const b of from) {
        const k = Math.min(left, room(b));
        if (k === 0) break;
        if (size >= maxMoves) return false;
        push(b, t, -k);
        left -= k;
        if (left === 0) return true;
      }
      return false;
    };
    /**
     * Finer places: `amount` episodes of the places of a's group in year y (but leaf `except`)
     * changed from type t to t2, the fullest first; false when they hold too few of type t.
     */
    const swap = (a: number, y: number, t: number, t2: number, amount: number, except: number): boolean => {
      const from = siblings[a]!.map((b) => leaf(b, y)).filter((b) => b !== except);
      from.sort((p, q) => own(q, t) - own(p, t));
      let left = amount;
      for (const b of from) {
        const k = Math.min(left, own(b, t));
        if (k === 0) break;
        if (size + 2 > maxMoves) return false;
        push(b, t, -k);
        push(b, t2, k);
        left -= k;
        if (left === 0) return true;
      }
      return false;
    };
    /** Finer places: δ of type t to leaf l, taken from a's group in the same year, or from another year or group (and back). */
    const local = (a: number, y: number, l: number, t: number): boolean => {
      const start = () => {
        size = 0;
        push(l, t, delta);
      };
      // A provider count: another type in the same place, alone, or the reverse in the same catchment area or another.
      for (let t2 = 0; t2 < T && target.type !== null; t2++) {
        if (t2 === t) continue;
        start();
        push(l, t2, -delta);
        if (consider()) return true;
        if (swap(a, y, t, t2, delta, l) && consider()) return true;
        for (const a2 of otherGroups[a]!) {
          start();
          push(l, t2, -delta);
          if (swap(a2, y, t, t2, delta, -1) && consider()) return true;
        }
      }
      start();
      if (take(a, y, t, delta, l) && consider()) return true;
      for (let y2 = 0; y2 < years.length; y2++) {
        if (y2 === y) continue;
        start();
        if (take(a, y2, t, delta, -1) && consider()) return true;
      }
      for (const a2 of otherGroups[a]!) {
        start();
        if (take(a2, y, t, delta, -1) && consider()) return true;
        for (let y2 = 0; y2 < years.length; y2++) {
          if (y2 === y) continue;
          for (const a3 of siblings[a2]!) {
            if (events[leafRows[leafStart[leaf(a3, y2)]!]!] === 0) continue;
            start();
            if (take(a2, y, t, delta, -1) && take(a, y2, t, delta, -1) && size < maxMoves) {
              push(leaf(a3, y2), t, delta);
              if (consider()) return true;
            }
          }
        }
      }
      return false;
    };
    search: for (const a of inUnit) {
      for (const y of inFrame) {
        const l = leaf(a, y);
        if (events[leafRows[leafStart[l]!]!] === 0) continue;
        for (let t = 0; t < T; t++) {
          if (target.type !== null && t !== target.type) continue;
          // A provider count is lifted where that provider has episodes (there always is such a place).
          if (target.type !== null && providers[leafRows[leafStart[l]!]! * T + t] === 0) continue;
          // For a provider count, first another provider type in the same place (the events stay as
          // they are, so this lifts no count of events or patients), alone or with another area.
          for (let t2 = 0; t2 < T && target.type !== null; t2++) {
            if (t2 === t) continue;
            set(l, t, l, t2, -1);
            if (consider()) break search;
            for (let a2 = 0; a2 < areas.length; a2++) {
              if (a2 === a) continue;
              set(l, t, l, t2, -1, leaf(a2, y), t, -1, leaf(a2, y), t2, 1);
              if (consider()) break search;
            }
          }
          // In a grid of months: a month's count moved within its year, or a provider count lifted
          // within the year (the year's split changes, its count does not).
          if (monthRow[target.row] && within(a, y, t, t)) break search;
          if (monthly && target.type !== null) for (let t2 = 0; t2 < T; t2++) if (t2 !== t && within(a, y, t, t2)) break search;
          if ((options.localOf || options.cells) && local(a, y, l, t)) break search;
          // Cells (hundreds of places): the moves inside and between local areas only, and the first
          // change that protects the cell, not the cheapest of all, so that the search stays bounded.
          if (options.cells) {
            if (best >= 0) break search;
            continue;
          }
          // Another year of the area (of any local area in the same catchment area), another area in the
          // year, a rectangle of both, or nothing taken away.
          for (let y2 = 0; y2 < years.length; y2++) {
            if (y2 === y) continue;
            for (const a1 of siblings[a]!) {
              set(l, t, leaf(a1, y2), t, -1);
              if (consider()) break search;
            }
          }
          for (let a2 = 0; a2 < areas.length; a2++) {
            if (a2 === a) continue;
            set(l, t, leaf(a2, y), t, -1);
            if (consider()) break search;
            for (let y2 = 0; y2 < years.length; y2++) {
              if (y2 === y) continue;
              for (const a1 of siblings[a]!) {
                for (const a3 of siblings[a2]!) {
                  set(l, t, leaf(a2, y), t, -1, leaf(a1, y2), t, -1, leaf(a3, y2), t, 1);
                  if (consider()) break search;
                }
              }
            }
          }
          set(l, t);
          if (consider()) break search;
        }
      }
    }
    // Adding δ alone (nothing taken away) is always possible, withholding every row above the cell,
    // unless an earlier decision shows one of them.
    if (best < 0) throw new GridUnprotectable(`no change of the data protects ${rowKey(r.level, r.unit, r.frame)}`);
    moves.set(bestMoves);
    size = bestMoves.length / 3;
    spread();
    for (let i = 0; i < touchedCount; i++) {
      const x = touched[i]!;
      if (eventChange[x] !== 0) counts[x] = split[x] = 1;
      for (let t = 0; t < T; t++) if (providerChange[x * T + t] !== 0) split[x] = 1;
    }
    clear();
  }

  const masks = new Map<string, RowMask>();
  const reason = (on: number) => (on ? withheldCountReason : undefined);
  rows.forEach((x, i) => masks.set(rowKey(x.level, x.unit, x.frame), { events: reason(counts[i]!), patients: reason(counts[i]!), split: reason(split[i]!) }));
  return masks;
}
