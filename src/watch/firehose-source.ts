/**
 * The relay firehose as a watch source: `com.atproto.sync.subscribeRepos` on a relay or a PDS
 * (BSKY_FIREHOSE), CBOR frames read by @atproto/xrpc-server's Subscription and commits unpacked by
 * @atproto/sync. One subscription carries every repository's commits in sequence order; it resumes
 * after the stored sequence number, so (unlike Jetstream's time cursor) nothing is replayed twice
 * except what was received and not yet committed.
 *
 * - Commits are read without their signatures first (cheap) to see whether they change the graph;
 *   only those that do are verified against the author's signing key (from its DID document), and
 *   ops that fail are dropped and counted. Set `verify: false` to skip the check.
 * - The first start replays the service from its oldest event and keeps only events made since the
 *   crawl began (minus the rewind). A service that no longer has the resume point says
 *   `#info OutdatedCursor` and starts later; when what it starts with is newer than what was asked
 *   for, events may be lost, and the watcher re-reads every member (WatchSourceHooks.onGap). A
 *   `FutureCursor` error (the service was reset) resumes from now, also with a re-read.
 * - `tooBig` commits (records left out) and `#sync` events (a repository reset) re-read the member.
 * - `#identity` drops the cached DID document (a new handle, or a new PDS) and carries the handle
 *   the event names, else the one the fresh document claims.
 */
import { IdResolver, MemoryCache } from '@atproto/identity';
import { parseAccount, parseCommitAuthenticated, parseCommitUnauthenticated, type CommitEvt } from '@atproto/sync';
import { Subscription } from '@atproto/xrpc-server';
import { silentLogger, type Logger } from '../logging/logger.js';
import { FOLLOW, POST, PROFILE, type StreamMessage } from './jetstream-message.js';
import type { StreamName, StreamPositions, WatchSource, WatchSourceHooks } from './watch-source.js';

const METHOD = 'com.atproto.sync.subscribeRepos';
const COLLECTIONS = new Set([FOLLOW, POST, PROFILE]);
const matchCollection = (collection: string) => COLLECTIONS.has(collection);

export interface FirehoseSourceOptions {
  /** BSKY_FIREHOSE: the relay or PDS, e.g. wss://bsky.network (the /xrpc path is added). */
  readonly service: string;
  /** BSKY_PLC: where signing keys are resolved. */
  readonly plcUrl: string;
  /** The handle a DID document claims (cache dropped on every identity event). */
  readonly handleOf: (did: string) => Promise<string | null>;
  /** Called on `#identity`: cached documents of this DID are stale. */
  readonly forget?: (did: string) => void;
  /** Check each graph-changing commit's signature. Default true. */
  readonly verify?: boolean;
  /** On the first start, events this long before the crawl's start are kept too. Default 5 s. */
  readonly rewindUs?: number;
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  readonly maxBackoffMs?: number;
}

/** The frames of subscribeRepos this source reads (lexicon com.atproto.sync.subscribeRepos). */
interface Frame {
  readonly $type: string;
  readonly seq?: number;
  readonly time?: string;
  readonly repo?: string;
  readonly did?: string;
  readonly tooBig?: boolean;
  readonly ops?: ReadonlyArray<{ action: string; path: string }>;
  readonly handle?: string;
  readonly name?: string;
  readonly message?: string;
}

export class FirehoseSource implements WatchSource {
  readonly kind = 'firehose';
  readonly streams: readonly StreamName[] = ['firehose'];
  readonly service: string;
  connections = 0;
  /** Frames received (every repository's events, before any filter). */
  frames = 0;
  /** Graph-changing commit ops whose signature did not verify (dropped). */
  unverifiedOps = 0;
  private hooks: WatchSourceHooks | null = null;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private readonly idResolver: IdResolver;
  private readonly logger: Logger;
  /** First start only: events made before this (µs) are in the crawl already. */
  private keepFromUs: number | null = null;
  /** Set by `#info OutdatedCursor` until the next event shows whether anything was lost. */
  private outdated = false;

  constructor(private readonly options: FirehoseSourceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.service = options.service.replace(/\/+$/, '');
    const host = new URL(options.plcUrl).hostname;
    // The default fetch refuses private addresses (SSRF); a PLC on this machine is the operator's own.
    const local = host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
    this.idResolver = new IdResolver({ plcUrl: options.plcUrl, timeout: options.timeoutMs ?? 30_000, didCache: new MemoryCache(), ...(local ? { fetch: globalThis.fetch } : {}) });
  }

  firstPositions(crawlStartMs: number | null): StreamPositions {
    if (crawlStartMs === null) return {};
    this.keepFromUs = crawlStartMs * 1000 - (this.options.rewindUs ?? 5_000_000);
    return { firehose: 0 };
  }

  start(hooks: WatchSourceHooks): void {
    this.hooks = hooks;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
  }

  membersChanged(): void {
    // The firehose has no server-side filter: members are matched here.
  }

