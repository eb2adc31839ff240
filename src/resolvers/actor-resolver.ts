/** `actor`, `actors`, and the fields of Actor that need more than its own node. */
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Float, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Keyset, Neighbours } from '../graph/actor-queries.js';
import { membersByPagerankPage } from '../graph/analytics-queries.js';
import { actorRef, optionalHashtag, pageSize, searchText } from '../schema/arguments.js';
import { Actor, ActorConnection } from '../schema/actor-types.js';
import { perItem } from '../schema/complexity.js';
import { decodeCursor } from '../schema/cursor.js';
import { ActorOrder } from '../schema/enums.js';
import type { ApiContext } from './context.js';
import { hashtagScores, hydrateActors, presentConnection, refKey } from './actor-presentation.js';
import { readActorsPage, readCountActors } from './graph-reads.js';
import { selects } from './selection.js';

const DEFAULT_PAGE = 20;
const FIRST = { nullable: true, description: '1 to 1000, default 20.' } as const;
const AFTER = { nullable: true, description: 'endCursor of the previous page.' } as const;
const HASHTAG_FILTER = { nullable: true, description: 'Only actors who are members of this hashtag.' } as const;

@Resolver(() => Actor)
export class ActorResolver {
  @Query(() => Actor, { nullable: true, description: 'One actor by handle (alice.bsky.social, @ optional) or DID; null if not in the graph.' })
  async actor(@Arg('handleOrDid', { description: 'Handle (alice.bsky.social, @ optional) or DID of the actor.' }) handleOrDid: string, @Ctx() ctx: ApiContext): Promise<Actor | null> {
    const did = await ctx.loaders.refs.load(refKey(actorRef(handleOrDid, 'handleOrDid')));
    if (!did) return null;
    return (await hydrateActors(ctx, [did]))[0] ?? null;
  }

