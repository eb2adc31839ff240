/** A hashtag's whole graph in one request: what the graph view draws. */
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { communityGraph } from '../graph/community-graph-queries.js';
import { boundedInt, hashtag as requiredHashtag, instant } from '../schema/arguments.js';
import { Scope } from '../schema/enums.js';
import { Subgraph } from '../schema/graph-types.js';
import { hydrateActors, presentSubgraph } from './actor-presentation.js';
import type { ApiContext } from './context.js';
import { readCommunityGraph } from './graph-reads.js';

export const MAX_COMMUNITY_GRAPH_LIMIT = 50_000;

@Resolver()
export class CommunityGraphResolver {
  @Query(() => Subgraph, {
    // Priced per thousand actors: the nodes are one batched hydration, not a query each.
    complexity: ({ args, childComplexity }) => 1 + childComplexity * Math.ceil((typeof args.limit === 'number' && args.limit > 0 ? args.limit : 20_000) / 1000),
    description:
      'The actors of a hashtag (COMMUNITY: its members; ALL: members and everyone they follow) and every FOLLOWS from a member to one of them.',
  })
  async communityGraph(
    @Arg('hashtag', { description: 'Hashtag whose graph to return, with or without #.' }) hashtag: string,
    @Arg('scope', () => Scope, { nullable: true, defaultValue: Scope.COMMUNITY, description: 'Which actors to include.' }) scope: Scope | null,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 20_000, description: `Most actors returned, 1 to ${MAX_COMMUNITY_GRAPH_LIMIT}.` }) limit: number | null,
    @Arg('asOf', () => String, {
      nullable: true,
      description:
        'The graph as it stood at this instant (ISO 8601), as far as the data tells: members by their first post with the tag, follows by their record’s createdAt. Follows removed since cannot come back.',
    })
    asOf: string | null,
    @Arg('includeUndated', () => Boolean, { nullable: true, defaultValue: false, description: 'With asOf: also follows without a date (crawled through the AppView, which gives none).' })
    includeUndated: boolean | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Subgraph> {
    const args = {
      hashtag: requiredHashtag(hashtag),
      scope: scope ?? Scope.COMMUNITY,
      limit: boundedInt('limit', limit ?? 20_000, 1, MAX_COMMUNITY_GRAPH_LIMIT),
    };
    const skeleton =
      asOf === null || asOf === undefined
        ? await readCommunityGraph(ctx, args)
        : await communityGraph(ctx.db, { ...args, asOf: instant('asOf', asOf), includeUndated: includeUndated === true });
    const nodes = await hydrateActors(ctx, skeleton.dids);
    return presentSubgraph(ctx, nodes, skeleton);
  }
}
