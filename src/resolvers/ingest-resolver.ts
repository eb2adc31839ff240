/**
 * Ingest runs: look at them, start, cancel, resume. The IngestController does the work; its errors
 * carry `code`s (CONFLICT, NOT_FOUND, BAD_USER_INPUT) that the error formatter passes on.
 */
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { IngestRunRecord } from '../core/ingest-run.js';
import { boundedInt, hashtag, opaqueId } from '../schema/arguments.js';
import { perItem } from '../schema/complexity.js';
import { FollowsSource } from '../schema/enums.js';
import { IngestInput, IngestRun } from '../schema/ingest-types.js';
import type { ApiContext } from './context.js';

@Resolver()
export class IngestResolver {
  @Query(() => IngestRun, { nullable: true, description: 'One ingest run; null if unknown.' })
  async ingestRun(@Arg('id', () => ID, { description: 'Identifier of the run (IngestRun.id).' }) id: string, @Ctx() ctx: ApiContext): Promise<IngestRun | null> {
    const run = await ctx.services.ingest.get(opaqueId(id));
    return run ? presentRun(run) : null;
  }

  @Query(() => [IngestRun], { complexity: perItem('first', 20), description: 'Latest runs first.' })
  async ingestRuns(
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: '1 to 1000, default 20.' }) first: number | null,
    @Ctx() ctx: ApiContext,
  ): Promise<IngestRun[]> {
    return (await ctx.services.ingest.list(boundedInt('first', first ?? 20, 1, 1000))).map(presentRun);
  }

  @Mutation(() => IngestRun, { description: 'Starts crawling a hashtag in the background; CONFLICT if one is already running for it.' })
  async startIngest(@Arg('input', () => IngestInput, { description: 'The hashtag to crawl and optional search limits.' }) input: IngestInput, @Ctx() ctx: ApiContext): Promise<IngestRun> {
    const run = await ctx.services.ingest.start({
      hashtag: hashtag(input.hashtag),
      ...(input.maxPosts != null ? { maxPosts: input.maxPosts } : {}),
      ...(input.since != null ? { since: input.since } : {}),
      ...(input.until != null ? { until: input.until } : {}),
      ...(input.allowShrink != null ? { allowShrink: input.allowShrink } : {}),
      ...(input.followsFrom != null ? { followsFrom: input.followsFrom === FollowsSource.REPO ? ('repo' as const) : ('appview' as const) } : {}),
    });
    return presentRun(run);
  }

  @Mutation(() => IngestRun, { description: 'Stops a running ingest; it can be resumed later.' })
  async cancelIngest(@Arg('id', () => ID, { description: 'Identifier of the running ingest to stop.' }) id: string, @Ctx() ctx: ApiContext): Promise<IngestRun> {
    return presentRun(await ctx.services.ingest.cancel(opaqueId(id)));
  }

  @Mutation(() => IngestRun, {
    description: 'Continues a cancelled or failed run from its checkpoint. Only the newest run of a hashtag can resume, and only while no other run holds the hashtag.',
  })
  async resumeIngest(
    @Arg('id', () => ID, { description: 'Identifier of the cancelled or failed run to continue.' }) id: string,
    @Arg('allowShrink', () => Boolean, { nullable: true, description: 'As IngestInput.allowShrink, for a run whose prune was refused.' }) allowShrink: boolean | null,
    @Ctx() ctx: ApiContext,
  ): Promise<IngestRun> {
    return presentRun(await ctx.services.ingest.resume(opaqueId(id), allowShrink != null ? { allowShrink } : {}));
  }
}

export function presentRun(run: IngestRunRecord): IngestRun {
  const c = run.counters;
  return {
    id: run.id,
    hashtag: run.hashtag,
    followsFrom: run.followsFrom === 'repo' ? FollowsSource.REPO : FollowsSource.APPVIEW,
    status: run.status,
    stage: run.stage,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
    maxPosts: run.maxPosts,
    since: run.since,
    until: run.until,
    requests: c.requests,
    retries: c.retries,
    waits: c.waits,
    searchPages: c.searchPages,
    searchWindows: c.searchWindows,
    searchCapHit: c.searchWindows > 1,
    incompleteFollowLists: c.incompleteFollowLists,
    posts: c.posts,
    members: c.members,
    membersDone: c.membersDone,
    profiles: c.profiles,
    actors: c.actors,
    follows: c.follows,
    progress: c.members > 0 ? Math.min(1, c.membersDone / c.members) : null,
    removedMembers: run.removedMembers,
    removedFollows: run.removedFollows,
  };
}
