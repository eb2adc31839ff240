/** What colours and sizes mean: the biggest communities by their best-known members, and the size metric. */
import type { CommunityAssignment } from '../graph/communities.js';
import { OTHER_COLOUR } from '../graph/communities.js';
import type { CommunityAlgorithm, Completeness } from '../api/types.js';
import { clear, compact, h } from './dom.js';

export function renderLegend(
  root: HTMLElement,
  c: CommunityAssignment,
  sizeExplain: string,
  drawn: { nodes: number; edges: number; drawnEdges: number },
  extras: LegendExtras = {},
): void {
  const { onAlgorithm = null, completeness = null, core = null, time = null } = extras;
  clear(root);
  const name = c.algorithm === 'LEIDEN' ? 'Leiden' : 'Louvain';
  const origin = c.origin === 'server' ? `${name}, from the server` : `${name}, computed here`;
  const picker = onAlgorithm
    ? h(
        'select',
        { testid: 'community-algorithm', title: 'Community algorithm', onchange: (e: Event) => onAlgorithm((e.target as HTMLSelectElement).value as CommunityAlgorithm) },
        ...(['LOUVAIN', 'LEIDEN'] as const).map((a) => {
          const option = h('option', { value: a }, a === 'LEIDEN' ? 'Leiden' : 'Louvain');
          (option as HTMLOptionElement).selected = a === c.algorithm;
          return option;
        }),
      )
    : null;
  root.append(h('h2', {}, h('span', {}, 'Communities'), picker, h('small', { title: origin }, `${c.total} · ${c.origin === 'server' ? 'server' : 'browser'}`)));
  const list = h('ul', { testid: 'legend-communities' });
  for (const group of c.coloured) {
    const swatch = h('span', { class: 'dot' });
    swatch.style.background = group.colour;
    list.append(
      h(
        'li',
        {
          testid: 'legend-community',
          'data-community': group.id,
          title: [group.keywords.length ? `Keywords: ${group.keywords.join(', ')}` : '', `Top: ${group.topHandles.map((x) => `@${x}`).join(', ')}`].filter(Boolean).join('\n'),
        },
        swatch,
        group.label ? h('span', { class: 'names', testid: 'legend-label' }, group.label) : h('span', { class: 'names' }, group.top.length ? group.top.join(', ') : `Community ${group.id}`),
        h('span', { class: 'count' }, compact(group.size)),
      ),
    );
  }
  if (c.otherNodes > 0) {
    const swatch = h('span', { class: 'dot' });
    swatch.style.background = OTHER_COLOUR;
    const label = c.otherCount > 0 ? `${c.otherCount} smaller groups` : 'No community';
    list.append(h('li', {}, swatch, h('span', { class: 'names' }, label), h('span', { class: 'count' }, compact(c.otherNodes))));
  }
  root.append(list);
  root.append(
    h(
      'div',
      { class: 'sizes' },
      sizeKey(),
      h(
        'span',
        {},
        `Size: ${sizeExplain}. Lines: ${compact(drawn.edges)} follows among ${compact(drawn.nodes)} actors`,
        drawn.drawnEdges < drawn.edges ? ` (a sample of ${compact(drawn.drawnEdges)} drawn).` : '.',
      ),
    ),
  );
  if (core && core.max > 0) root.append(coreFilter(core));
  if (time && time.days.length > 0) root.append(timeSlider(time));
  if (completeness) root.append(completenessLine(completeness));
  root.hidden = false;
}

export interface LegendExtras {
  /** Offers the Louvain/Leiden picker when given. */
  readonly onAlgorithm?: ((algorithm: CommunityAlgorithm) => void) | null;
  readonly completeness?: Completeness | null;
  /** The k-core filter: the largest core, the chosen k, how many actors it keeps. */
  readonly core?: { readonly max: number; readonly value: number; readonly kept: number; readonly onChange: (k: number) => void } | null;
  /** The time slider: days with changes (ISO dates, oldest first), the chosen one (null: today). */
  readonly time?: { readonly days: readonly string[]; readonly value: string | null; readonly shown: number | null; readonly onChange: (day: string | null) => void } | null;
}

function timeSlider(time: NonNullable<LegendExtras['time']>): HTMLElement {
  const last = time.days.length; // one step past the last day: today, no filter
  const at = time.value === null ? last : Math.max(0, time.days.indexOf(time.value));
  const label = h('span', { testid: 'time-label' }, time.value === null ? 'Today' : `As of ${time.value}${time.shown === null ? '' : `: ${compact(time.shown)} actors`}`);
  const slider = h('input', { type: 'range', min: 0, max: last, step: 1, value: at, testid: 'time-slider', title: 'The graph as it stood on a past day: members by their first post with the tag, follows by their record date (undated follows kept)' });
  slider.addEventListener('change', () => {
    const i = Number(slider.value);
    time.onChange(i >= last ? null : (time.days[i] as string));
  });
  return h('div', { class: 'kcore' }, slider, label);
}

function coreFilter(core: NonNullable<LegendExtras['core']>): HTMLElement {
  const label = h('span', { testid: 'kcore-label' }, core.value > 0 ? `Core ≥ ${core.value}: ${compact(core.kept)} actors` : 'All actors (k-core filter off)');
  const slider = h('input', { type: 'range', min: 0, max: core.max, step: 1, value: core.value, testid: 'kcore-filter', title: 'Hide actors outside the k-core: keep only groups where everyone has at least k ties inside' });
  slider.addEventListener('change', () => core.onChange(Number(slider.value)));
  return h('div', { class: 'kcore' }, slider, label);
}

/** One line on what the graph omits; the details in its tooltip. */
function completenessLine(c: Completeness): HTMLElement {
  const share = c.listedShare === null ? null : Math.min(1, c.listedShare);
  const parts = [
    share === null ? 'follow counts unknown' : `${(share * 100).toFixed(share >= 0.995 && share < 1 ? 1 : 0)}% of profiles' follows`,
    c.membersWithoutProfile ? `${compact(c.membersWithoutProfile)} without profile` : null,
    c.lastRun?.searchCapHit ? `search cap hit (${c.lastRun.searchWindows} windows)` : null,
  ].filter(Boolean);
  const detail = [
    `${compact(c.membersShort)} members list fewer follows than their profile (${compact(c.followsGap)} missing: blocked, deleted or taken-down accounts the AppView leaves out)`,
    c.lastRun ? `${c.lastRun.incompleteFollowLists} follow lists could not be read to the end` : 'no ingest run recorded',
  ].join('\n');
  return h('div', { class: 'completeness', testid: 'completeness', title: detail }, `Crawl: ${parts.join(' · ')}`);
}

function sizeKey(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '38');
  svg.setAttribute('height', '22');
  svg.setAttribute('aria-hidden', 'true');
  [
    [4, 17, 3],
    [13, 15, 5],
    [27, 11, 9],
  ].forEach(([cx, cy, r]) => {
    const c = document.createElementNS(ns, 'circle');
    c.setAttribute('cx', String(cx));
    c.setAttribute('cy', String(cy));
    c.setAttribute('r', String(r));
    c.setAttribute('fill', '#c9ced6');
    svg.append(c);
  });
  return svg;
}
