/** The live watcher: start, stop, look at it. Mutations need the API key like every other one. */
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { WatchReport } from '../watch/watch-service.js';
import { hashtag as requiredHashtag } from '../schema/arguments.js';
import { internal } from '../schema/errors.js';
import { Watch, WatchState } from '../schema/watch-types.js';
import type { ApiContext } from './context.js';

const HASHTAG = { description: 'Hashtag, with or without #.' } as const;

@Resolver()
export class WatchResolver {
  @Query(() => Watch, { description: 'The hashtag\'s watcher: its state in this server, and the cursors stored with the graph.' })
  async watch(@Arg('hashtag', HASHTAG) hashtag: string, @Ctx() ctx: ApiContext): Promise<Watch> {
    return presentWatch(await watchService(ctx).report(requiredHashtag(hashtag)));
  }

  @Mutation(() => Watch, { description: 'Starts keeping a crawled hashtag current from Jetstream (BSKY_JETSTREAM); NOT_FOUND if it was never crawled. Idempotent.' })
  async startWatch(@Arg('hashtag', HASHTAG) hashtag: string, @Ctx() ctx: ApiContext): Promise<Watch> {
    return presentWatch(await watchService(ctx).start(requiredHashtag(hashtag)));
  }

  @Mutation(() => Watch, { description: "Stops this server's watcher of the hashtag (it resumes from its stored cursors when started again)." })
  async stopWatch(@Arg('hashtag', HASHTAG) hashtag: string, @Ctx() ctx: ApiContext): Promise<Watch> {
    return presentWatch(await watchService(ctx).stop(requiredHashtag(hashtag)));
  }
}

function watchService(ctx: ApiContext): NonNullable<ApiContext['services']['watch']> {
  if (!ctx.services.watch) throw internal('this server runs no watcher service');
  return ctx.services.watch;
}

function presentWatch(r: WatchReport): Watch {
  const at = (us: number | undefined) => (us === undefined ? null : new Date(us / 1000).toISOString());
  return {
    hashtag: r.hashtag,
    state: WatchState[r.state],
    membersCursorAt: at(r.cursors?.members),
    postsCursorAt: at(r.cursors?.posts),
    firehoseSeq: r.cursors?.firehose ?? null,
    firehoseService: r.cursors?.firehoseService ?? null,
    source: r.live?.source ?? null,
    gaps: r.live?.gaps ?? null,
    members: r.live?.members ?? null,
    messages: r.live?.messages ?? null,
    changes: r.live?.changes ?? null,
    rereads: r.live?.rereads ?? null,
    newMembers: r.live?.newMembers ?? null,
    lagMs: r.live?.lagMs ?? null,
    messagesPerSecond: r.live?.messagesPerSecond ?? null,
  };
}
