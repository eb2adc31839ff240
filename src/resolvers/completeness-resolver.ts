/** completeness(hashtag): what the crawled graph of a hashtag omits. */
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { readCompleteness } from '../graph/completeness-queries.js';
import { listRuns } from '../graph/ingest-runs.js';
import { boundedInt, hashtag as requiredHashtag } from '../schema/arguments.js';
import { Completeness } from '../schema/completeness-types.js';
import { notFound } from '../schema/errors.js';
import { hydrateActors } from './actor-presentation.js';
import type { ApiContext } from './context.js';
import { presentRun } from './ingest-resolver.js';

export const MAX_GAP_SAMPLE = 100;

@Resolver()
export class CompletenessResolver {
  @Query(() => Completeness, {
    complexity: ({ args, childComplexity }) => 5 + childComplexity * (typeof args.sample === 'number' ? Math.max(1, args.sample) : 10),
    description: 'What the graph of a hashtag omits: members without a profile, follow lists shorter than the profile says, and what its last crawl hit. NOT_FOUND for a hashtag not in the graph.',
  })
  async completeness(
    @Arg('hashtag', { description: 'A hashtag, with or without #.' }) hashtag: string,
    @Arg('sample', () => Int, { nullable: true, defaultValue: 10, description: `Members with the largest gaps to list, 0 to ${MAX_GAP_SAMPLE}.` }) sample: number | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Completeness> {
    const tag = requiredHashtag(hashtag);
    const size = boundedInt('sample', sample ?? 10, 0, MAX_GAP_SAMPLE);
    const [row, runs] = await Promise.all([readCompleteness(ctx.db, tag, size), listRuns(ctx.db, 1, tag)]);
    if (row.members === 0 && runs.length === 0) throw notFound(`no hashtag #${tag} in the graph: ingest it first`);
    return {
      hashtag: tag,
      members: row.members,
      membersWithoutProfile: row.withoutProfile,
      membersCompared: row.compared,
      membersShort: row.short,
      followsListed: row.listed,
      followsOnProfiles: row.claimed,
      followsGap: row.gap,
      listedShare: row.claimed > 0 ? row.listed / row.claimed : null,
      largestGaps: await hydrateActors(ctx, row.sample),
      lastRun: runs[0] ? presentRun(runs[0]) : null,
    };
  }
}
