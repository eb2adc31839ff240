/**
 * Louvain communities on a follow graph (pure). Follows are read as undirected ties, a mutual follow
 * counting twice — the same graph GDS sees when it projects FOLLOWS as undirected.
 */
import { Graph, louvain } from './graphology-modules.js';
import type { FollowGraph } from './follow-graph.js';
import { LOUVAIN_SEED } from './parameters.js';
import { mulberry32 } from '../random/mulberry32.js';

/** DID → raw community label (not yet canonical: see canonicalCommunities). */
export function louvainCommunities(graph: FollowGraph, seed = LOUVAIN_SEED): Map<string, number> {
  const ties = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  graph.forEachNode((did) => ties.addNode(did));
  graph.forEachEdge((_edge, _attrs, source, target) => {
    if (source === target) return;
    ties.updateEdge(source, target, (attrs: { weight?: number }) => ({ weight: (attrs.weight ?? 0) + 1 }));
  });
  if (ties.size === 0) {
    // Nothing to optimise: everyone is alone (graphology's Louvain needs at least one edge).
    let i = 0;
    return new Map(ties.mapNodes((did) => [did, i++] as [string, number]));
  }
  const labels = louvain(ties, { getEdgeWeight: 'weight', rng: mulberry32(seed) });
  return new Map(Object.entries(labels));
}

/**
 * Renumbers communities 0, 1, 2 … by size (largest first), then by their smallest DID, so ids do not
 * depend on the engine's internal labels and stay put across recomputations of the same graph.
 */
export function canonicalCommunities(assignment: ReadonlyMap<string, number>): Map<string, number> {
  const groups = new Map<number, { size: number; smallest: string }>();
  for (const [did, label] of assignment) {
    const g = groups.get(label);
    if (!g) groups.set(label, { size: 1, smallest: did });
    else {
      g.size++;
      if (did < g.smallest) g.smallest = did;
    }
  }
  const order = [...groups.entries()].sort(([, a], [, b]) => b.size - a.size || (a.smallest < b.smallest ? -1 : a.smallest > b.smallest ? 1 : 0));
  const ids = new Map(order.map(([label], i) => [label, i]));
  const out = new Map<string, number>();
  for (const [did, label] of assignment) out.set(did, ids.get(label) as number);
  return out;
}
