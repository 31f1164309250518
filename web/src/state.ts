import type { Lang } from './i18n.js';

/** Everything a view depends on lives in the URL, so a view can be shared by link. */
export interface State {
  service: string;
  years: string;
  level: 'area' | 'region' | 'local' | 'municipality';
  view: 'atlas' | 'labels' | 'needs' | 'factsheet' | 'lowvalue' | 'interventions' | 'concentration' | 'pathways' | 'referrals';
  /** The low-value measure shown. */
  lv: string;
  lang: Lang;
  area: string;
  split: boolean;
  /** The schematic tile map instead of the real one. */
  tiles: boolean;
  measure: 'events' | 'patients' | 'stays' | 'bed_days';
  /** What concentration of use is measured in. */
  use: 'stays' | 'bed_days' | 'outpatient';
  /** The pathway shown, and what it is shown by. */
  pathway: string;
  pby: 'area' | 'region' | 'provider';
}

export function readState(defaults: { service: string; years: string }): State {
  const q = new URLSearchParams(location.search);
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = q.get(name) as T | null;
    return v && allowed.includes(v) ? v : fallback;
  };
  return {
    service: q.get('service') ?? defaults.service,
    years: q.get('years') ?? defaults.years,
    level: pick('level', ['area', 'region', 'local', 'municipality'] as const, 'area'),
    view: pick('view', ['atlas', 'labels', 'needs', 'factsheet', 'lowvalue', 'interventions', 'concentration', 'pathways', 'referrals'] as const, 'atlas'),
    lv: q.get('lv') ?? '',
    lang: pick('lang', ['nb', 'en'] as const, 'en'),
    area: q.get('area') ?? '',
    split: q.get('split') === '1',
    tiles: q.get('map') === 'tiles',
    measure: pick('measure', ['events', 'patients', 'stays', 'bed_days'] as const, 'events'),
    use: pick('use', ['stays', 'bed_days', 'outpatient'] as const, 'stays'),
    pathway: q.get('pathway') ?? '',
    pby: pick('pby', ['area', 'region', 'provider'] as const, 'area'),
  };
}

export function writeState(s: State): void {
  const q = new URLSearchParams({ service: s.service, years: s.years, level: s.level, view: s.view, lang: s.lang });
  if (s.area) q.set('area', s.area);
  if (s.lv) q.set('lv', s.lv);
  if (s.split) q.set('split', '1');
  if (s.tiles) q.set('map', 'tiles');
  if (s.measure !== 'events') q.set('measure', s.measure);
  if (s.use !== 'stays') q.set('use', s.use);
  if (s.pathway) q.set('pathway', s.pathway);
  if (s.pby !== 'area') q.set('pby', s.pby);
  history.replaceState(null, '', `${location.pathname}?${q}`);
}
