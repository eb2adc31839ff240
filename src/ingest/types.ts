/** The ingest's public shapes: what the CLI, the GraphQL layer and the store exchange. */

import { CodedError } from '../core/errors.js';
import type { FollowsFrom } from '../core/follows-source.js';
import type { IngestCounters, IngestRunRecord, IngestStage } from '../core/ingest-run.js';

// Kept for crawl-hashtag.ts, which another change is splitting; new code imports src/core/ingest-run.ts.
export type { IngestCounters, IngestStage } from '../core/ingest-run.js';

export interface IngestInput {
  /** Lower-case tag without '#', validated by `normaliseHashtag`. */
  readonly hashtag: string;
  readonly maxPosts?: number;
  readonly since?: string;
  readonly until?: string;
  /** Lets this run prune more than the configured share of the community (INGEST_MAX_SHRINK). */
  readonly allowShrink?: boolean;
  /** Where this run reads follows; default the server's BSKY_FOLLOWS_FROM. Kept by a resume. */
  readonly followsFrom?: FollowsFrom;
}

/** What the GraphQL layer uses to drive ingests; implemented by `IngestService`. */
export interface IngestController {
  /** Starts a run in the background and returns it at once. Throws IngestConflictError if the hashtag is busy. */
  start(input: IngestInput): Promise<IngestRunRecord>;
  cancel(id: string): Promise<IngestRunRecord>;
  resume(id: string, options?: { readonly allowShrink?: boolean }): Promise<IngestRunRecord>;
  get(id: string): Promise<IngestRunRecord | null>;
  list(first: number): Promise<IngestRunRecord[]>;
  /** Waits for every background run to settle (server shutdown, tests). */
  drain(): Promise<void>;
  /** Live progress of this process's runs (subscriptions); returns the unsubscribe function. */
  subscribe?(listener: (run: { id: string; hashtag: string }, counters: IngestCounters, stage: IngestStage) => void): () => void;
  /** The final record of a run this process is running now; null otherwise. */
  settled?(id: string): Promise<IngestRunRecord> | null;
}

export class IngestConflictError extends CodedError {
  readonly code = 'CONFLICT';
  constructor(hashtag: string, runId: string) {
    super(`an ingest of #${hashtag} is already running (run ${runId})`);
  }
}

export class IngestNotFoundError extends CodedError {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`no ingest run with id ${id}`);
  }
}

export class IngestStateError extends CodedError {
  readonly code = 'BAD_USER_INPUT';
}
