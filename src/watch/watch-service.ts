/**
 * The server's watchers, one per hashtag at most: started and stopped through GraphQL
 * (startWatch / stopWatch), reported by `watch(hashtag)`. A watcher started in another process
 * (`bsky-graph watch`) is not controlled from here; its stored cursors still show, and while it
 * holds the hashtag's watch claim startWatch answers CONFLICT (graph/watch-claim.ts).
 */
import { CodedError } from '../core/errors.js';
import type { GraphDatabase } from '../graph/database.js';
import { readMemberDids, readWatchCursors, type WatchCursors } from '../graph/watch-writes.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { HashtagWatcher, type GraphChanges, type WatcherStatus } from './hashtag-watcher.js';
import { createWatchSource, type WatchSourceSettings } from './create-watch-source.js';
import { RepoFollows } from './repo-follows.js';

export class WatchNotFoundError extends CodedError {
  readonly code = 'NOT_FOUND';
}

export interface WatchReport {
  readonly hashtag: string;
  /** RUNNING / WAITING (an ingest holds the hashtag) / STARTING in this server; STOPPED otherwise. */
  readonly state: 'STARTING' | 'RUNNING' | 'WAITING' | 'STOPPED';
  readonly cursors: WatchCursors | null;
  /** Counters of this server's watcher since it started; null when it runs elsewhere or not at all. */
  readonly live: WatcherStatus | null;
}

export interface WatchServiceOptions {
  readonly db: GraphDatabase;
  readonly jetstreamUrl: string;
  readonly plcUrl: string;
  /** Default jetstream. */
  readonly source?: WatchSourceSettings['kind'];
  readonly firehoseUrl?: string;
  readonly firehoseVerify?: boolean;
  readonly logger?: Logger;
  readonly requestTimeoutMs?: number;
}

export class WatchService {
  private readonly watchers = new Map<string, HashtagWatcher>();
  private readonly starting = new Map<string, Promise<HashtagWatcher>>();
  private readonly changeListeners = new Map<string, Set<(changes: GraphChanges) => void>>();

  constructor(private readonly options: WatchServiceOptions) {}

  /** Starts watching (or returns the watcher already running); NOT_FOUND for a hashtag never crawled. */
  async start(hashtag: string): Promise<WatchReport> {
    if (!this.watchers.has(hashtag)) {
      let pending = this.starting.get(hashtag);
      if (!pending) {
        pending = this.create(hashtag).finally(() => this.starting.delete(hashtag));
        this.starting.set(hashtag, pending);
      }
      await pending;
    }
    return this.report(hashtag);
  }

  async stop(hashtag: string): Promise<WatchReport> {
    const watcher = this.watchers.get(hashtag);
    if (watcher) {
      this.watchers.delete(hashtag);
      await watcher.stop();
    }
    return this.report(hashtag);
  }

  async report(hashtag: string): Promise<WatchReport> {
    const watcher = this.watchers.get(hashtag);
    const live = watcher?.status() ?? null;
    const cursors = live?.cursors ?? (await readWatchCursors(this.options.db, hashtag));
    const state = !live ? 'STOPPED' : live.state === 'waiting' ? 'WAITING' : live.state === 'starting' ? 'STARTING' : 'RUNNING';
    return { hashtag, state, cursors, live };
  }

  /** Every change this server's watcher of `hashtag` commits, from now on; returns the unsubscribe function. */
  changes(hashtag: string, listener: (changes: GraphChanges) => void): () => void {
    let set = this.changeListeners.get(hashtag);
    if (!set) this.changeListeners.set(hashtag, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.changeListeners.delete(hashtag);
    };
  }

  async close(): Promise<void> {
    const all = [...this.watchers.values()];
    this.watchers.clear();
    await Promise.all(all.map((w) => w.stop()));
  }

  private async create(hashtag: string): Promise<HashtagWatcher> {
    if ((await readMemberDids(this.options.db, hashtag)).length === 0) {
      throw new WatchNotFoundError(`#${hashtag} has no members in the graph: crawl it first (startIngest), then watch it`);
    }
    const { jetstreamUrl, plcUrl, firehoseUrl, requestTimeoutMs: timeoutMs } = this.options;
    const logger = (this.options.logger ?? silentLogger).child('watch');
    const repos = new RepoFollows({ plcUrl, timeoutMs });
    const watcher = new HashtagWatcher({
      db: this.options.db,
      hashtag,
      source: createWatchSource({ kind: this.options.source ?? 'jetstream', jetstreamUrl, firehoseUrl, plcUrl, verify: this.options.firehoseVerify, timeoutMs }, repos, logger),
      repos,
      logger,
      wantsChanges: () => (this.changeListeners.get(hashtag)?.size ?? 0) > 0,
      onChanges: (changes) => {
        for (const listener of this.changeListeners.get(hashtag) ?? []) listener(changes);
      },
      // Another process's watcher took the hashtag over: this one has stopped.
      onClaimLost: () => {
        if (this.watchers.get(hashtag) === watcher) this.watchers.delete(hashtag);
      },
    });
    await watcher.start();
    this.watchers.set(hashtag, watcher);
    return watcher;
  }
}
