import { periodText } from '../../src/model/period.js';
import { api, type ServiceSummary } from './api.js';
import type { About } from '../../src/server/responses.js';
import { chartPartWords, formatNumber, t, termWords, type Key } from './i18n.js';
import { readState, writeState, type State } from './state.js';
import { interventionsView, lowValueView } from './care-views.js';
import { atlasView, factSheetView, labelsView, needsView } from './views.js';
import { concentrationView } from './patient-views.js';
import { pathwayView } from './pathway-view.js';
import { referralView } from './referral-view.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function start(): Promise<void> {
  const services = await api<ServiceSummary[]>('/api/services');
  const probe = await api<{ years: [number, number] }>(`/api/rates?service=${services[0]!.id}`);
  const [from, to] = probe.years;
  let state = readState({ service: services[0]!.id, years: `${from}-${to}` });

  const serviceSelect = $<HTMLSelectElement>('service');
  const yearsSelect = $<HTMLSelectElement>('years');
  const periods = [`${from}-${to}`, ...Array.from({ length: to - from + 1 }, (_, i) => String(to - i))];
  yearsSelect.replaceChildren(...periods.map((p) => new Option(p.replace('-', '–'), p)));

  const about = await api<About>('/api/about').catch(() => null);
  // The local-hospital level only where the geography names one for every place.
  $<HTMLSelectElement>('level').querySelector<HTMLOptionElement>('option[value="local"]')!.hidden = !about?.localAreas;
  if (!about?.localAreas && state.level === 'local') state = { ...state, level: 'area' };
  const render = async () => {
    writeState(state);
    document.documentElement.lang = state.lang === 'nb' ? 'nb' : 'en';
    document.querySelectorAll<HTMLElement>('[data-t]').forEach((node) => (node.textContent = t(node.dataset.t as Key, state.lang)));
    $('lang').textContent = state.lang === 'nb' ? 'English' : 'Norsk';
    $('about').textContent = about ? aboutLine(about, state.lang) : '';
    $('banner').hidden = !about?.synthetic;
    $('banner').textContent = about?.synthetic ? t('demoData', state.lang) : '';
    // The service picker, grouped by specialty.
    const groups = new Map<string, ServiceSummary[]>();
    for (const s of services) groups.set(s.specialty, [...(groups.get(s.specialty) ?? []), s]);
    serviceSelect.replaceChildren(...[...groups].map(([specialty, list]) => {
      const group = document.createElement('optgroup');
      group.label = termWords(specialty, state.lang);
      group.append(...list.map((s) => new Option(s.name[state.lang], s.id)));
      return group;
    }));
    serviceSelect.value = state.service;
    yearsSelect.value = state.years;
    $<HTMLSelectElement>('level').value = state.level;
    $<HTMLSelectElement>('view').value = state.view;
    $<HTMLSelectElement>('measure').value = state.measure;
    $('status').textContent = t('loading', state.lang);
    try {
      const pick = (unit: string) => update({ area: state.area === unit ? '' : unit });
      const nodes =
        state.view === 'labels' ? await labelsView(state)
        : state.view === 'needs' ? await needsView(state)
        : state.view === 'factsheet' ? await factSheetView(state, (area) => update({ area }))
        : state.view === 'lowvalue' ? await lowValueView(state, (lv) => update({ lv }), pick)
        : state.view === 'interventions' ? await interventionsView(state)
        : state.view === 'concentration' ? await concentrationView(state, (use) => update({ use }), pick)
        : state.view === 'pathways' ? await pathwayView(state, update)
        : state.view === 'referrals' ? await referralView(state, pick)
        : await atlasView(state, pick, () => update({ split: !state.split }), () => update({ tiles: !state.tiles }));
      $('main').replaceChildren(...nodes);
      // Plot names each mark's <g> with aria-label ("bar", "rule"), which ARIA allows only on an element
      // with a role: make them named groups, so that assistive technology reads them and axe passes.
      // Their names are Plot's English ones: in Norwegian they are translated.
      document.querySelectorAll('main svg g[aria-label]:not([role])').forEach((g) => {
        g.setAttribute('role', 'group');
        g.setAttribute('aria-label', chartPartWords(g.getAttribute('aria-label')!, state.lang));
      });
      $('status').textContent = '';
      document.body.dataset.ready = 'true';
    } catch (error) {
      $('status').textContent = (error as Error).message;
    }
  };
  const update = (change: Partial<State>) => {
    state = { ...state, ...change };
    // Stays and bed days are published by area and region only: choosing them takes a finer level back to
    // the areas, and choosing a finer level counts events again.
    if ((state.measure === 'stays' || state.measure === 'bed_days') && (state.level === 'local' || state.level === 'municipality')) {
      state = change.measure ? { ...state, level: 'area', area: '' } : { ...state, measure: 'events' };
    }
    void render();
  };

  serviceSelect.addEventListener('change', () => update({ service: serviceSelect.value }));
  yearsSelect.addEventListener('change', () => update({ years: yearsSelect.value }));
  $<HTMLSelectElement>('level').addEventListener('change', (e) => update({ level: (e.target as HTMLSelectElement).value as State['level'], area: '' }));
  $<HTMLSelectElement>('view').addEventListener('change', (e) => update({ view: (e.target as HTMLSelectElement).value as State['view'] }));
  $<HTMLSelectElement>('measure').addEventListener('change', (e) => update({ measure: (e.target as HTMLSelectElement).value as State['measure'] }));
  $('lang').addEventListener('click', () => update({ lang: state.lang === 'nb' ? 'en' : 'nb' }));
  await render();
}

/** The header's line on the data: source file and size, period, last import, the geography used. */
function aboutLine(a: About, lang: State['lang']): string {
  const day = (iso: string) => iso.slice(0, 10);
  const parts = [
    a.episodes ? `${t('dataLine', lang)}: ${a.episodes.fileName} (${formatNumber(a.episodes.rows, lang, 0)} ${t('rows', lang)})` : '',
    a.period ? periodText(a.period) : '',
    a.lastImport ? `${t('lastImport', lang)} ${day(a.lastImport)}` : '',
    a.geography ? `${t('geography', lang)}: ${a.geography.fileName}` : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

void start();
