/**
 * Per-request DataLoaders: every actor, count or neighbour page asked for while one GraphQL
 * response is being built is fetched in one query per kind, whatever the nesting.
 */
import DataLoader from 'dataloader';
import {
  inGraphCounts,
  loadActors,
  neighbourPages,
  resolveActorRefs,
  type ActorRecord,
  type InGraphCounts,
  type Keyset,
  type Neighbours,
  type SkeletonPage,
} from '../graph/actor-queries.js';
import type { GraphDatabase } from '../graph/database.js';
import type { GraphState } from '../read-model/read-model.js';

export interface NeighbourPageKey {
  readonly relation: Neighbours;
  readonly did: string;
  readonly hashtag: string | null;
  readonly first: number;
  readonly after: Keyset | null;
}

export interface CountKey {
  readonly did: string;
  readonly hashtag: string | null;
}

export interface Loaders {
  /** DID → actor, or null when the graph has no such actor. */
  readonly actors: DataLoader<string, ActorRecord | null>;
  /** A DID or a lower-case handle → DID, or null when unknown. */
  readonly refs: DataLoader<string, string | null>;
  readonly counts: DataLoader<CountKey, InGraphCounts, string>;
  readonly neighbours: DataLoader<NeighbourPageKey, SkeletonPage, string>;
}

const ZERO: InGraphCounts = Object.freeze({ followers: 0, follows: 0, mutuals: 0 });

/**
 * Each batch is answered from the read model when `graph()` (one state per request) has a current
 * index, else by one Cypher query per kind.
 */
export function createLoaders(db: GraphDatabase, graph: () => Promise<GraphState>): Loaders {
  return {
    actors: new DataLoader<string, ActorRecord | null>(async (dids) => {
      const { index } = await graph();
      if (index) return dids.map((did) => index.actor(did) ?? null);
      const found = await loadActors(db, dids);
      return dids.map((did) => found.get(did) ?? null);
    }),

    refs: new DataLoader<string, string | null>(async (refs) => {
      const dids = refs.filter((r) => r.startsWith('did:'));
      const handles = refs.filter((r) => !r.startsWith('did:'));
      const { index } = await graph();
      const found = index ? index.resolveRefs({ dids, handles }) : await resolveActorRefs(db, { dids, handles });
      return refs.map((r) => (r.startsWith('did:') ? found.dids.get(r) : found.handles.get(r)) ?? null);
    }),

    counts: new DataLoader<CountKey, InGraphCounts, string>(
      async (keys) => {
        const { index } = await graph();
        if (index) return keys.map((k) => index.counts(k.did, k.hashtag));
        const results = new Map<string, InGraphCounts>();
        await Promise.all(
          groupBy(keys, (k) => k.hashtag ?? '').map(async (group) => {
            const hashtag = group[0]!.hashtag;
            const counts = await inGraphCounts(db, group.map((k) => k.did), hashtag);
            for (const k of group) results.set(countKey(k), counts.get(k.did) ?? ZERO);
          }),
        );
        return keys.map((k) => results.get(countKey(k)) ?? ZERO);
      },
      { cacheKeyFn: countKey },
    ),

    neighbours: new DataLoader<NeighbourPageKey, SkeletonPage, string>(
      async (keys) => {
        const { index } = await graph();
        if (index) return keys.map((k) => index.neighbourPage(k.relation, k.did, k.hashtag, k.first, k.after));
        const results = new Map<string, SkeletonPage>();
        // Keys that differ only by DID share one query.
        const groups = groupBy(keys, (k) => JSON.stringify([k.relation, k.hashtag, k.first, k.after]));
        await Promise.all(
          groups.map(async (group) => {
            const { relation, hashtag, first, after } = group[0]!;
            const pages = await neighbourPages(db, { relation, hashtag, first, after, dids: group.map((k) => k.did) });
            for (const k of group) results.set(neighbourKey(k), pages.get(k.did)!);
          }),
        );
        return keys.map((k) => results.get(neighbourKey(k))!);
      },
      { cacheKeyFn: neighbourKey },
    ),
  };
}

function countKey(k: CountKey): string {
  return JSON.stringify([k.hashtag, k.did]);
}

function neighbourKey(k: NeighbourPageKey): string {
  return JSON.stringify([k.relation, k.hashtag, k.first, k.after, k.did]);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(item);
  }
  return [...groups.values()];
}
