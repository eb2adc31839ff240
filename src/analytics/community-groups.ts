/** Shapes canonical community ids and a PageRank ranking into `CommunityGroup`s (pure). */
import type { CommunityGroup, RankedDid } from './types.js';

/**
 * One group per community id, largest first (ties by id).
 * topMembers follow the PageRank ranking's order; members missing from the ranking come last.
 */
export function groupCommunities(assignment: ReadonlyMap<string, number>, pagerank: readonly RankedDid[], topN: number): CommunityGroup[] {
  const groups = new Map<number, CommunityGroup>();
  for (const id of assignment.values()) {
    const g = groups.get(id);
    if (g) g.size++;
    else groups.set(id, { id, size: 1, topMembers: [] });
  }
  const listed = new Set<string>();
  const take = (did: string) => {
    const id = assignment.get(did);
    if (id === undefined || listed.has(did)) return;
    const g = groups.get(id) as CommunityGroup;
    listed.add(did);
    if (g.topMembers.length < topN) g.topMembers.push(did);
  };
  for (const r of pagerank) take(r.did);
  for (const did of [...assignment.keys()].sort()) take(did);
  return [...groups.values()].sort((a, b) => b.size - a.size || a.id - b.id);
}