  reconnect(): void {
    this.abort?.abort();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const abort = new AbortController();
      this.abort = abort;
      const subscription = new Subscription<Frame>({
        service: this.service,
        method: METHOD,
        signal: abort.signal,
        getParams: () => {
          this.connections++;
          this.hooks!.onState('firehose', true);
          const position = this.hooks!.position('firehose');
          return position === undefined ? {} : { cursor: position };
        },
        validate: (value) => (value && typeof (value as Frame).$type === 'string' ? (value as Frame) : undefined),
        onReconnectError: (error) => {
          this.hooks!.onState('firehose', false, (error as Error).message);
        },
      });
      try {
        for await (const frame of subscription) {
          failures = 0;
          await this.receive(frame);
        }
        // The service ended the stream: connect again, not at once (a service that keeps closing).
        if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, Math.min(this.options.maxBackoffMs ?? 5_000, 100 * 2 ** Math.min(failures++, 6))));
      } catch (err) {
        if (abort.signal.aborted) continue;
        const code = (err as { error?: string }).error;
        this.hooks!.onState('firehose', false, (err as Error).message);
        if (code === 'FutureCursor') {
          // The service's sequence is behind the stored one: it was reset, or it is another service.
          this.hooks!.onReset('firehose');
          this.hooks!.onGap('the firehose is behind the stored cursor (FutureCursor): resumed from now');
        } else this.logger.warn('firehose subscription failed; reconnecting', { error: (err as Error).message });
        await new Promise((r) => setTimeout(r, Math.min(this.options.maxBackoffMs ?? 5_000, 100 * 2 ** Math.min(failures++, 6))));
      }
    }
  }

  private async receive(frame: Frame): Promise<void> {
    const hooks = this.hooks!;
    this.frames++;
    const kind = frame.$type.slice(METHOD.length);
    if (kind === '#info') {
      if (frame.name === 'OutdatedCursor') this.outdated = true;
      this.logger.info('firehose info', { name: frame.name, message: frame.message });
      return;
    }
    if (typeof frame.seq !== 'number' || typeof frame.time !== 'string') return;
    const position = frame.seq;
    // A frame's time is the service's word; one that does not parse counts as now (lag only).
    const parsedMs = Date.parse(frame.time);
    const timeUs = (Number.isNaN(parsedMs) ? Date.now() : parsedMs) * 1000;
    if (this.outdated) {
      this.outdated = false;
      // The service started later than asked; nothing is lost only if it still starts before the crawl.
      if (this.keepFromUs === null || !(timeUs <= this.keepFromUs)) hooks.onGap('the firehose no longer had the resume point (OutdatedCursor)');
    }
    const did = frame.repo ?? frame.did ?? '';
    const base = { stream: 'firehose' as const, position, timeUs, filteredByDid: false };
    if (this.keepFromUs !== null && timeUs < this.keepFromUs) {
      hooks.onEvent({ ...base, message: null });
      return;
    }
    this.keepFromUs = null;
    if (kind === '#commit') {
      const messages = await this.commitMessages(frame, did, timeUs, hooks.members());
      for (const message of messages) hooks.onEvent({ ...base, message });
      // A commit that changes nothing here still moves the position.
      if (messages.length === 0) hooks.onEvent({ ...base, message: null });
    } else if (kind === '#identity') {
      this.options.forget?.(did);
      const handle = frame.handle ?? (hooks.members().has(did) ? await this.options.handleOf(did) : null);
      // No handle to tell: nothing to change (a null would erase the one the graph has).
      hooks.onEvent({ ...base, message: handle ? { did, time_us: timeUs, kind: 'identity', identity: { handle } } : null });
    } else if (kind === '#account') {
      const account = parseAccount(frame as unknown as Parameters<typeof parseAccount>[0]);
      hooks.onEvent({ ...base, invalid: !account, message: account ? { did, time_us: timeUs, kind: 'account', account: { active: account.active, status: account.status } } : null });
    } else {
      // #sync: the repository was reset to a new state; its follows are re-read.
      if (kind === '#sync' && hooks.members().has(did)) hooks.onGap('the repository was re-synced', did);
      hooks.onEvent({ ...base, message: null });
    }
  }

  /** The commit's ops on the graph's collections, as messages; only members' follows and profiles. */
  private async commitMessages(frame: Frame, did: string, timeUs: number, members: ReadonlySet<string>): Promise<StreamMessage[]> {
    const relevant = (frame.ops ?? []).some((op) => matchCollection(op.path.split('/')[0]!));
    if (!relevant) return [];
    const member = members.has(did);
    if (frame.tooBig) {
      // The records are not in the frame; a member's follows are read from its repository instead.
      if (member) this.hooks!.onGap('a commit too big for the firehose', did);
      return [];
    }
    const commit = frame as unknown as Parameters<typeof parseCommitUnauthenticated>[0];
    let ops: CommitEvt[];
    try {
      ops = await parseCommitUnauthenticated(commit, matchCollection);
    } catch (err) {
      this.logger.warn('firehose commit unreadable', { did, seq: frame.seq, error: (err as Error).message });
      if (member) this.hooks!.onGap('an unreadable commit', did);
      return [];
    }
    // Follows and profiles count only for members; posts from anyone (the tag makes a member).
    const wanted = ops.filter((op) => op.collection === POST || member);
    if (wanted.length === 0) return [];
    const kept = this.options.verify === false ? wanted : await this.verified(commit, wanted);
    return kept.map((op) => ({
      did,
      time_us: timeUs,
      kind: 'commit' as const,
      commit: { operation: op.event, collection: op.collection, rkey: op.rkey, record: op.event === 'delete' ? undefined : (op.record as Record<string, unknown>) },
    }));
  }

  /** The ops whose record CIDs the commit's signed tree proves. */
  private async verified(commit: Parameters<typeof parseCommitUnauthenticated>[0], ops: CommitEvt[]): Promise<CommitEvt[]> {
    let proven: CommitEvt[] = [];
    try {
      proven = await parseCommitAuthenticated(this.idResolver, commit, matchCollection);
    } catch (err) {
      this.logger.warn('firehose commit failed verification', { did: commit.repo, error: (err as Error).message });
    }
    const ok = new Set(proven.map((op) => `${op.collection}/${op.rkey}/${op.event}`));
    const kept = ops.filter((op) => ok.has(`${op.collection}/${op.rkey}/${op.event}`));
    this.unverifiedOps += ops.length - kept.length;
    return kept;
  }
}
