/**
 * Hydration and presentation: skeletons of DIDs become Actor objects through ONE batched load,
 * then connection shapes. Resolvers call these after asking a query for the skeleton.
 */
import DataLoader from 'dataloader';
import type { ActorRecord, SkeletonPage } from '../graph/actor-queries.js';
import { loadHashtagScores, type HashtagScoreRow } from '../graph/analytics-queries.js';
import { actorRef, type ActorRef } from '../schema/arguments.js';
import { encodeCursor, type CursorOrder } from '../schema/cursor.js';
import { notFound } from '../schema/errors.js';
import type { Actor, ActorConnection, ActorEdge, Ref } from '../schema/actor-types.js';
import type { FollowEdge, Subgraph } from '../schema/graph-types.js';
import type { ApiContext } from './context.js';

export function presentActor(r: ActorRecord): Actor {
  const handle = r.handle ?? r.did;
  // Bluesky marks handles that no longer verify as handle.invalid; the DID still links the profile.
  const profileKey = r.handle && r.handle !== 'handle.invalid' ? r.handle : r.did;
  return {
    did: r.did,
    handle,
    displayName: r.displayName,
    description: r.description,
    avatar: r.avatar,
    postsCount: r.postsCount,
    followersCount: r.followersCount,
    followsCount: r.followsCount,
    createdAt: r.createdAt,
    pagerank: r.pagerank,
    community: r.community,
    hashtags: r.hashtags,
    profileUrl: `https://bsky.app/profile/${encodeURI(profileKey)}`,
  };
}

/**
 * A subgraph's wire shape. `edges` and `edgeIndex` are built only if the query selects them (a
 * community's graph has hundreds of thousands of edges, and a client wants one form).
 */
export function presentSubgraph(_ctx: ApiContext, nodes: Ref<Actor>[], skeleton: { edges: ReadonlyArray<readonly [string, string]>; truncated: boolean }): Subgraph {
  return {
    nodes,
    truncated: skeleton.truncated,
    get edges(): FollowEdge[] {
      return skeleton.edges.map(([source, target]) => ({ source, target }));
    },
    get edgeIndex(): number[] {
      const position = new Map(nodes.map((n, i) => [n.did, i]));
      const flat: number[] = [];
      for (const [source, target] of skeleton.edges) {
        const s = position.get(source);
        const t = position.get(target);
        // An actor that vanished between skeleton and hydration has no position; neither has its edge.
        if (s !== undefined && t !== undefined) flat.push(s, t);
      }
      return flat;
    },
  };
}

/** One batched load for all DIDs; actors that vanished since the skeleton query are dropped. */
export async function hydrateActors(ctx: ApiContext, dids: readonly string[]): Promise<Actor[]> {
  const records = await ctx.loaders.actors.loadMany(dids);
  const out: Actor[] = [];
  for (const r of records) {
    if (r instanceof Error) throw r;
    if (r) out.push(presentActor(r));
  }
  return out;
}

export async function presentConnection(
  ctx: ApiContext,
  skeleton: SkeletonPage,
  order: CursorOrder,
  hadCursor: boolean,
  countTotal: () => Promise<number>,
): Promise<ActorConnection> {
  const records = await ctx.loaders.actors.loadMany(skeleton.items.map((i) => i.did));
  const edges: ActorEdge[] = [];
  skeleton.items.forEach((item, i) => {
    const record = records[i];
    if (record instanceof Error) throw record;
    if (record) edges.push({ cursor: encodeCursor(order, item), node: presentActor(record) });
  });
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: skeleton.hasNextPage,
      hasPreviousPage: hadCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    countTotal,
  };
}

/** A handle or DID argument → the DID of an actor in the graph, or NOT_FOUND. */
export async function resolveActor(ctx: ApiContext, value: string, argName = 'actor'): Promise<string> {
  const ref = actorRef(value, argName);
  const did = await ctx.loaders.refs.load(refKey(ref));
  if (!did) throw notFound(`no actor ${ref.kind === 'did' ? ref.did : ref.handle} in the graph`);
  return did;
}

export function refKey(ref: ActorRef): string {
  return ref.kind === 'did' ? ref.did : ref.handle;
}

/**
 * The scores computeScores wrote for one hashtag, for many actors in one query per request and
 * hashtag (loaders live as long as the request's context, like the others in loaders.ts).
 */
const hashtagScoreLoaders = new WeakMap<ApiContext['loaders'], Map<string, DataLoader<string, HashtagScoreRow | null>>>();

export function hashtagScores(ctx: ApiContext, hashtag: string, did: string): Promise<HashtagScoreRow | null> {
  let byTag = hashtagScoreLoaders.get(ctx.loaders);
  if (!byTag) hashtagScoreLoaders.set(ctx.loaders, (byTag = new Map()));
  let loader = byTag.get(hashtag);
  if (!loader) {
    loader = new DataLoader(async (dids: readonly string[]) => {
      const found = await loadHashtagScores(ctx.db, hashtag, dids);
      return dids.map((d) => found.get(d) ?? null);
    });
    byTag.set(hashtag, loader);
  }
  return loader.load(did);
}
