/**
 * Keeps one hashtag's graph current from Jetstream. Two subscriptions: the members' follows and
 * profiles (wantedDids = the members, identity and account events included), and every post (a
 * post carrying the tag makes its author a member). Messages are buffered and folded in batches,
 * each batch and the cursor that covers it in one transaction (graph/watch-writes.ts), so a kill at
 * any instant resumes exactly; replays are idempotent, so reconnecting from a rewound cursor is safe.
 *
 * Follow deletes name only an rkey. A delete no edge carries (an edge crawled through the AppView,
 * which shows no rkeys) re-reads that member's follow records from its repository and replaces its
 * edges with them; a new member's follows are read the same way. While an ingest holds the lease
 * the batches wait in the buffer (LeaseBusyError), and the watcher goes on when it is free.
 */
import type { GraphDatabase } from '../graph/database.js';
import { applyWatchBatch, LeaseBusyError, readLastCrawlStart, readMemberDids, readWatchCursors, replaceFollowRecords, type WatchChange } from '../graph/watch-writes.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { JetstreamClient, MAX_WANTED_DIDS } from './jetstream-client.js';
import { changeOf, FOLLOW, parseMessage, POST, PROFILE } from './jetstream-message.js';
import type { RepoFollows } from './repo-follows.js';

export interface WatcherOptions {
  readonly db: GraphDatabase;
  readonly hashtag: string;
  /** BSKY_JETSTREAM: the subscribe URL. */
  readonly jetstreamUrl: string;
  readonly repos: RepoFollows;
  readonly logger?: Logger;
  /** How often buffered messages are folded. Default 200 ms. */
  readonly batchMs?: number;
  /** Most messages in one transaction. Default 5,000. */
  readonly maxBatch?: number;
  /** Buffered messages beyond which the streams are dropped and later resumed from the cursor. */
  readonly maxBuffered?: number;
  readonly rewindUs?: number;
  /** Called after each committed batch with its events' times (µs): lag histograms (bench/watch-fold.ts). */
  readonly onFolded?: (eventTimesUs: readonly number[], committedAtMs: number) => void;
  /** Called after each committed batch that changed follows or members: what the live view draws. */
  readonly onChanges?: (changes: GraphChanges) => void;
  /** Whether anyone listens to onChanges now (then each batch also reports the follows it created). */
  readonly wantsChanges?: () => boolean;
  /**
   * Beyond this many members the members stream asks Jetstream for every DID's follows and profiles
   * and keeps only the members' here (Jetstream's wantedDids holds at most 10,000). Default 10,000.
   */
  readonly maxWantedDids?: number;
}

/** What one committed batch changed in the graph. */
export interface GraphChanges {
  readonly hashtag: string;
  readonly followsAdded: ReadonlyArray<readonly [string, string]>;
  readonly followsRemoved: ReadonlyArray<readonly [string, string]>;
  readonly newMembers: readonly string[];
  readonly committedAtMs: number;
}

export interface WatcherStatus {
  readonly hashtag: string;
  readonly state: 'starting' | 'running' | 'waiting' | 'stopped';
  /** Per subscription, the Jetstream time_us up to which every event it delivered is in the graph. */
  readonly cursors: { readonly members: number; readonly posts: number } | null;
  /** Both streams connected, nothing buffered, no re-read owed, and no message for half a second. */
  readonly idle: boolean;
  readonly members: number;
  readonly messages: number;
  readonly changes: number;
  readonly batches: number;
  readonly unknownDeletes: number;
  readonly rereads: number;
  readonly newMembers: number;
  readonly invalidMessages: number;
  /** Messages about non-members dropped here (an unfiltered members stream: more members than wantedDids holds). */
  readonly foreignMessages: number;
  readonly connections: number;
  /** Event time to commit, of the last batch, ms. */
  readonly lagMs: number | null;
  /** Messages folded per second over the last 10 s. */
  readonly messagesPerSecond: number;
  readonly waitingFor: string | null;
}

type Stream = 'members' | 'posts';

interface Buffered {
  readonly stream: Stream;
  readonly timeUs: number;
  readonly change: WatchChange | null;
}

