/** How actors connect: neighbourhoods, mutual and common follows, pairwise relationships. */
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { boundedInt, MAX_NEIGHBOURHOOD_LIMIT, optionalHashtag } from '../schema/arguments.js';
import { ActorConnection } from '../schema/actor-types.js';
import { perItem } from '../schema/complexity.js';
import { Direction } from '../schema/enums.js';
import { internal } from '../schema/errors.js';
import { Relationship, Subgraph } from '../schema/graph-types.js';
import { hydrateActors, presentConnection, presentSubgraph, resolveActor } from './actor-presentation.js';
import { neighbourArgs, neighbourConnection } from './actor-resolver.js';
import type { ApiContext } from './context.js';
import { readCommonFollowsPage, readCountCommonFollows, readNeighbourhood, readRelationship } from './graph-reads.js';

@Resolver()
export class RelationshipResolver {
  @Query(() => Subgraph, {
    complexity: perItem('limit', 500),
    description: 'Actors within `depth` hops of an actor and every FOLLOWS edge among them (an induced subgraph).',
  })
  async neighbourhood(
    @Arg('actor', { description: 'Handle or DID.' }) actor: string,
    @Arg('depth', () => Int, { nullable: true, defaultValue: 1, description: '1 to 3.' }) depth: number | null,
    @Arg('direction', () => Direction, { nullable: true, defaultValue: Direction.BOTH, description: 'Which FOLLOWS edges to walk along.' }) direction: Direction | null,
    @Arg('hashtag', () => String, { nullable: true, description: 'Only walk through members of this hashtag.' }) hashtag: string | null,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 500, description: `Most actors returned, 1 to ${MAX_NEIGHBOURHOOD_LIMIT}.` }) limit: number | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Subgraph> {
    const args = {
      depth: boundedInt('depth', depth ?? 1, 1, 3),
      limit: boundedInt('limit', limit ?? 500, 1, MAX_NEIGHBOURHOOD_LIMIT),
      hashtag: optionalHashtag(hashtag),
      direction: (direction ?? Direction.BOTH) as 'OUT' | 'IN' | 'BOTH',
    };
    const center = await resolveActor(ctx, actor);
    const skeleton = await readNeighbourhood(ctx, { ...args, center });
    const nodes = await hydrateActors(ctx, skeleton.dids);
    return presentSubgraph(ctx, nodes, skeleton);
  }

  @Query(() => ActorConnection, { complexity: perItem('first', 20), description: 'Actors who follow `actor` and whom it follows back.' })
  async mutualFollows(
    @Arg('actor', { description: 'Handle or DID.' }) actor: string,
    @Arg('hashtag', () => String, { nullable: true, description: 'Only mutuals who are members of this hashtag.' }) hashtag: string | null,
    @Arg('first', () => Int, { nullable: true, description: '1 to 1000, default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ActorConnection> {
    const args = neighbourArgs(hashtag, first, after);
    return neighbourConnection(ctx, 'MUTUALS', await resolveActor(ctx, actor), args);
  }

  @Query(() => ActorConnection, { complexity: perItem('first', 20), description: 'Actors that both `a` and `b` follow.' })
  async commonFollows(
    @Arg('a', { description: 'Handle or DID.' }) a: string,
    @Arg('b', { description: 'Handle or DID.' }) b: string,
    @Arg('first', () => Int, { nullable: true, description: '1 to 1000, default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ActorConnection> {
    const args = neighbourArgs(null, first, after);
    const [didA, didB] = await Promise.all([resolveActor(ctx, a, 'a'), resolveActor(ctx, b, 'b')]);
    // Cypher will not match one FOLLOWS twice in a pattern, so a = b would find nothing.
    if (didA === didB) return neighbourConnection(ctx, 'FOLLOWS', didA, args);
    const skeleton = await readCommonFollowsPage(ctx, { a: didA, b: didB, first: args.first, after: args.after });
    return presentConnection(ctx, skeleton, 'HANDLE', args.after !== null, () => readCountCommonFollows(ctx, didA, didB));
  }

  @Query(() => Relationship, { description: 'Whether a and b follow each other, and how far apart they are.' })
  async relationship(
    @Arg('a', { description: 'Handle or DID.' }) a: string,
    @Arg('b', { description: 'Handle or DID.' }) b: string,
    @Ctx() ctx: ApiContext,
  ): Promise<Relationship> {
    const [didA, didB] = await Promise.all([resolveActor(ctx, a, 'a'), resolveActor(ctx, b, 'b')]);
    const [skeleton, actors] = await Promise.all([readRelationship(ctx, didA, didB), hydrateActors(ctx, [didA, didB])]);
    const byDid = new Map(actors.map((x) => [x.did, x]));
    const actorA = byDid.get(didA);
    const actorB = byDid.get(didB);
    if (!actorA || !actorB) throw internal('an actor vanished while answering');
    return { a: actorA, b: actorB, ...skeleton, mutual: skeleton.aFollowsB && skeleton.bFollowsA };
  }
}
