/**
 * Push, not poll: `ingestRun(id)` sends a run's progress as the crawl reports it and ends with its
 * final record; `graphChanges(hashtag)` sends what the watcher commits and when an ingest ends.
 * Served over graphql-ws on /graphql (src/server/subscriptions.ts), where the API key applies.
 */
import { Repeater } from '@repeaterjs/repeater';
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { IngestRunRecord } from '../core/ingest-run.js';
import { hashtag as requiredHashtag, opaqueId } from '../schema/arguments.js';
import { GraphChange, GraphChangeKind } from '../schema/change-types.js';
import { internal, notFound } from '../schema/errors.js';
import { IngestRun } from '../schema/ingest-types.js';
import type { ApiContext } from './context.js';
import { presentRun } from './ingest-resolver.js';

/** A run's progress is pushed at most this often (the crawl reports every page). */
export const PROGRESS_INTERVAL_MS = 200;

interface SubscribeData {
  readonly args: Record<string, unknown>;
  readonly context: ApiContext;
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => IngestRun, {
    description: "An ingest run's progress as it happens: its current state at once, then its counters as the crawl reports them, then its final record (the subscription then ends). NOT_FOUND for an unknown id.",
    subscribe: (data: SubscribeData) => runEvents(data.context, opaqueId(String(data.args.id))),
  })
  ingestRun(@Arg('id', () => ID, { description: 'Identifier of the run (IngestRun.id).' }) _id: string, @Root() run: IngestRunRecord): IngestRun {
    return presentRun(run);
  }

  @Subscription(() => GraphChange, {
    description: "Changes of a hashtag's graph as this server commits them: follows and new members from its watcher (startWatch), and the end of each ingest of the hashtag.",
    subscribe: (data: SubscribeData) => graphChanges(data.context, requiredHashtag(String(data.args.hashtag))),
  })
  graphChanges(@Arg('hashtag', { description: 'A hashtag, with or without #.' }) _hashtag: string, @Root() change: GraphChange): GraphChange {
    return change;
  }
}

async function runEvents(ctx: ApiContext, id: string): Promise<AsyncIterable<IngestRunRecord>> {
  const ingest = ctx.services.ingest;
  const first = await ingest.get(id);
  if (!first) throw notFound(`no ingest run ${id}`);
  return new Repeater<IngestRunRecord>(async (push, stop) => {
    await push(first);
    const settled = ingest.settled?.(id) ?? null;
    if (first.status !== 'RUNNING' || !settled) {
      // Finished, or running in another process (whose progress this one does not hear): the stored record.
      if (first.status === 'RUNNING') await push((await ingest.get(id)) ?? first);
      stop();
      return;
    }
    let latest = first;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off =
      ingest.subscribe?.((run, counters, stage) => {
        if (run.id !== id) return;
        latest = { ...latest, counters: { ...counters }, stage };
        timer ??= setTimeout(() => {
          timer = null;
          void push(latest);
        }, PROGRESS_INTERVAL_MS);
      }) ?? (() => undefined);
    settled.then(
      async (final) => {
        off();
        if (timer) clearTimeout(timer);
        await push(final);
        stop();
      },
      (err: unknown) => stop(err as Error),
    );
    await stop;
    off();
    if (timer) clearTimeout(timer);
  });
}

function graphChanges(ctx: ApiContext, hashtag: string): AsyncIterable<GraphChange> {
  const watch = ctx.services.watch;
  const ingest = ctx.services.ingest;
  if (!watch?.changes && !ingest.subscribe) throw internal('graph changes are not available on this server', 'NOT_CONFIGURED');
  return new Repeater<GraphChange>(async (push, stop) => {
    const offWatch =
      watch?.changes?.(hashtag, (c) => {
        void push({
          hashtag,
          kind: GraphChangeKind.FOLLOWS,
          followsAdded: c.followsAdded.map(([source, target]) => ({ source, target })),
          followsRemoved: c.followsRemoved.map(([source, target]) => ({ source, target })),
          newMembers: [...c.newMembers],
          runId: null,
          committedAt: new Date(c.committedAtMs).toISOString(),
        });
      }) ?? (() => undefined);
    // Each run of this hashtag is heard once, and reported when it ends.
    const heard = new Set<string>();
    const offIngest =
      ingest.subscribe?.((run) => {
        if (run.hashtag !== hashtag || heard.has(run.id)) return;
        heard.add(run.id);
        ingest.settled?.(run.id)?.then(
          (final) => void push({ hashtag, kind: GraphChangeKind.INGEST_FINISHED, followsAdded: [], followsRemoved: [], newMembers: [], runId: final.id, committedAt: final.finishedAt ?? new Date().toISOString() }),
          () => undefined,
        );
      }) ?? (() => undefined);
    await stop;
    offWatch();
    offIngest();
  });
}
