/** communityStats, bridges and suggestFollows: what a hashtag's communities look like and how to join them. */
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { boundedInt, hashtag as requiredHashtag } from '../schema/arguments.js';
import { BridgeActor, CommunityStats, FollowSuggestion } from '../schema/community-types.js';
import { fixedItems, perItem } from '../schema/complexity.js';
import { CommunityAlgorithm } from '../schema/enums.js';
import { internal, notFound } from '../schema/errors.js';
import { hydrateActors, resolveActor } from './actor-presentation.js';
import { presentCommunities, presentStructure } from './community-presentation.js';
import type { ApiContext, InsightsProvider } from './context.js';

export const MAX_SUGGESTIONS = 100;
export const MAX_BRIDGES = 100;

@Resolver()
export class CommunityInsightsResolver {
  @Query(() => CommunityStats, {
    complexity: fixedItems(50),
    description: "Modularity, density, reciprocity, clustering, k-core and follower distribution of a hashtag's community and of each community in it. NOT_FOUND for a hashtag not in the graph.",
  })
  async communityStats(
    @Arg('hashtag', { description: 'A hashtag, with or without #.' }) hashtag: string,
    @Arg('algorithm', () => CommunityAlgorithm, { nullable: true, description: 'LOUVAIN (default) or LEIDEN.' }) algorithm: CommunityAlgorithm | null,
    @Ctx() ctx: ApiContext,
  ): Promise<CommunityStats> {
    const tag = requiredHashtag(hashtag);
    const report = await insights(ctx).report(tag, algorithm ?? undefined);
    if (!report) throw notFound(`no hashtag #${tag} in the graph: ingest it first`);
    return {
      hashtag: report.hashtag,
      algorithm: report.algorithm,
      graphVersion: report.graphVersion,
      modularity: report.modularity,
      structure: presentStructure(report.structure),
      inDegreeDistribution: report.inDegree.map((b) => ({ ...b })),
      communities: await presentCommunities(ctx, report.partition, report),
    };
  }

  @Query(() => [BridgeActor], {
    complexity: perItem('first', 20),
    description: 'Members whose ties spread over several communities (participation coefficient), most spread first; members with fewer ties than 5 or than the median member are left out.',
  })
  async bridges(
    @Arg('hashtag', { description: 'A hashtag, with or without #.' }) hashtag: string,
    @Arg('algorithm', () => CommunityAlgorithm, { nullable: true, description: 'LOUVAIN (default) or LEIDEN.' }) algorithm: CommunityAlgorithm | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: `1 to ${MAX_BRIDGES}.` }) first: number | null,
    @Ctx() ctx: ApiContext,
  ): Promise<BridgeActor[]> {
    const tag = requiredHashtag(hashtag);
    const found = await insights(ctx).bridges(tag, algorithm ?? undefined, boundedInt('first', first ?? 20, 1, MAX_BRIDGES));
    const actors = new Map((await hydrateActors(ctx, found.map((b) => b.did))).map((a) => [a.did, a]));
    return found.flatMap((b) => {
      const actor = actors.get(b.did);
      return actor ? [{ actor, community: b.community, participation: b.participation, ties: b.ties, crossTies: b.crossTies, communitiesReached: b.communities }] : [];
    });
  }

  @Query(() => [FollowSuggestion], {
    complexity: perItem('first', 10),
    description: "Members of a hashtag the actor does not follow, ranked by Adamic–Adar over the hashtag's follows, each with its reason. BAD_USER_INPUT when the actor is not a member.",
  })
  async suggestFollows(
    @Arg('actor', { description: 'Handle or DID of a member.' }) actor: string,
    @Arg('hashtag', { description: 'The hashtag whose members to suggest.' }) hashtag: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10, description: `1 to ${MAX_SUGGESTIONS}.` }) first: number | null,
    @Ctx() ctx: ApiContext,
  ): Promise<FollowSuggestion[]> {
    const tag = requiredHashtag(hashtag);
    const size = boundedInt('first', first ?? 10, 1, MAX_SUGGESTIONS);
    const did = await resolveActor(ctx, actor);
    const suggestions = await insights(ctx).suggestFollows(did, tag, size);
    const actors = new Map((await hydrateActors(ctx, suggestions.flatMap((s) => [s.did, ...s.sampleVia]))).map((a) => [a.did, a]));
    return suggestions.flatMap((s) => {
      const suggested = actors.get(s.did);
      return suggested ? [{ actor: suggested, score: s.score, followedByYourFollows: s.via, via: s.sampleVia.flatMap((v) => actors.get(v) ?? []) }] : [];
    });
  }
}

function insights(ctx: ApiContext): InsightsProvider {
  if (!ctx.services.insights) throw internal('community insights are not available on this server', 'NOT_CONFIGURED');
  return ctx.services.insights;
}