export class HashtagWatcher {
  private readonly logger: Logger;
  private members = new Set<string>();
  private buffer: Buffered[] = [];
  /** Per stream, the newest event time in the graph (stored with it): where that stream resumes. */
  private readonly applied: Record<Stream, number> = { members: 0, posts: 0 };
  private started = false;
  private lastMessageAt = 0;
  private readonly open: Record<Stream, boolean> = { members: false, posts: false };
  private state: WatcherStatus['state'] = 'starting';
  private waitingFor: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly recent: Array<{ at: number; messages: number }> = [];
  private counts = { messages: 0, changes: 0, batches: 0, unknownDeletes: 0, rereads: 0, newMembers: 0, invalidMessages: 0, foreignMessages: 0 };
  private lagMs: number | null = null;
  private readonly memberStream: JetstreamClient;
  private readonly postStream: JetstreamClient;
  /** Re-reads owed (members whose edges must be replaced from their repository). */
  private readonly owed = new Set<string>();
  /** The newest event time received anywhere so far (what a repository read now certainly includes). */
  private newestUs = 0;
  /**
   * Per member, the newest event time its last repository read certainly reflects: follow events of
   * that member up to then (replays, stragglers) are already in its edges and are skipped, so a
   * replayed create cannot bring back a follow the read saw deleted.
   */
  private readonly rereadUs = new Map<string, number>();

  constructor(private readonly options: WatcherOptions) {
    this.logger = options.logger ?? silentLogger;
    const common = { url: options.jetstreamUrl, rewindUs: options.rewindUs ?? 5_000_000 };
    this.memberStream = new JetstreamClient({
      ...common,
      cursor: () => this.applied.members,
      // Within Jetstream's limit the server filters by member; beyond it every DID comes and receive() filters.
      filters: () => (this.filtersByDid() ? { wantedCollections: [FOLLOW, PROFILE], wantedDids: [...this.members] } : { wantedCollections: [FOLLOW, PROFILE] }),
      onMessage: (text) => this.receive('members', text),
    });
    this.postStream = new JetstreamClient({ ...common, cursor: () => this.applied.posts, filters: () => ({ wantedCollections: [POST] }), onMessage: (text) => this.receive('posts', text) });
    for (const [name, stream] of [['members', this.memberStream], ['posts', this.postStream]] as const) {
      stream.onState = (state, detail) => {
        this.open[name] = state === 'open';
        this.lastMessageAt = Date.now(); // a fresh connection replays before it goes quiet
        this.logger.debug('jetstream', { stream: name, state, detail });
      };
    }
  }

  /**
   * Starts from the stored cursor, or (first watch) from the start of the latest successful crawl,
   * so nothing that happened during or after that crawl is missed.
   */
  async start(): Promise<void> {
    const { db, hashtag } = this.options;
    this.members = new Set(await readMemberDids(db, hashtag));
    if (!this.filtersByDid()) this.logger.info('more members than Jetstream filters by DID: the members stream takes every DID and keeps the members here', { members: this.members.size });
    const stored = await readWatchCursors(db, hashtag);
    const crawlStart = await readLastCrawlStart(db, hashtag);
    const firstUs = crawlStart !== null ? crawlStart * 1000 : Date.now() * 1000;
    this.applied.members = stored?.members ?? firstUs;
    this.applied.posts = stored?.posts ?? firstUs;
    this.started = true;
    this.state = 'running';
    this.memberStream.start();
    this.postStream.start();
    this.timer = setInterval(() => void this.flush(), this.options.batchMs ?? 200);
    this.logger.info('watching', { hashtag, members: this.members.size, cursors: { ...this.applied }, resumed: stored !== null });
  }

