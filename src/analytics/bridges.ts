/**
 * Actors who link communities (pure): the participation coefficient P = 1 − Σ_c (k_c / k)², with k
 * an actor's ties (follows in + out within the graph) and k_c those to members of community c. P is 0
 * for an actor whose ties all stay in one community and approaches 1 − 1/C when they spread evenly
 * over C communities. Actors with few ties are left out: two ties to two groups is not a bridge.
 */
import type { FollowGraph } from './follow-graph.js';

export interface Bridge {
  readonly did: string;
  readonly participation: number;
  /** Ties (follows in and out) within the graph. */
  readonly ties: number;
  /** Ties to members of other communities than the actor's own. */
  readonly crossTies: number;
  /** Communities holding at least a tenth of the actor's ties. */
  readonly communities: number;
}

/**
 * An actor needs this many ties to rank, and at least the median actor's: with few ties, a spread
 * over communities is chance (three ties to three groups), not a bridge.
 */
export const MIN_BRIDGE_TIES = 5;

export function findBridges(graph: FollowGraph, assignment: ReadonlyMap<string, number>, first: number): Bridge[] {
  const counted: Bridge[] = [];
  const tieCounts: number[] = [];
  for (const did of graph.nodes()) {
    const own = assignment.get(did);
    if (own === undefined) continue;
    const perCommunity = new Map<number, number>();
    let ties = 0;
    const count = (other: string) => {
      const c = assignment.get(other);
      if (c === undefined || other === did) return;
      ties++;
      perCommunity.set(c, (perCommunity.get(c) ?? 0) + 1);
    };
    graph.forEachOutNeighbor(did, count);
    graph.forEachInNeighbor(did, count);
    tieCounts.push(ties);
    if (ties === 0) continue;
    let sum = 0;
    let communities = 0;
    for (const k of perCommunity.values()) {
      sum += (k / ties) ** 2;
      if (k * 10 >= ties) communities++;
    }
    counted.push({ did, participation: 1 - sum, ties, crossTies: ties - (perCommunity.get(own) ?? 0), communities });
  }
  const median = tieCounts.sort((a, b) => a - b)[Math.floor(tieCounts.length / 2)] ?? 0;
  const minimum = Math.max(MIN_BRIDGE_TIES, median);
  return counted
    .filter((b) => b.ties >= minimum)
    .sort((a, b) => b.participation - a.participation || b.crossTies - a.crossTies || (a.did < b.did ? -1 : 1))
    .slice(0, first);
}
