/**
 * Keeps one hashtag's graph current from a stream of repository events: Jetstream (two
 * subscriptions, jetstream-source.ts) or the relay firehose (firehose-source.ts). Members' follows,
 * profiles, handles and accounts, and everyone's posts (a post carrying the tag makes its author a
 * member). Messages are buffered and folded in batches, each batch and the stream positions that
 * cover it in one transaction (graph/watch-writes.ts), so a kill at any instant resumes exactly;
 * replays are idempotent, so reconnecting from a rewound cursor is safe.
 *
 * Follow deletes name only an rkey. A delete no edge carries (an edge crawled through the AppView,
 * which shows no rkeys) re-reads that member's follow records from its repository and replaces its
 * edges with them; a new member's follows are read the same way. While an ingest holds the lease
 * the batches wait in the buffer (LeaseBusyError), and the watcher goes on when it is free.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphDatabase } from '../graph/database.js';
import { renewIntervalMs } from '../graph/ingest-lease.js';
import { assertWatchClaim, claimWatch, releaseWatchClaim, renewWatchClaim, WatchClaimLostError, type WatchClaim } from '../graph/watch-claim.js';
import {
  applyWatchBatch,
  LeaseBusyError,
  readLastCrawlStart,
  readMemberDids,
  readOwedRereads,
  readWatchCursors,
  replaceFollowRecords,
  settleRereads,
  type WatchChange,
  type WatchCursors,
} from '../graph/watch-writes.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import PQueue from 'p-queue';
import { MAX_WANTED_DIDS } from './jetstream-client.js';
import { changeOf, FOLLOW, PROFILE } from './jetstream-message.js';
import type { RepoFollows } from './repo-follows.js';
import { holderDiedHere, thisWatcher } from './watch-holder.js';
import type { SourceEvent, StreamName, StreamPositions, WatchSource } from './watch-source.js';

export interface WatcherOptions {
  readonly db: GraphDatabase;
  readonly hashtag: string;
  /** Jetstream (BSKY_JETSTREAM) or the firehose (BSKY_FIREHOSE): see watch-source.ts. */
  readonly source: WatchSource;
  readonly repos: RepoFollows;
  readonly logger?: Logger;
  /** How often buffered messages are folded. Default 200 ms. */
  readonly batchMs?: number;
  /** Most messages in one transaction. Default 5,000. */
  readonly maxBatch?: number;
  /** Buffered messages beyond which the streams are dropped and later resumed from the cursor. */
  readonly maxBuffered?: number;
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
  /** How long the hashtag's watch claim outlives this watcher's last renewal (graph/watch-claim.ts). Default 30 s. */
  readonly claimTtlMs?: number;
  /** Called when another watcher took the claim over: this one has stopped, without writing. */
  readonly onClaimLost?: (err: WatchClaimLostError) => void;
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
  readonly source: WatchSource['kind'];
  /** Per stream, the position (Jetstream time_us, firehose seq) up to which every event it delivered is in the graph. */
  readonly cursors: WatchCursors | null;
  /** Every stream connected, nothing buffered, no re-read owed, and no message for half a second. */
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
  /** Times events may have been lost upstream, so every member was re-read from its repository. */
  readonly gaps: number;
  readonly connections: number;
  /** Event time to commit, of the last batch, ms. */
  readonly lagMs: number | null;
  /** Messages folded per second over the last 10 s. */
  readonly messagesPerSecond: number;
  readonly waitingFor: string | null;
}

/** Members whose repositories are read at once. */
const REREAD_CONCURRENCY = 16;

interface Buffered {
  readonly stream: StreamName;
  readonly position: number;
  readonly timeUs: number;
  readonly change: WatchChange | null;
}

