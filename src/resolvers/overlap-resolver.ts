/** hashtagOverlap(a, b): two communities in one store, compared. */
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { hashtagOverlap } from '../graph/overlap-queries.js';
import { boundedInt, hashtag as requiredHashtag } from '../schema/arguments.js';
import { notFound } from '../schema/errors.js';
import { HashtagOverlap } from '../schema/overlap-types.js';
import { hydrateActors } from './actor-presentation.js';
import type { ApiContext } from './context.js';

export const MAX_OVERLAP_SAMPLE = 100;

@Resolver()
export class OverlapResolver {
  @Query(() => HashtagOverlap, {
    complexity: ({ args, childComplexity }) => 5 + childComplexity * (typeof args.first === 'number' ? Math.max(1, args.first) : 10),
    description: 'Shared members, FOLLOWS across, and the Jaccard index of two hashtag communities.',
  })
  async hashtagOverlap(
    @Arg('a', { description: 'A hashtag, with or without #.' }) a: string,
    @Arg('b', { description: 'Another hashtag.' }) b: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10, description: `Shared members to list, 0 to ${MAX_OVERLAP_SAMPLE}.` }) first: number | null,
    @Ctx() ctx: ApiContext,
  ): Promise<HashtagOverlap> {
    const args = { a: requiredHashtag(a), b: requiredHashtag(b), first: boundedInt('first', first ?? 10, 0, MAX_OVERLAP_SAMPLE) };
    const r = await hashtagOverlap(ctx.db, args);
    const missing = [!r.hasA && args.a, !r.hasB && args.b].filter(Boolean);
    if (missing.length) throw notFound(`no hashtag ${missing.map((m) => `#${m}`).join(' or ')} in the graph: ingest it first`);
    const union = r.membersA + r.membersB - r.shared;
    return {
      a: args.a,
      b: args.b,
      membersA: r.membersA,
      membersB: r.membersB,
      sharedMembers: r.shared,
      jaccard: union === 0 ? 0 : r.shared / union,
      followsAToB: r.aToB,
      followsBToA: r.bToA,
      sharedSample: await hydrateActors(ctx, r.sharedSample),
    };
  }
}