  /** Stops both streams and folds what is buffered (if the lease allows). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.memberStream.stop();
    this.postStream.stop();
    await this.flush();
    this.state = 'stopped';
  }

  status(): WatcherStatus {
    const now = Date.now();
    while (this.recent.length && this.recent[0]!.at < now - 10_000) this.recent.shift();
    return {
      hashtag: this.options.hashtag,
      state: this.state,
      cursors: this.started ? { ...this.applied } : null,
      idle: this.open.members && this.open.posts && this.buffer.length === 0 && this.owed.size === 0 && this.flushing === null && now - this.lastMessageAt > 500,
      members: this.members.size,
      ...this.counts,
      connections: this.memberStream.connections + this.postStream.connections,
      lagMs: this.lagMs,
      messagesPerSecond: this.recent.reduce((s, r) => s + r.messages, 0) / 10,
      waitingFor: this.waitingFor,
    };
  }

  private filtersByDid(): boolean {
    return this.members.size <= (this.options.maxWantedDids ?? MAX_WANTED_DIDS);
  }

  private receive(stream: Stream, text: string): void {
    this.counts.messages++;
    this.lastMessageAt = Date.now();
    const message = parseMessage(text);
    if (!message) {
      this.counts.invalidMessages++;
      return;
    }
    // The post stream carries everyone's posts; only the tag's are changes. An unfiltered members
    // stream carries everyone's follows and profiles; only members' are (the message still moves the cursor).
    const foreign = stream === 'members' && !this.filtersByDid() && !this.members.has(message.did);
    if (foreign) this.counts.foreignMessages++;
    const change = foreign ? null : changeOf(message, this.options.hashtag);
    this.newestUs = Math.max(this.newestUs, message.time_us);
    this.buffer.push({ stream, timeUs: message.time_us, change });
    if (this.buffer.length > (this.options.maxBuffered ?? 200_000)) {
      // Neo4j (or an ingest) is slower than the stream: drop it all and resume from the cursor.
      this.logger.warn('watch backlog: reconnecting from the committed cursor', { buffered: this.buffer.length });
      this.buffer = [];
      this.memberStream.reconnect();
      this.postStream.reconnect();
    }
  }

  private flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    if (this.owed.size) await this.reread();
    while (this.buffer.length) {
      const taken = this.buffer.slice(0, this.options.maxBatch ?? 5_000);
      // Each stream resumes from its own position: they advance separately (and one may be idle).
      const applied = { ...this.applied };
      for (const b of taken) applied[b.stream] = Math.max(applied[b.stream], b.timeUs);
      const changes = taken.flatMap((b) => (b.change && !this.reflected(b) ? [b.change] : []));
      try {
        this.logger.debug('folding', { messages: taken.length, changes: changes.length, cursors: applied });
        const result = await this.options.db.writeTx((tx) => applyWatchBatch(tx, { hashtag: this.options.hashtag, cursors: applied, changes, reportAdded: this.options.wantsChanges?.() ?? this.options.onChanges !== undefined }), 120_000, 'watchBatch');
        this.buffer.splice(0, taken.length);
        Object.assign(this.applied, applied);
        this.state = 'running';
        this.waitingFor = null;
        this.counts.batches++;
        this.counts.changes += changes.length;
        this.recent.push({ at: Date.now(), messages: taken.length });
        const committedAt = Date.now();
        this.lagMs = committedAt - Math.max(...taken.map((b) => b.timeUs)) / 1000;
        this.options.onFolded?.(taken.map((b) => b.timeUs), committedAt);
        if (result.followsAdded.length || result.followsRemoved.length || result.newMembers.length) {
          const { followsAdded, followsRemoved, newMembers } = result;
          this.options.onChanges?.({ hashtag: this.options.hashtag, followsAdded, followsRemoved, newMembers, committedAtMs: committedAt });
        }
        for (const { did } of result.unknownDeletes) this.owed.add(did);
        this.counts.unknownDeletes += result.unknownDeletes.length;
        if (result.newMembers.length) {
          for (const did of result.newMembers) {
            this.members.add(did);
            this.owed.add(did);
          }
          this.counts.newMembers += result.newMembers.length;
          this.memberStream.updateFilters();
        }
        if (this.owed.size) await this.reread();
      } catch (err) {
        if (err instanceof LeaseBusyError) {
          this.state = 'waiting';
          this.waitingFor = err.holder;
          return;
        }
        this.logger.warn('watch batch failed; retrying', { error: (err as Error).message });
        return;
      }
    }
  }

  private reflected(b: Buffered): boolean {
    const c = b.change!;
    if (c.kind !== 'follow' && c.kind !== 'unfollow') return false;
    return b.timeUs <= (this.rereadUs.get(c.did) ?? -1);
  }

  /** Replaces owed members' edges by the follow records in their repositories (rkeys included). */
  private async reread(): Promise<void> {
    const dids = [...this.owed];
    this.logger.debug('re-reading repositories', { members: dids.length });
    // Every event received so far was committed to its repository before it was sent, so the
    // reads below include it.
    const reflects = this.newestUs;
    const read = await Promise.all(
      dids.map(async (did) => {
        const [list, handle] = await Promise.all([this.options.repos.followRecords(did), this.options.repos.handleOf(did)]);
        if (list === 'gone') {
          this.owed.delete(did);
          return null;
        }
        return list ? { ...list, handle } : null;
      }),
    );
    const lists = read.flatMap((l) => (l ? [l] : []));
    if (lists.length === 0) return;
    try {
      await this.options.db.writeTx((tx) => replaceFollowRecords(tx, this.options.hashtag, lists), 120_000, 'watchReread');
      for (const l of lists) {
        this.owed.delete(l.did);
        this.rereadUs.set(l.did, Math.max(this.rereadUs.get(l.did) ?? 0, reflects));
      }
      this.counts.rereads += lists.length;
    } catch (err) {
      if (!(err instanceof LeaseBusyError)) this.logger.warn('watch re-read failed; retrying', { error: (err as Error).message });
    }
  }
}
