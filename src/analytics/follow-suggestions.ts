/**
 * Who to follow (pure): Adamic–Adar over the follow graph. A candidate is an actor in the graph that
 * the actor does not follow; each of the actor's follows who follows the candidate adds
 * 1 / log(its degree), so a tip from a selective account weighs more than one from an account that
 * follows everyone. Degree is in + out within the graph (at least 2 for any such intermediary).
 */
import type { FollowGraph } from './follow-graph.js';

export interface FollowSuggestion {
  readonly did: string;
  readonly score: number;
  /** How many of the actor's follows follow the candidate. */
  readonly via: number;
  /** Some of those follows, highest contribution first (at most `sampleSize`). */
  readonly sampleVia: string[];
}

export function suggestFollows(graph: FollowGraph, did: string, first: number, sampleSize = 3): FollowSuggestion[] {
  if (!graph.hasNode(did)) return [];
  const following = new Set(graph.outNeighbors(did));
  const candidates = new Map<string, { score: number; via: Array<{ did: string; weight: number }> }>();
  for (const w of following) {
    if (w === did) continue;
    const weight = 1 / Math.log(graph.inDegree(w) + graph.outDegree(w));
    graph.forEachOutNeighbor(w, (z) => {
      if (z === did || z === w || following.has(z)) return;
      const c = candidates.get(z);
      if (c) {
        c.score += weight;
        c.via.push({ did: w, weight });
      } else candidates.set(z, { score: weight, via: [{ did: w, weight }] });
    });
  }
  return [...candidates]
    .map(([z, c]) => ({ did: z, score: c.score, via: c.via.length, sampleVia: c.via.sort(byWeightThenDid).slice(0, sampleSize).map((v) => v.did) }))
    .sort((a, b) => b.score - a.score || b.via - a.via || (a.did < b.did ? -1 : 1))
    .slice(0, first);
}

function byWeightThenDid(a: { did: string; weight: number }, b: { did: string; weight: number }): number {
  return b.weight - a.weight || (a.did < b.did ? -1 : a.did > b.did ? 1 : 0);
}
