/**
 * Loads the whole drawn graph of a hashtag in one request: the members (or, with scope ALL, members
 * and everyone they follow) and every FOLLOWS edge among them, through `communityGraph`, and decodes
 * its `edgeIndex` into the shape the view builds its graphs from.
 */
import { graphql } from './client.js';
import { COMMUNITY_GRAPH } from './operations.js';
import type { Actor, Scope, Subgraph } from './types.js';

/** The most actors the view asks for (the API's default); part of the layout cache key. */
export const VIEW_LIMIT = 20_000;

/**
 * A community graph as the view uses it: actors sorted by DID (insertion order decides Louvain's
 * visiting order and so the colours; the server sorts by PageRank, which changes), and follows as
 * pairs of positions in that order, sorted, without duplicates or self-follows.
 */
export interface CommunityGraph {
  readonly nodes: readonly Actor[];
  /** source0, target0, source1, target1, … (positions in `nodes`). */
  readonly edges: Uint32Array;
  readonly graphVersion: string;
  readonly truncated: boolean;
}

export async function loadCommunityGraph(hashtag: string, scope: Scope, signal?: AbortSignal): Promise<CommunityGraph> {
  const data = await graphql<{ communityGraph: Subgraph }>(COMMUNITY_GRAPH, { hashtag, scope, limit: VIEW_LIMIT }, signal);
  return decodeSubgraph(data.communityGraph);
}

const byDid = (a: Actor, b: Actor) => (a.did < b.did ? -1 : a.did > b.did ? 1 : 0);

/** Pure: the wire subgraph (nodes in server order, edgeIndex into them) to a CommunityGraph. */
export function decodeSubgraph(subgraph: Subgraph): CommunityGraph {
  const wire = subgraph.nodes;
  // Server position → position in DID order; a repeated DID keeps its first position.
  const order = wire.map((_, i) => i).sort((a, b) => byDid(wire[a]!, wire[b]!) || a - b);
  const positionOf = new Int32Array(wire.length).fill(-1);
  const nodes: Actor[] = [];
  for (const i of order) {
    const actor = wire[i]!;
    if (nodes.length > 0 && nodes[nodes.length - 1]!.did === actor.did) positionOf[i] = nodes.length - 1;
    else {
      positionOf[i] = nodes.length;
      nodes.push(actor);
    }
  }
  // Each edge as one number (source × n + target, exact below 2^53) sorts numerically in DID order.
  const n = nodes.length;
  const index = subgraph.edgeIndex;
  const keys = new Float64Array(index.length >> 1);
  let count = 0;
  for (let k = 0; k + 1 < index.length; k += 2) {
    const s = positionOf[index[k]!] ?? -1;
    const t = positionOf[index[k + 1]!] ?? -1;
    if (s < 0 || t < 0 || s === t) continue;
    keys[count++] = s * n + t;
  }
  const sorted = keys.subarray(0, count).sort();
  const edges = new Uint32Array(count * 2);
  let m = 0;
  for (let k = 0; k < count; k++) {
    const key = sorted[k]!;
    if (k > 0 && key === sorted[k - 1]) continue;
    edges[m++] = Math.floor(key / n);
    edges[m++] = key % n;
  }
  return { nodes, edges: edges.subarray(0, m), graphVersion: subgraph.graphVersion, truncated: subgraph.truncated };
}