  @Query(() => ActorConnection, { complexity: perItem('first', DEFAULT_PAGE), description: 'Actors, optionally members of a hashtag and/or matching a search.' })
  async actors(
    @Arg('hashtag', () => String, HASHTAG_FILTER) hashtag: string | null,
    @Arg('search', () => String, { nullable: true, description: 'Case-insensitive substring of handle or display name.' }) search: string | null,
    @Arg('orderBy', () => ActorOrder, { nullable: true, defaultValue: ActorOrder.FOLLOWERS, description: 'Sort order of the list.' }) orderArg: ActorOrder | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Arg('after', () => String, AFTER) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ActorConnection> {
    const orderBy = orderArg ?? ActorOrder.FOLLOWERS;
    const filter = { hashtag: optionalHashtag(hashtag), search: searchText(search) };
    const size = pageSize(first, DEFAULT_PAGE);
    const position = decodeCursor(orderBy, after);
    // A hashtag's PageRank order is the one computeScores wrote for it (on POSTED_WITH): one
    // hashtag's scores never reorder another's list, and no query writes them.
    const skeleton =
      orderBy === ActorOrder.PAGERANK && filter.hashtag !== null
        ? await membersByPagerankPage(ctx.db, { hashtag: filter.hashtag, search: filter.search, first: size, after: position })
        : await readActorsPage(ctx, { ...filter, order: orderBy, first: size, after: position });
    return presentConnection(ctx, skeleton, orderBy, position !== null, () => readCountActors(ctx, filter));
  }

  @FieldResolver(() => ActorConnection, { complexity: perItem('first', DEFAULT_PAGE), description: 'Actors this actor follows in the graph, by handle.' })
  follows(
    @Root() actor: Actor,
    @Arg('hashtag', () => String, HASHTAG_FILTER) hashtag: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Arg('after', () => String, AFTER) after: string | null,
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ActorConnection> {
    return neighbourConnection(ctx, 'FOLLOWS', actor.did, neighbourArgs(hashtag, first, after), selects(info, 'totalCount'));
  }

  @FieldResolver(() => ActorConnection, { complexity: perItem('first', DEFAULT_PAGE), description: 'Actors in the graph who follow this actor, by handle.' })
  followers(
    @Root() actor: Actor,
    @Arg('hashtag', () => String, HASHTAG_FILTER) hashtag: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Arg('after', () => String, AFTER) after: string | null,
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ActorConnection> {
    return neighbourConnection(ctx, 'FOLLOWERS', actor.did, neighbourArgs(hashtag, first, after), selects(info, 'totalCount'));
  }

  @FieldResolver(() => ActorConnection, { complexity: perItem('first', DEFAULT_PAGE), description: 'Actors who follow this actor and whom it follows back, by handle.' })
  mutuals(
    @Root() actor: Actor,
    @Arg('hashtag', () => String, HASHTAG_FILTER) hashtag: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Arg('after', () => String, AFTER) after: string | null,
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ActorConnection> {
    return neighbourConnection(ctx, 'MUTUALS', actor.did, neighbourArgs(hashtag, first, after), selects(info, 'totalCount'));
  }

  @FieldResolver(() => Float, { nullable: true })
  async pagerank(@Root() actor: Actor, @Arg('hashtag', () => String, { nullable: true, description: 'The hashtag whose computed scores to read; omit for the score stored on the actor.' }) hashtag: string | null, @Ctx() ctx: ApiContext): Promise<number | null> {
    const tag = optionalHashtag(hashtag);
    if (tag === null) return actor.pagerank;
    return (await hashtagScores(ctx, tag, actor.did))?.pagerank ?? null;
  }

  @FieldResolver(() => Int, { nullable: true })
  async community(@Root() actor: Actor, @Arg('hashtag', () => String, { nullable: true, description: 'The hashtag whose computed communities to read; omit for the id stored on the actor.' }) hashtag: string | null, @Ctx() ctx: ApiContext): Promise<number | null> {
    const tag = optionalHashtag(hashtag);
    if (tag === null) return actor.community;
    const community = (await hashtagScores(ctx, tag, actor.did))?.community;
    return community == null ? null : Math.round(community);
  }

  @FieldResolver(() => Int, { description: 'Followers present in the graph (optionally members of hashtag), unlike followersCount.' })
  async followerCountInGraph(
    @Root() actor: Actor,
    @Arg('hashtag', () => String, { nullable: true, description: 'Count only followers who are members of this hashtag.' }) hashtag: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<number> {
    return (await ctx.loaders.counts.load({ did: actor.did, hashtag: optionalHashtag(hashtag) })).followers;
  }

  @FieldResolver(() => Int, { description: 'Follows present in the graph (optionally of members of hashtag).' })
  async followCountInGraph(
    @Root() actor: Actor,
    @Arg('hashtag', () => String, { nullable: true, description: 'Count only follows of members of this hashtag.' }) hashtag: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<number> {
    return (await ctx.loaders.counts.load({ did: actor.did, hashtag: optionalHashtag(hashtag) })).follows;
  }

  @FieldResolver(() => Int, { description: 'Mutual follows present in the graph (optionally members of hashtag).' })
  async mutualCountInGraph(
    @Root() actor: Actor,
    @Arg('hashtag', () => String, { nullable: true, description: 'Count only mutuals who are members of this hashtag.' }) hashtag: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<number> {
    return (await ctx.loaders.counts.load({ did: actor.did, hashtag: optionalHashtag(hashtag) })).mutuals;
  }
}

export interface NeighbourArgs {
  readonly hashtag: string | null;
  readonly first: number;
  readonly after: Keyset | null;
}

/** Validates a neighbour list's arguments (before any lookup, so bad input is never NOT_FOUND). */
export function neighbourArgs(hashtag: string | null, first: number | null, after: string | null): NeighbourArgs {
  return { hashtag: optionalHashtag(hashtag), first: pageSize(first, DEFAULT_PAGE), after: decodeCursor('HANDLE', after) };
}

/**
 * Follows/followers/mutuals of one actor: the page and its count go through batching loaders.
 * When totalCount is selected, its load starts together with the page's: started later (from the
 * totalCount resolver) it would run whenever each actor's hydration happened to finish, splitting
 * one batch of counts into several.
 */
export async function neighbourConnection(
  ctx: ApiContext,
  relation: Neighbours,
  did: string,
  args: NeighbourArgs,
  wantsCount = false,
): Promise<ActorConnection> {
  const { hashtag, first, after } = args;
  let counting: Promise<number> | null = null;
  const count = () =>
    (counting ??= ctx.loaders.counts
      .load({ did, hashtag })
      .then((c) => (relation === 'FOLLOWS' ? c.follows : relation === 'FOLLOWERS' ? c.followers : c.mutuals)));
  if (wantsCount) count().catch(() => undefined); // the totalCount resolver reports any failure
  const skeleton = await ctx.loaders.neighbours.load({ relation, did, hashtag, first, after });
  return presentConnection(ctx, skeleton, 'HANDLE', after !== null, count);
}
