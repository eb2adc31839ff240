/** Centrality rankings and Louvain communities, computed by CentralityService and hydrated here. */
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { boundedInt, hashtag as hashtagArg, MAX_PAGE_SIZE, optionalHashtag } from '../schema/arguments.js';
import { fixedItems, perItem } from '../schema/complexity.js';
import { CentralityMetric, Scope } from '../schema/enums.js';
import { internal } from '../schema/errors.js';
import { Community, RankedActor } from '../schema/graph-types.js';
import { hydrateActors } from './actor-presentation.js';
import type { ApiContext, CentralityProvider } from './context.js';

@Resolver()
export class AnalyticsResolver {
  @Query(() => [RankedActor], {
    complexity: perItem('first', 20),
    description: 'Top actors by a centrality metric, in a hashtag community (or the whole graph without hashtag).',
  })
  async centrality(
    @Arg('metric', () => CentralityMetric) metric: CentralityMetric,
    @Arg('hashtag', () => String, { nullable: true }) hashtag: string | null,
    @Arg('scope', () => Scope, { nullable: true, defaultValue: Scope.COMMUNITY }) scope: Scope | null,
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

  @Query(() => [Community], { complexity: fixedItems(50), description: 'Louvain communities among the members of a hashtag, largest first.' })
  async communities(@Arg('hashtag') hashtag: string, @Ctx() ctx: ApiContext): Promise<Community[]> {
    const tag = hashtagArg(hashtag);
    const groups = await service(ctx).communities(tag);
    // One hydration for every community's top members.
    const actors = new Map((await hydrateActors(ctx, groups.flatMap((g) => g.topMembers))).map((a) => [a.did, a]));
    return groups.map((g) => ({
      id: g.id,
      size: g.size,
      topMembers: g.topMembers.flatMap((did) => actors.get(did) ?? []),
    }));
  }
}

function service(ctx: ApiContext): CentralityProvider {
  if (!ctx.services.centrality) throw internal('centrality is not available on this server', 'NOT_CONFIGURED');
  return ctx.services.centrality;
}
