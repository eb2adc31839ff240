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
  // Louvain's result depends on the order it meets nodes and neighbours: built in DID order, the
  // same graph gives the same partition however it was loaded (streamed from Neo4j, or from memory).
  const ties = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (const did of graph.nodes().sort(compareStrings)) ties.addNode(did);
  const weights = new Map<string, { a: string; b: string; weight: number }>();
  graph.forEachEdge((_edge, _attrs, source, target) => {
    if (source === target) return;
    const [a, b] = source < target ? [source, target] : [target, source];
    const key = `${a} ${b}`;
    const tie = weights.get(key);
    if (tie) tie.weight++;
    else weights.set(key, { a, b, weight: 1 });
  });
  for (const key of [...weights.keys()].sort(compareStrings)) {
    const tie = weights.get(key)!;
    ties.addEdge(tie.a, tie.b, { weight: tie.weight });
  }
  if (ties.size === 0) {
    // Nothing to optimise: everyone is alone (graphology's Louvain needs at least one edge).
    let i = 0;
    return new Map(ties.mapNodes((did) => [did, i++] as [string, number]));
  }
  const labels = louvain(ties, { getEdgeWeight: 'weight', rng: mulberry32(seed) });
  return new Map(Object.entries(labels));
}

function compareStrings(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
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
