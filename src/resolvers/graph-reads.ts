/**
 * The graph reads that are not batched through loaders, each answered by the request's read-model
 * index when it is current and by its Cypher otherwise: the two give the same answers (the
 * read-model agreement test compares them on random graphs).
 */
import {
  actorsPage,
  commonFollowsPage,
  countActors,
  countCommonFollows,
  type ActorListFilter,
  type ActorListOrder,
  type Keyset,
  type SkeletonPage,
} from '../graph/actor-queries.js';
import { communityGraph, type CommunityGraphSkeleton } from '../graph/community-graph-queries.js';
import { hashtagStats, type HashtagStatsRecord } from '../graph/hashtag-queries.js';
import { neighbourhood, relationship, type Direction, type NeighbourhoodSkeleton, type RelationshipSkeleton } from '../graph/relationship-queries.js';
import type { ApiContext } from './context.js';

export async function readNeighbourhood(
  ctx: ApiContext,
  args: { center: string; depth: number; direction: Direction; hashtag: string | null; limit: number },
): Promise<NeighbourhoodSkeleton> {
  const { index } = await ctx.graph();
  return index ? index.neighbourhood(args) : neighbourhood(ctx.db, args);
}

export async function readRelationship(ctx: ApiContext, a: string, b: string): Promise<RelationshipSkeleton> {
  const { index } = await ctx.graph();
  return index ? index.relationship(a, b) : relationship(ctx.db, a, b);
}

export async function readCommonFollowsPage(ctx: ApiContext, args: { a: string; b: string; first: number; after: Keyset | null }): Promise<SkeletonPage> {
  const { index } = await ctx.graph();
  return index ? index.commonFollowsPage(args.a, args.b, args.first, args.after) : commonFollowsPage(ctx.db, args);
}

export async function readCountCommonFollows(ctx: ApiContext, a: string, b: string): Promise<number> {
  const { index } = await ctx.graph();
  return index ? index.countCommonFollows(a, b) : countCommonFollows(ctx.db, a, b);
}

export async function readCommunityGraph(ctx: ApiContext, args: { hashtag: string; scope: 'COMMUNITY' | 'ALL'; limit: number }): Promise<CommunityGraphSkeleton> {
  const { index } = await ctx.graph();
  return index ? index.communityGraph(args) : communityGraph(ctx.db, args);
}

/** From the index: computed once per graph version. */
export async function readHashtagStats(ctx: ApiContext): Promise<HashtagStatsRecord[]> {
  const { index } = await ctx.graph();
  return index ? index.hashtagStats() : hashtagStats(ctx.db);
}

export async function readActorsPage(ctx: ApiContext, args: ActorListFilter & { order: ActorListOrder; first: number; after: Keyset | null }): Promise<SkeletonPage> {
  const { index } = await ctx.graph();
  return index ? index.actorsPage(args) : actorsPage(ctx.db, args);
}

export async function readCountActors(ctx: ApiContext, filter: ActorListFilter): Promise<number> {
  const { index } = await ctx.graph();
  return index ? index.countActors(filter) : countActors(ctx.db, filter);
}