export class HashtagWatcher {
  private readonly logger: Logger;
  private members = new Set<string>();
  private buffer: Buffered[] = [];
  /** Per stream, the newest position in the graph (stored with it): where that stream resumes. */
  private applied: StreamPositions = {};
  private started = false;
  private lastMessageAt = 0;
  private readonly open = new Map<StreamName, boolean>();
  private state: WatcherStatus['state'] = 'starting';
  private waitingFor: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly recent: Array<{ at: number; messages: number }> = [];
  private counts = { messages: 0, changes: 0, batches: 0, unknownDeletes: 0, rereads: 0, newMembers: 0, invalidMessages: 0, foreignMessages: 0, gaps: 0 };
  private lagMs: number | null = null;
  private readonly source: WatchSource;
  /**
   * Re-reads owed (members whose edges must be replaced from their repository), each with the
   * number of the request for it, so a read that began before a newer request does not settle it.
   * Owed re-reads are also marked in Neo4j, in the transaction whose cursor passes the event that
   * caused them (graph/watch-writes.ts): a restarted watcher finds them there.
   */
  private readonly owed = new Map<string, number>();
  private owedSeq = 0;
  /** Owed re-reads not yet marked in Neo4j (a gap's): the next transaction marks them. */
  private readonly unmarked = new Set<string>();
  /**
   * Re-reads that found the repository unreadable (deactivated, taken down, deleted): the member
   * keeps its last known edges — there is no evidence to delete any by — and is re-read when an
   * account event says it is active again.
   */
  private readonly deferred = new Set<string>();
  /**
   * The newest position received so far (what a repository read now certainly includes).
   * Jetstream's two streams share one clock (time_us); the firehose is one stream (seq).
   */
  private newest = 0;
  /**
   * Per member, the newest position its last repository read certainly reflects: follow events of
   * that member up to then (replays, stragglers) are already in its edges and are skipped, so a
   * replayed create cannot bring back a follow the read saw deleted.
   */
  private readonly rereadAt = new Map<string, number>();
  /** Resets so far: a batch in flight across one must not put the old positions back. */
  private resets = 0;
  /** This watcher's claim on the hashtag: every write proves it. */
  private claim: WatchClaim | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly options: WatcherOptions) {
    this.logger = options.logger ?? silentLogger;
    this.source = options.source;
  }

  /**
   * Starts from the stored cursor, or (first watch) from the start of the latest successful crawl,
   * so nothing that happened during or after that crawl is missed.
   */
  async start(): Promise<void> {
    const { db, hashtag } = this.options;
    // Refused (CONFLICT) while another live watcher holds the hashtag.
    const claim = await claimWatch(db, hashtag, thisWatcher(), this.options.claimTtlMs ?? 30_000, holderDiedHere);
    this.claim = claim;
    this.heartbeat = setInterval(() => void this.renew(), renewIntervalMs(claim));
    try {
      await this.begin();
    } catch (err) {
      clearInterval(this.heartbeat);
      this.claim = null;
      await releaseWatchClaim(db, claim).catch(() => undefined);
      throw err;
    }
  }

  private async begin(): Promise<void> {
    const { db, hashtag } = this.options;
    this.members = new Set(await readMemberDids(db, hashtag));
    // What a killed watcher owed: a new member whose follows it never read, say.
    const rereads = await readOwedRereads(db, hashtag);
    for (const did of rereads.owed) this.owe(did);
    for (const did of rereads.deferred) this.deferred.add(did);
    if (this.source.kind === 'jetstream' && !this.filtersByDid()) this.logger.info('more members than Jetstream filters by DID: the members stream takes every DID and keeps the members here', { members: this.members.size });
    const stored = resumePositions(this.source, await readWatchCursors(db, hashtag));
    this.applied = stored ?? this.source.firstPositions(await readLastCrawlStart(db, hashtag));
    this.started = true;
    this.state = 'running';
    this.source.start({
      position: (stream) => this.applied[stream],
      members: () => this.members,
      filtersByDid: () => this.filtersByDid(),
      onEvent: (event) => this.receive(event),
      onState: (stream, open, detail) => {
        this.open.set(stream, open);
        this.lastMessageAt = Date.now(); // a fresh connection replays before it goes quiet
        this.logger.debug('stream', { source: this.source.kind, stream, open, detail });
      },
      onGap: (reason, did) => this.gap(reason, did),
      onReset: (stream) => this.reset(stream),
    });
    this.timer = setInterval(() => void this.flush(), this.options.batchMs ?? 200);
    this.logger.info('watching', { hashtag, source: this.source.kind, members: this.members.size, cursors: { ...this.applied }, resumed: stored !== null });
  }

  /** Stops both streams, folds what is buffered (if the lease allows) and gives the claim back. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.source.stop();
    if (this.claim) await this.flush();
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.claim) await releaseWatchClaim(this.options.db, this.claim).catch((err: Error) => this.logger.warn('could not release the watch claim (it lapses)', { error: err.message }));
    this.claim = null;
    this.state = 'stopped';
  }

  /**
   * Stops reading and writing at once, as a kill would: nothing buffered is folded, the claim is
   * kept (it lapses after its TTL). What a crash looks like to the next watcher (tests).
   */
  async abandon(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.claim = null;
    this.state = 'stopped';
    await this.source.stop();
  }

  private async renew(): Promise<void> {
    const claim = this.claim;
    if (!claim) return;
    try {
      await renewWatchClaim(this.options.db, claim);
    } catch (err) {
      if (err instanceof WatchClaimLostError) void this.lost(err);
      else this.logger.warn('watch claim renewal failed; retrying', { error: (err as Error).message });
    }
  }

  /** Another watcher took the hashtag over: stop without writing anything more. */
  private async lost(err: WatchClaimLostError): Promise<void> {
    if (!this.claim) return;
    this.logger.error(err.message, { hashtag: this.options.hashtag });
    await this.abandon();
    this.options.onClaimLost?.(err);
  }

  /** A write transaction of this watcher: proves its claim first (the claim, then the ingest lease). */
  private writeTx<R>(work: (tx: ManagedTransaction) => Promise<R>, op: string): Promise<R> {
    const claim = this.claim;
    if (!claim) return Promise.reject(new Error('the watcher has stopped'));
    return this.options.db.writeTx(
      async (tx) => {
        await assertWatchClaim(tx, claim);
        return work(tx);
      },
      120_000,
      op,
    );
  }

  status(): WatcherStatus {
    const now = Date.now();
    while (this.recent.length && this.recent[0]!.at < now - 10_000) this.recent.shift();
    return {
      hashtag: this.options.hashtag,
      state: this.state,
      source: this.source.kind,
      cursors: this.started ? this.cursorsOf(this.applied) : null,
      idle: this.source.streams.every((s) => this.open.get(s)) && this.buffer.length === 0 && this.owed.size === 0 && this.flushing === null && now - this.lastMessageAt > 500,
      members: this.members.size,
      ...this.counts,
      connections: this.source.connections,
      lagMs: this.lagMs,
      messagesPerSecond: this.recent.reduce((s, r) => s + r.messages, 0) / 10,
      waitingFor: this.waitingFor,
    };
  }

  private filtersByDid(): boolean {
    return this.members.size <= (this.options.maxWantedDids ?? MAX_WANTED_DIDS);
  }

  private receive(event: SourceEvent): void {
    this.counts.messages++;
    this.lastMessageAt = Date.now();
    const { message, stream, position, timeUs } = event;
    if (event.invalid) this.counts.invalidMessages++;
    // Posts come from everyone; only the tag's are changes. A stream the server did not filter by
    // DID carries everyone's follows and profiles; only members' are (the message still moves the cursor).
    const memberScoped = message?.kind === 'commit' && (message.commit.collection === FOLLOW || message.commit.collection === PROFILE);
    const foreign = memberScoped && !event.filteredByDid && !this.members.has(message.did);
    if (foreign) this.counts.foreignMessages++;
    const change = message && !foreign ? changeOf(message, this.options.hashtag) : null;
    // A new handle (or PDS) is in a new DID document: a re-read must not write the cached one's back.
    if (message?.kind === 'identity') this.options.repos.forget(message.did);
    this.newest = Math.max(this.newest, position);
    this.buffer.push({ stream, position, timeUs, change });
    if (this.buffer.length > (this.options.maxBuffered ?? 200_000)) {
      // Neo4j (or an ingest) is slower than the stream: drop it all and resume from the cursor.
      this.logger.warn('watch backlog: reconnecting from the committed cursor', { buffered: this.buffer.length });
      this.buffer = [];
      this.source.reconnect();
    }
  }

  /** Events may be missing upstream: re-read the member (or every member) from the repository. */
  private gap(reason: string, did?: string): void {
    if (did) {
      // One repository reset or a commit without its records: that member is re-read (counted in rereads).
      this.logger.info('re-reading a member whose commit the stream could not carry', { reason, did });
      this.owe(did, false);
      return;
    }
    this.counts.gaps++;
    this.logger.warn('stream gap: re-reading every member from its repository', { reason, members: this.members.size });
    for (const m of this.members) this.owe(m, false);
  }

  /** Owes `did` a re-read; `marked`: Neo4j already records it (else the next transaction does). */
  private owe(did: string, marked = true): void {
    this.owed.set(did, ++this.owedSeq);
    if (!marked) this.unmarked.add(did);
  }

  /**
   * The stream numbers its events anew (a reset service): positions and what was measured with them
   * are void. What is buffered is dropped; the gap reported with it re-reads every member anyway.
   */
  private reset(stream: StreamName): void {
    this.resets++;
    this.buffer = this.buffer.filter((b) => b.stream !== stream);
    delete this.applied[stream];
    this.newest = 0;
    this.rereadAt.clear();
  }

  private cursorsOf(positions: StreamPositions): WatchCursors {
    return { ...positions, ...(this.source.service !== undefined ? { firehoseService: this.source.service } : {}) };
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
      const resets = this.resets;
      for (const b of taken) applied[b.stream] = Math.max(applied[b.stream] ?? 0, b.position);
      const changes = taken.flatMap((b) => (b.change && !this.reflected(b) ? [b.change] : []));
      const owe = [...this.unmarked];
      try {
        this.logger.debug('folding', { messages: taken.length, changes: changes.length, cursors: applied });
        const batch = { hashtag: this.options.hashtag, cursors: this.cursorsOf(applied), changes, reportAdded: this.reportsChanges(), owe };
        const result = await this.writeTx((tx) => applyWatchBatch(tx, batch), 'watchBatch');
        for (const did of owe) this.unmarked.delete(did);
        // Across a reset the buffer was already emptied of the stream these came from.
        if (resets === this.resets) {
          this.buffer.splice(0, taken.length);
          Object.assign(this.applied, applied);
        }
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
        if (result.unknownDeletes.length) this.logger.debug('unknown deletes', { deletes: result.unknownDeletes });
        for (const { did } of result.unknownDeletes) this.owe(did);
        this.counts.unknownDeletes += result.unknownDeletes.length;
        for (const did of result.reactivated) {
          this.deferred.delete(did);
          this.owe(did);
        }
        if (result.newMembers.length) {
          for (const did of result.newMembers) {
            this.members.add(did);
            this.owe(did);
          }
          this.counts.newMembers += result.newMembers.length;
          this.source.membersChanged();
        }
        if (this.owed.size) await this.reread();
      } catch (err) {
        if (err instanceof LeaseBusyError) {
          this.state = 'waiting';
          this.waitingFor = err.holder;
          return;
        }
        if (err instanceof WatchClaimLostError) return this.lost(err);
        if (!this.claim) return; // abandoned meanwhile
        this.logger.warn('watch batch failed; retrying', { error: (err as Error).message });
        return;
      }
    }
  }

  /** Whether writes should also report what they created (someone listens to onChanges now). */
  private reportsChanges(): boolean {
    return this.options.wantsChanges?.() ?? this.options.onChanges !== undefined;
  }

  private reflected(b: Buffered): boolean {
    const c = b.change!;
    if (c.kind !== 'follow' && c.kind !== 'unfollow') return false;
    return b.position <= (this.rereadAt.get(c.did) ?? -1);
  }

  /** Replaces owed members' edges by the follow records in their repositories (rkeys included). */
  private async reread(): Promise<void> {
    const requested = new Map(this.owed);
    const dids = [...requested.keys()];
    this.logger.debug('re-reading repositories', { members: dids.length, dids });
    // Every event received so far was committed to its repository before it was sent, so the
    // reads below include it.
    const reflects = this.newest;
    const resets = this.resets;
    // Bounded: after a gap every member is owed, and each read is up to three requests to its PDS.
    const queue = new PQueue({ concurrency: REREAD_CONCURRENCY });
    const read = await Promise.all(
      dids.map((did) =>
        queue.add(async () => {
          const [list, handle, profile] = await Promise.all([this.options.repos.followRecords(did), this.options.repos.handleOf(did), this.options.repos.profileOf(did)]);
          if (list === 'gone') {
            this.logger.debug('repository unreadable: re-read when active', { did });
            return { did, gone: true as const };
          }
          return list ? { ...list, handle, profile } : null;
        }),
      ),
    );
    const lists = read.flatMap((l) => (l && !('gone' in l) ? [l] : []));
    const gone = read.flatMap((l) => (l && 'gone' in l ? [l.did] : []));
    // Requested again while being read (a gap): the new request stays owed.
    const settled = (did: string) => this.owed.get(did) === requested.get(did);
    const outcome = { read: lists.map((l) => l.did).filter(settled), unreadable: gone.filter(settled), owe: [...this.unmarked] };
    if (lists.length === 0 && outcome.unreadable.length === 0) return;
    try {
      const report = this.reportsChanges();
      const changed = await this.writeTx(async (tx) => {
        const replaced = await replaceFollowRecords(tx, this.options.hashtag, lists, report);
        await settleRereads(tx, this.options.hashtag, outcome);
        return replaced;
      }, 'watchReread');
      for (const did of outcome.owe) this.unmarked.delete(did);
      if (changed.added.length || changed.removed.length) {
        this.options.onChanges?.({ hashtag: this.options.hashtag, followsAdded: changed.added, followsRemoved: changed.removed, newMembers: [], committedAtMs: Date.now() });
      }
      for (const did of outcome.read) this.owed.delete(did);
      for (const did of outcome.unreadable) {
        this.owed.delete(did);
        this.deferred.add(did);
      }
      for (const l of lists) {
        if (resets === this.resets) this.rereadAt.set(l.did, Math.max(this.rereadAt.get(l.did) ?? 0, reflects));
      }
      this.counts.rereads += lists.length;
    } catch (err) {
      if (err instanceof WatchClaimLostError) return this.lost(err);
      if (!(err instanceof LeaseBusyError) && this.claim) this.logger.warn('watch re-read failed; retrying', { error: (err as Error).message });
    }
  }
}

/** The positions `source` can resume from among those stored, or null (start as a first watch). */
function resumePositions(source: WatchSource, stored: WatchCursors | null): StreamPositions | null {
  if (!stored) return null;
  // Sequence numbers belong to one service: another relay's are meaningless here.
  if (source.kind === 'firehose') return stored.firehose !== undefined && stored.firehoseService === source.service ? { firehose: stored.firehose } : null;
  return stored.members !== undefined && stored.posts !== undefined ? { members: stored.members, posts: stored.posts } : null;
}

