/**
 * Runs ingests in the background for the server and in the foreground for the CLI. Owns the run
 * lifecycle (RUNNING → SUCCEEDED | FAILED | CANCELLED), cancellation and resumption. One writer
 * per hashtag is Neo4j's decision, not this process's: a run exists only while it holds the
 * hashtag's lease (graph/ingest-lease.ts), renewed by a heartbeat; a run whose process died stops
 * heartbeating, and the next start or resume takes its lease over.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { Config } from '../config/config.js';
import type { GraphDatabase } from '../graph/database.js';
import { LeaseLostError, renewIntervalMs, type Lease } from '../graph/ingest-lease.js';
import {
  cancelForeignRun,
  createLeasedRun,
  finishRun,
  getRun,
  heartbeat,
  listRuns,
  reopenLeasedRun,
  type LeaseDecision,
  type RunPatch,
  type StoredRun,
} from '../graph/ingest-runs.js';
import { scrub, type Logger } from '../logging/logger.js';
import { BlueskyClient } from './bsky-client.js';
import { crawlHashtag } from './crawl-hashtag.js';
import { publicRunError } from './run-errors.js';
import { normaliseHashtag } from '../core/hashtag.js';
import type { IngestCounters, IngestRunRecord, IngestStage } from '../core/ingest-run.js';
import {
  IngestConflictError,
  IngestNotFoundError,
  IngestStateError,
  type IngestController,
  type IngestInput,
} from './types.js';

export type ProgressListener = (run: { id: string; hashtag: string }, counters: IngestCounters, stage: IngestStage) => void;

export interface IngestServiceOptions {
  readonly db: GraphDatabase;
  readonly config: Config;
  readonly logger: Logger;
  readonly onProgress?: ProgressListener;
  readonly batchEdges?: number;
  /** Recorded on each run as what it crawled; default: the service URL. */
  readonly sourceLabel?: string;
  /** The explicit step after a successful run (writing scores); its failure is logged, not the run's. */
  readonly afterSuccess?: (hashtag: string) => Promise<unknown>;
}

export interface ResumeOptions {
  /** Lets the resumed run prune more than the configured share (e.g. after a refused prune). */
  readonly allowShrink?: boolean;
  /** If the run still holds its own lease (killed a moment ago), wait up to a TTL for it to lapse. */
  readonly waitForLapse?: boolean;
}

interface ActiveRun {
  readonly hashtag: string;
  readonly controller: AbortController;
  readonly done: Promise<IngestRunRecord>;
}

/** For people reading the run: where it runs. Liveness comes from the lease, never from this. */
const OWNER = `${hostname()}:${process.pid}`;

export class IngestService implements IngestController {
  private readonly active = new Map<string, ActiveRun>();
  private readonly listeners = new Set<ProgressListener>();

  constructor(private readonly options: IngestServiceOptions) {
    if (options.onProgress) this.listeners.add(options.onProgress);
  }

  /** The final record of a run this service is running now; null when it runs nowhere here. */
  settled(id: string): Promise<IngestRunRecord> | null {
    return this.active.get(id)?.done ?? null;
  }

