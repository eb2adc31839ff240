/** Communities on the wire: a partition's groups (and, when asked for, their names and structure) with hydrated actors. */
import type { Partition } from '../analytics/centrality-service.js';
import type { CommunityReport } from '../analytics/community-insights.js';
import type { Structure } from '../analytics/graph-structure.js';
import type { Community, GraphStructure } from '../schema/graph-types.js';
import { hydrateActors } from './actor-presentation.js';
import type { ApiContext } from './context.js';

export async function presentCommunities(ctx: ApiContext, partition: Partition, report: CommunityReport | null): Promise<Community[]> {
  const profiles = new Map((report?.communities ?? []).map((c) => [c.id, c]));
  const membersOf = new Map<number, string[]>();
  for (const [did, id] of partition.assignment) {
    const list = membersOf.get(id);
    if (list) list.push(did);
    else membersOf.set(id, [did]);
  }
  // One hydration for every community's listed actors.
  const dids = partition.groups.flatMap((g) => [...g.topMembers, ...(profiles.get(g.id)?.representatives ?? [])]);
  const actors = new Map((await hydrateActors(ctx, dids)).map((a) => [a.did, a]));
  const hydrate = (list: readonly string[]) => list.flatMap((did) => actors.get(did) ?? []);
  return partition.groups.map((g) => {
    const profile = profiles.get(g.id);
    const memberDids = (membersOf.get(g.id) ?? []).sort();
    return {
      id: g.id,
      size: g.size,
      topMembers: hydrate(g.topMembers),
      memberDids,
      coreNumbers: report ? memberDids.map((did) => report.cores.get(did) ?? 0) : [],
      label: profile?.label ?? null,
      keywords: [...(profile?.keywords ?? [])],
      representatives: hydrate(profile?.representatives ?? []),
      structure: profile ? presentStructure(profile.structure) : null,
    };
  });
}

export function presentStructure(s: Structure): GraphStructure {
  return { ...s, inDegreeDistribution: s.inDegreeDistribution.map((b) => ({ ...b })) };
}
