/**
 * Node size = a centrality score. Degrees come from the drawn graph itself (the same numbers the API
 * would give for this scope); PageRank, betweenness and closeness come from the API's `centrality`,
 * which caches them per graph version; Bluesky follower counts come from the profiles.
 */
import type { CentralityMetric } from '../api/types.js';
import type { ViewGraph, ViewModel } from './model.js';

export type SizeMetric = CentralityMetric | 'FOLLOWERS';

export const SIZE_METRICS: ReadonlyArray<{ value: SizeMetric; label: string; explain: string }> = [
  { value: 'PAGERANK', label: 'PageRank', explain: 'PageRank over the follow graph' },
  { value: 'IN_DEGREE', label: 'Followers here', explain: 'followers inside the drawn graph' },
  { value: 'DEGREE', label: 'Degree', explain: 'follows + followers inside the drawn graph' },
  { value: 'BETWEENNESS', label: 'Betweenness', explain: 'betweenness centrality (bridges)' },
  { value: 'CLOSENESS', label: 'Closeness', explain: 'closeness centrality' },
  { value: 'OUT_DEGREE', label: 'Follows here', explain: 'follows inside the drawn graph' },
  { value: 'FOLLOWERS', label: 'Bluesky followers', explain: 'followers on all of Bluesky' },
];

export type LocalMetric = 'DEGREE' | 'IN_DEGREE' | 'OUT_DEGREE' | 'FOLLOWERS';

export function isLocalMetric(metric: SizeMetric): metric is LocalMetric {
  return metric === 'DEGREE' || metric === 'IN_DEGREE' || metric === 'OUT_DEGREE' || metric === 'FOLLOWERS';
}

/** Scores computable without the API (degrees count every follow, drawn or not). */
export function localScores(model: ViewModel, metric: SizeMetric): Map<string, number | null> {
  const { graph } = model;
  const scores = new Map<string, number | null>();
  graph.forEachNode((node, a) => {
    switch (metric) {
      case 'IN_DEGREE':
        scores.set(node, model.follows.inDegree(node));
        break;
      case 'OUT_DEGREE':
        scores.set(node, model.follows.outDegree(node));
        break;
      case 'DEGREE':
        scores.set(node, model.follows.degree(node));
        break;
      case 'FOLLOWERS':
        scores.set(node, a.actor.followersCount);
        break;
      case 'PAGERANK':
        scores.set(node, a.actor.pagerank);
        break;
      default:
        scores.set(node, null);
    }
  });
  return scores;
}

/** Pixel radius range: small graphs get bigger dots, thousands of nodes smaller ones. */
export function sizeRange(order: number): { min: number; max: number } {
  if (order <= 200) return { min: 4, max: 20 };
  if (order <= 2000) return { min: 2, max: 13 };
  return { min: 1.5, max: 11 };
}

/**
 * Writes `size`, `score` and `zIndex`. Square-root scaling: centralities are heavy-tailed, and an
 * area (not a radius) proportional to the score is what the eye compares.
 */
export function applySizes(graph: ViewGraph, scores: ReadonlyMap<string, number | null>): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores.values()) {
    if (s === null || !Number.isFinite(s)) continue;
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  const { min, max } = sizeRange(graph.order);
  const span = hi > lo ? hi - lo : 1;
  graph.updateEachNodeAttributes(
    (node, a) => {
      const s = scores.get(node) ?? null;
      const t = s === null || !Number.isFinite(s) ? 0 : Math.sqrt(Math.max(0, s - lo) / span);
      return { ...a, score: s, size: min + (max - min) * t, zIndex: Math.round(t * 1000) };
    },
    { attributes: ['size', 'score', 'zIndex'] },
  );
}

/** The `count` biggest nodes, biggest first: they keep their labels at any zoom. */
export function largestNodes(graph: ViewGraph, count: number): string[] {
  const all: Array<[string, number]> = [];
  graph.forEachNode((node, a) => all.push([node, a.size]));
  all.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return all.slice(0, count).map(([node]) => node);
}