  /** Progress of every run of this service; returns the unsubscribe function. */
  subscribe(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(input: IngestInput): Promise<IngestRunRecord> {
    const { run, lease } = await this.createRun(input);
    this.launch(run, lease);
    return publicRecord(run);
  }

  /** CLI: start (or resume) and wait for the end; the record says how it ended. */
  async run(input: IngestInput): Promise<IngestRunRecord> {
    const { run, lease } = await this.createRun(input);
    return this.launch(run, lease).done;
  }

  async resumeAndWait(id: string, options: ResumeOptions = {}): Promise<IngestRunRecord> {
    await this.resume(id, options);
    return this.active.get(id)?.done ?? this.mustGet(id).then(publicRecord);
  }

  async cancel(id: string): Promise<IngestRunRecord> {
    const active = this.active.get(id);
    if (active) {
      active.controller.abort();
      return active.done;
    }
    const run = await this.mustGet(id);
    if (run.status !== 'RUNNING') throw new IngestStateError(`run ${id} is ${run.status}, not running`);
    // Another process drives it (or drove it, and died): Neo4j decides which, under the lease.
    const outcome = await cancelForeignRun(this.options.db, id, run.hashtag);
    if (outcome === 'requested') {
      // The holder reads the request at its next heartbeat.
      const deadline = Date.now() + renewIntervalMs({ ttlMs: this.options.config.ingest.leaseTtlMs }) + 10_000;
      while (Date.now() < deadline) {
        const now = await this.mustGet(id);
        if (now.status !== 'RUNNING') return publicRecord(now);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    return publicRecord(await this.mustGet(id));
  }

  /** Resumes a stopped run: only the newest of its hashtag, and only once at a time. */
  async resume(id: string, options: ResumeOptions = {}): Promise<IngestRunRecord> {
    if (this.active.has(id)) throw new IngestStateError(`run ${id} is already running`);
    const ttlMs = this.options.config.ingest.leaseTtlMs;
    const reopen = () => reopenLeasedRun(this.options.db, id, OWNER, ttlMs, options.allowShrink);
    let decision = await reopen();
    if (options.waitForLapse && !decision.granted && decision.reason === 'busy' && decision.holder === id) {
      // The run still holds its own lease: alive elsewhere, or killed less than a TTL ago.
      this.options.logger.warn(`run ${id} still holds the lease on its hashtag; waiting up to ${Math.ceil(ttlMs / 1000)} s for it to lapse`);
      const deadline = Date.now() + ttlMs + 2_000;
      while (!decision.granted && decision.reason === 'busy' && decision.holder === id && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        decision = await reopen();
      }
    }
    const { run, lease } = this.granted(decision, id);
    this.launch(run, lease);
    return publicRecord(run);
  }

  async get(id: string): Promise<IngestRunRecord | null> {
    const run = await getRun(this.options.db, id);
    return run ? publicRecord(run) : null;
  }

  async list(first: number): Promise<IngestRunRecord[]> {
    return (await listRuns(this.options.db, first)).map(publicRecord);
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  /** Cancels every run of this process and waits (server shutdown). */
  async shutdown(): Promise<void> {
    for (const a of this.active.values()) a.controller.abort();
    await this.drain();
  }

  private async createRun(input: IngestInput): Promise<{ run: StoredRun; lease: Lease }> {
    const hashtag = normaliseHashtag(input.hashtag);
    validateWindow(input);
    const id = randomUUID();
    const decision = await createLeasedRun(this.options.db, {
      id,
      hashtag,
      stamp: Date.now(),
      owner: OWNER,
      maxPosts: input.maxPosts ?? null,
      since: input.since ?? null,
      until: input.until ?? null,
      allowShrink: input.allowShrink === true,
      followsFrom: input.followsFrom ?? this.options.config.bsky.followsFrom,
      source: this.options.sourceLabel ?? this.options.config.bsky.service,
    }, this.options.config.ingest.leaseTtlMs);
    return this.granted(decision, id);
  }

  private granted(decision: LeaseDecision, id: string): { run: StoredRun; lease: Lease } {
    if (decision.granted) return decision;
    switch (decision.reason) {
      case 'busy':
        if (decision.holder === id) {
          throw new IngestStateError(`run ${id} still holds its lease: it is running, or its process stopped less than INGEST_LEASE_TTL_MS ago (retry then)`);
        }
        throw new IngestConflictError(decision.hashtag, decision.holder);
      case 'superseded':
        throw new IngestStateError(`run ${id} is not the newest run of its hashtag (run ${decision.newer} came after it); start a new ingest instead`);
      case 'finished':
        throw new IngestStateError(`run ${id} already succeeded; start a new ingest to refresh it`);
      case 'missing':
        throw new IngestNotFoundError(id);
    }
  }

  private launch(run: StoredRun, lease: Lease): ActiveRun {
    const controller = new AbortController();
    // Every request in flight (up to the concurrency) listens for cancellation.
    setMaxListeners(0, controller.signal);
    const { config, db, logger } = this.options;
    const log = logger.child(`ingest:${run.hashtag}`);
    let lostLease: LeaseLostError | null = null;
    const beat = setInterval(() => {
      heartbeat(db, lease)
        .then((state) => {
          if (!state.held) {
            lostLease = new LeaseLostError(lease);
            controller.abort();
          } else if (state.cancelRequested) {
            controller.abort();
          }
        })
        .catch((err: Error) => log.warn('heartbeat failed; retrying at the next beat', { runId: run.id, error: err.message }));
    }, renewIntervalMs(lease));
    beat.unref();
    const finish = async (patch: RunPatch): Promise<IngestRunRecord> => {
      const ended = await finishRun(db, lease, patch);
      // Null: the lease was taken over, and the taker has already ended this run.
      return publicRecord(ended ?? (await this.mustGet(run.id)));
    };
    const done = (async (): Promise<IngestRunRecord> => {
      try {
        const client = new BlueskyClient({ bsky: config.bsky, signal: controller.signal });
        await client.login();
        const result = await crawlHashtag({
          db,
          client,
          run,
          lease,
          maxFollowPages: config.bsky.maxFollowPages,
          maxShrink: config.ingest.maxShrink,
          logger: log,
          signal: controller.signal,
          memberConcurrency: config.bsky.concurrency * 2,
          batchEdges: this.options.batchEdges,
          followsFrom: run.followsFrom,
          onProgress: (counters, stage) => {
            for (const listener of this.listeners) listener(run, counters, stage);
          },
        });
        const { removedMembers, removedFollows, incompleteMembers } = result;
        log.info('ingest succeeded', { runId: run.id, ...result.counters, removedMembers, removedFollows, incompleteMembers });
        const record = await finish({ status: 'SUCCEEDED', stage: 'DONE', counters: result.counters, removed: { members: removedMembers, follows: removedFollows } });
        await this.options.afterSuccess?.(run.hashtag).catch((err: Error) => log.warn('writing scores after the ingest failed', { runId: run.id, error: err.message }));
        return record;
      } catch (err) {
        const lost = lostLease ?? ((err as { code?: string }).code === 'LEASE_LOST' ? (err as Error) : null);
        const cancelled = controller.signal.aborted && !lost;
        const cause = lost ?? (err as Error);
        const message = publicRunError(cause, run.id);
        if (cancelled) log.warn('ingest cancelled', { runId: run.id });
        else log.error('ingest failed', { runId: run.id, error: scrub(cause.message ?? String(cause)) });
        try {
          return await finish({ status: cancelled ? 'CANCELLED' : 'FAILED', error: cancelled ? 'cancelled' : message });
        } catch (writeErr) {
          log.error('could not record the end of the run', { runId: run.id, error: (writeErr as Error).message });
          return { ...publicRecord(run), status: cancelled ? 'CANCELLED' : 'FAILED', error: message };
        }
      } finally {
        clearInterval(beat);
        this.active.delete(run.id);
      }
    })();
    const active = { hashtag: run.hashtag, controller, done };
    this.active.set(run.id, active);
    return active;
  }

  private async mustGet(id: string): Promise<StoredRun> {
    const run = await getRun(this.options.db, id);
    if (!run) throw new IngestNotFoundError(id);
    return run;
  }
}

function validateWindow(input: IngestInput): void {
  if (input.maxPosts !== undefined && (!Number.isInteger(input.maxPosts) || input.maxPosts < 1 || input.maxPosts > 10_000_000)) {
    throw new IngestStateError('maxPosts must be a whole number from 1 to 10000000');
  }
  for (const [name, value] of [['since', input.since], ['until', input.until]] as const) {
    if (value !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value)))) {
      throw new IngestStateError(`${name} must be an ISO 8601 date or datetime, got "${value.slice(0, 40)}"`);
    }
  }
  if (input.since && input.until && Date.parse(input.since) >= Date.parse(input.until)) {
    throw new IngestStateError('since must be before until');
  }
}

function publicRecord(run: StoredRun | IngestRunRecord): IngestRunRecord {
  const { id, hashtag, followsFrom, status, stage, startedAt, finishedAt, error, maxPosts, since, until, counters, removedMembers, removedFollows } = run;
  return { id, hashtag, followsFrom, status, stage, startedAt, finishedAt, error, maxPosts, since, until, counters, removedMembers, removedFollows };
}
