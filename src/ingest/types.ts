/** The ingest's public shapes: what the CLI, the GraphQL layer and the store exchange. */

export type IngestStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export type IngestStage = 'SEARCH' | 'PROFILES' | 'FOLLOWS' | 'FINALISE' | 'DONE';

export interface IngestInput {
  /** Lower-case tag without '#', validated by `normaliseHashtag`. */
  readonly hashtag: string;
  readonly maxPosts?: number;
  readonly since?: string;
  readonly until?: string;
  /** Lets this run prune more than the configured share of the community (INGEST_MAX_SHRINK). */
  readonly allowShrink?: boolean;
}

export interface IngestCounters {
  requests: number;
  retries: number;
  waits: number;
  searchPages: number;
  posts: number;
  members: number;
  membersDone: number;
  profiles: number;
  actors: number;
  follows: number;
}

export interface IngestRunRecord {
  readonly id: string;
  readonly hashtag: string;
  readonly status: IngestStatus;
  readonly stage: IngestStage;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  readonly maxPosts: number | null;
  readonly since: string | null;
  readonly until: string | null;
  readonly counters: IngestCounters;
  /** What the run deleted when it finalised: members who left, and follows (unfollows, leavers' lists). */
  readonly removedMembers: number;
  readonly removedFollows: number;
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
}

export class IngestConflictError extends Error {
  readonly code = 'CONFLICT';
  constructor(hashtag: string, runId: string) {
    super(`an ingest of #${hashtag} is already running (run ${runId})`);
    this.name = 'IngestConflictError';
  }
}

export class IngestNotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`no ingest run with id ${id}`);
    this.name = 'IngestNotFoundError';
  }
}

export class IngestStateError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'IngestStateError';
  }
}

export const EMPTY_COUNTERS: Readonly<IngestCounters> = Object.freeze({
  requests: 0, retries: 0, waits: 0, searchPages: 0, posts: 0, members: 0, membersDone: 0, profiles: 0, actors: 0, follows: 0,
});
