/**
 * Runs ingests in the background for the server and in the foreground for the CLI. Owns the run
 * lifecycle (RUNNING → SUCCEEDED | FAILED | CANCELLED), one run per hashtag, cancellation, and
 * resumption of runs whose process died (kill -9 leaves them RUNNING with a dead owner).
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { Config } from '../config/config.js';
import type { GraphDatabase } from '../graph/database.js';
import { createRun, getRun, listRuns, runningRunFor, updateRun, type StoredRun } from '../graph/ingest-runs.js';
import { scrub, type Logger } from '../logging/logger.js';
import { BlueskyClient } from './bsky-client.js';
import { crawlHashtag } from './crawl-hashtag.js';
import { normaliseHashtag } from './hashtag.js';
import {
  IngestConflictError,
  IngestNotFoundError,
  IngestStateError,
  type IngestController,
  type IngestCounters,
  type IngestInput,
  type IngestRunRecord,
  type IngestStage,
} from './types.js';

export type ProgressListener = (run: { id: string; hashtag: string }, counters: IngestCounters, stage: IngestStage) => void;

export interface IngestServiceOptions {
  readonly db: GraphDatabase;
  readonly config: Config;
  readonly logger: Logger;
  readonly onProgress?: ProgressListener;
  readonly batchEdges?: number;
}

interface ActiveRun {
  readonly hashtag: string;
  readonly controller: AbortController;
  readonly done: Promise<IngestRunRecord>;
}

const OWNER = `${hostname()}:${process.pid}`;
const STALE_HEARTBEAT_MS = 10 * 60_000;

export class IngestService implements IngestController {
  private readonly active = new Map<string, ActiveRun>();
  private readonly listeners = new Set<ProgressListener>();

  constructor(private readonly options: IngestServiceOptions) {
    if (options.onProgress) this.listeners.add(options.onProgress);
  }

  /** Progress of every run of this service; returns the unsubscribe function. */
  subscribe(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(input: IngestInput): Promise<IngestRunRecord> {
    const run = await this.createRun(input);
    this.launch(run);
    return publicRecord(run);
  }

  /** CLI: start (or resume) and wait for the end; the record says how it ended. */
  async run(input: IngestInput): Promise<IngestRunRecord> {
    const run = await this.createRun(input);
    return this.launch(run).done;
  }

  async resumeAndWait(id: string): Promise<IngestRunRecord> {
    await this.resume(id);
    return this.active.get(id)!.done;
  }

  async cancel(id: string): Promise<IngestRunRecord> {
    const active = this.active.get(id);
    if (active) {
      active.controller.abort();
      return active.done;
    }
    const run = await this.mustGet(id);
    if (run.status !== 'RUNNING') throw new IngestStateError(`run ${id} is ${run.status}, not running`);
    if (!isStale(run)) throw new IngestStateError(`run ${id} is running in another process (${run.owner}); cancel it there`);
    return publicRecord(await updateRun(this.options.db, id, { status: 'CANCELLED', error: 'cancelled after its process stopped', finished: true }));
  }

  async resume(id: string): Promise<IngestRunRecord> {
    if (this.active.has(id)) throw new IngestStateError(`run ${id} is already running`);
    const run = await this.mustGet(id);
    if (run.status === 'SUCCEEDED') throw new IngestStateError(`run ${id} already succeeded; start a new ingest to refresh #${run.hashtag}`);
    if (run.status === 'RUNNING' && !isStale(run)) throw new IngestStateError(`run ${id} is still running in process ${run.owner}`);
    await this.assertHashtagFree(run.hashtag, id);
    const reopened = await updateRun(this.options.db, id, { status: 'RUNNING', error: null, owner: OWNER });
    this.launch(reopened);
    return publicRecord(reopened);
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

  private async createRun(input: IngestInput): Promise<StoredRun> {
    const hashtag = normaliseHashtag(input.hashtag);
    validateWindow(input);
    await this.assertHashtagFree(hashtag);
    return createRun(this.options.db, {
      id: randomUUID(),
      hashtag,
      stamp: Date.now(),
      owner: OWNER,
      maxPosts: input.maxPosts ?? null,
      since: input.since ?? null,
      until: input.until ?? null,
    });
  }

  private async assertHashtagFree(hashtag: string, except?: string): Promise<void> {
    for (const [id, a] of this.active) {
      if (a.hashtag === hashtag && id !== except) throw new IngestConflictError(hashtag, id);
    }
    const running = await runningRunFor(this.options.db, hashtag);
    if (!running || running.id === except) return;
    if (!isStale(running)) throw new IngestConflictError(hashtag, running.id);
    // Its process died: leave it resumable rather than blocking the hashtag forever.
    await updateRun(this.options.db, running.id, { status: 'FAILED', error: 'interrupted: its process stopped', finished: true });
  }

  private launch(run: StoredRun): ActiveRun {
    const controller = new AbortController();
    // Every request in flight (up to the concurrency) listens for cancellation.
    setMaxListeners(0, controller.signal);
    const { config, db, logger } = this.options;
    const log = logger.child(`ingest:${run.hashtag}`);
    const done = (async (): Promise<IngestRunRecord> => {
      try {
        const client = new BlueskyClient({ bsky: config.bsky, signal: controller.signal });
        await client.login();
        const result = await crawlHashtag({
          db,
          client,
          run,
          logger: log,
          signal: controller.signal,
          memberConcurrency: config.bsky.concurrency * 2,
          batchEdges: this.options.batchEdges,
          onProgress: (counters, stage) => {
            for (const listener of this.listeners) listener(run, counters, stage);
          },
        });
        log.info('ingest succeeded', { runId: run.id, ...result.counters, removedMembers: result.removedMembers });
        return publicRecord(await updateRun(db, run.id, { status: 'SUCCEEDED', stage: 'DONE', counters: result.counters, finished: true }));
      } catch (err) {
        const cancelled = controller.signal.aborted;
        const message = scrub((err as Error).message ?? String(err));
        if (cancelled) log.warn('ingest cancelled', { runId: run.id });
        else log.error('ingest failed', { runId: run.id, error: message });
        try {
          return publicRecord(await updateRun(db, run.id, { status: cancelled ? 'CANCELLED' : 'FAILED', error: cancelled ? 'cancelled' : message, finished: true }));
        } catch (writeErr) {
          log.error('could not record the end of the run', { runId: run.id, error: (writeErr as Error).message });
          return { ...publicRecord(run), status: cancelled ? 'CANCELLED' : 'FAILED', error: message };
        }
      } finally {
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

/** A RUNNING run whose process is gone: same host and a dead pid, or no heartbeat for long. */
function isStale(run: StoredRun): boolean {
  if (!run.owner) return true;
  const [host, pid] = run.owner.split(':');
  if (host === hostname() && pid) {
    if (Number(pid) === process.pid) return false;
    try {
      process.kill(Number(pid), 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  return Date.now() - Date.parse(run.heartbeatAt ?? run.startedAt) > STALE_HEARTBEAT_MS;
}

function publicRecord(run: StoredRun | IngestRunRecord): IngestRunRecord {
  const { id, hashtag, status, stage, startedAt, finishedAt, error, maxPosts, since, until, counters } = run;
  return { id, hashtag, status, stage, startedAt, finishedAt, error, maxPosts, since, until, counters };
}
