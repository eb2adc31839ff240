/**
 * Centrality rankings and Louvain communities, computed by CentralityService and hydrated here; and
 * `computeScores`, the one operation that writes scores into the graph (a mutation, so it needs the
 * API key when one is configured).
 */
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, Info, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { CentralityService } from '../analytics/centrality-service.js';
import { boundedInt, hashtag as hashtagArg, MAX_PAGE_SIZE, optionalHashtag } from '../schema/arguments.js';
import { fixedItems, perItem } from '../schema/complexity.js';
import { CentralityMetric, CommunityAlgorithm, Scope } from '../schema/enums.js';
import { internal } from '../schema/errors.js';
import { Community, RankedActor } from '../schema/graph-types.js';
import { hydrateActors } from './actor-presentation.js';
import { presentCommunities } from './community-presentation.js';
import type { ApiContext, CentralityProvider } from './context.js';
import { selects } from './selection.js';

// Kept next to its one mutation; it can move to src/schema/ with the other object types.
@ObjectType({ description: 'What computeScores wrote: PageRank and Louvain over the members of a hashtag, on their POSTED_WITH.' })
export class ScoresResult {
  @Field({ description: 'Lower-case, without #.' })
  hashtag!: string;

  @Field(() => Int, { description: 'Members that got a pagerank and a community.' })
  actors!: number;

  @Field(() => Int, { description: 'Louvain communities found among those members.' })
  communities!: number;

  @Field(() => Int, { description: 'The graph version the scores were computed on.' })
  graphVersion!: number;

  @Field({ description: "'gds' or 'graphology'." })
  engine!: string;

  @Field(() => String, { nullable: true, description: 'When they were written (ISO 8601).' })
  computedAt!: string | null;
}

type ScoresProvider = Pick<CentralityService, 'computeScores'>;

@Resolver()
export class AnalyticsResolver {
  @Query(() => [RankedActor], {
    complexity: perItem('first', 20),
    description: 'Top actors by a centrality metric, in a hashtag community (or the whole graph without hashtag).',
  })
  async centrality(
    @Arg('metric', () => CentralityMetric, { description: 'The centrality measure to rank by.' }) metric: CentralityMetric,
    @Arg('hashtag', () => String, { nullable: true, description: 'Rank within the graph of this hashtag; omit for the whole graph.' }) hashtag: string | null,
    @Arg('scope', () => Scope, { nullable: true, defaultValue: Scope.COMMUNITY, description: 'Which part of the hashtag graph the metric is computed on.' }) scope: Scope | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: `1 to ${MAX_PAGE_SIZE}.` }) first: number | null,
    @Ctx() ctx: ApiContext,
  ): Promise<RankedActor[]> {
    const tag = optionalHashtag(hashtag);
    const size = boundedInt('first', first ?? 20, 1, MAX_PAGE_SIZE);
    const ranked = await service(ctx).centrality(metric, { ...(tag ? { hashtag: tag } : {}), scope: scope ?? Scope.COMMUNITY, first: size });
    const actors = new Map((await hydrateActors(ctx, ranked.map((r) => r.did))).map((a) => [a.did, a]));
    return ranked.flatMap((r) => {
      const actor = actors.get(r.did);
      return actor ? [{ actor, score: r.score, rank: r.rank }] : [];
    });
  }

  @Query(() => [Community], {
    complexity: fixedItems(50),
    description: 'Communities among the members of a hashtag, largest first, with their names, representatives and structure.',
  })
  async communities(
    @Arg('hashtag', { description: 'Hashtag whose members to group, with or without #.' }) hashtag: string,
    @Arg('algorithm', () => CommunityAlgorithm, { nullable: true, description: 'LOUVAIN (default) or LEIDEN.' }) algorithm: CommunityAlgorithm | null,
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Community[]> {
    const tag = hashtagArg(hashtag);
    const partition = await service(ctx).partition(tag, algorithm ?? undefined);
    if (!partition) return [];
    const wantsInsights = ['label', 'keywords', 'representatives', 'structure', 'coreNumbers'].some((field) => selects(info, field));
    const report = wantsInsights && ctx.services.insights ? await ctx.services.insights.report(tag, partition.algorithm) : null;
    return presentCommunities(ctx, partition, report);
  }

  @Mutation(() => ScoresResult, {
    description:
      "Computes PageRank and Louvain over a hashtag's members and stores them on its POSTED_WITH relationships (Actor.pagerank(hashtag:), actors(hashtag:, orderBy: PAGERANK), exports). Queries never store scores. NOT_FOUND for a hashtag not in the graph.",
  })
  async computeScores(@Arg('hashtag', { description: 'Hashtag whose members to score, with or without #.' }) hashtag: string, @Ctx() ctx: ApiContext): Promise<ScoresResult> {
    const tag = hashtagArg(hashtag);
    const provider = service(ctx) as CentralityProvider & Partial<ScoresProvider>;
    if (typeof provider.computeScores !== 'function') throw internal('computing scores is not available on this server', 'NOT_CONFIGURED');
    return provider.computeScores(tag);
  }
}

function service(ctx: ApiContext): CentralityProvider {
  if (!ctx.services.centrality) throw internal('centrality is not available on this server', 'NOT_CONFIGURED');
  return ctx.services.centrality;
}
