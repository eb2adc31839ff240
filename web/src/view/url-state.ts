/** The view's state in the address bar, so a picture can be shared: ?hashtag=…&scope=…&size=…&actor=… */
import type { CommunityAlgorithm, Scope } from '../api/types.js';
import { SIZE_METRICS, type SizeMetric } from '../graph/sizes.js';

export interface ViewState {
  hashtag: string | null;
  scope: Scope;
  metric: SizeMetric;
  /** DID or handle of the selected actor. */
  actor: string | null;
  /** Layout budget override in ms (tests and demos); null = automatic. */
  layoutMs: number | null;
  /** Edge budget override: a number or 'all'; null = automatic (see edge-budget.ts). */
  edges: string | null;
  /** Which partition colours the nodes: ?communities=leiden. */
  algorithm: CommunityAlgorithm;
}

export function readUrlState(): ViewState {
  const p = new URLSearchParams(window.location.search);
  const scope = p.get('scope')?.toUpperCase() === 'ALL' ? 'ALL' : 'COMMUNITY';
  const size = p.get('size')?.toUpperCase();
  const metric = SIZE_METRICS.find((m) => m.value === size)?.value ?? 'PAGERANK';
  const layout = Number(p.get('layoutMs'));
  return {
    hashtag: p.get('hashtag')?.replace(/^#/, '').toLowerCase() || null,
    scope,
    metric,
    actor: p.get('actor') || null,
    layoutMs: p.has('layoutMs') && Number.isFinite(layout) && layout >= 0 ? layout : null,
    edges: p.get('edges'),
    algorithm: p.get('communities')?.toUpperCase() === 'LEIDEN' ? 'LEIDEN' : 'LOUVAIN',
  };
}

export function writeUrlState(state: ViewState): void {
  const p = new URLSearchParams(window.location.search);
  const set = (k: string, v: string | null) => (v === null ? p.delete(k) : p.set(k, v));
  set('hashtag', state.hashtag);
  set('scope', state.scope === 'COMMUNITY' ? null : state.scope);
  set('size', state.metric === 'PAGERANK' ? null : state.metric);
  set('actor', state.actor);
  set('communities', state.algorithm === 'LOUVAIN' ? null : state.algorithm.toLowerCase());
  const query = p.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
}
