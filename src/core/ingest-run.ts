/**
 * An ingest run as it is stored, listed and reported. A run is RUNNING from the moment it is
 * created (there is no queue); it ends SUCCEEDED, FAILED or CANCELLED. Its stage is where it is in
 * the crawl: profiles are fetched during FOLLOWS, so there is no stage of their own.
 */
import type { FollowsFrom } from './follows-source.js';

export const INGEST_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type IngestStatus = (typeof INGEST_STATUSES)[number];

export const INGEST_STAGES = ['SEARCH', 'FOLLOWS', 'FINALISE', 'DONE'] as const;
export type IngestStage = (typeof INGEST_STAGES)[number];

export interface IngestCounters {
  requests: number;
  retries: number;
  waits: number;
  searchPages: number;
  /** Search windows (`until` moved back past the service's result cap): more than 1 means the cap was hit. */
  searchWindows: number;
  /** Members whose follow list could not be read to the end (their stored edges were kept). */
  incompleteFollowLists: number;
  posts: number;
  members: number;
  membersDone: number;
  profiles: number;
  actors: number;
  follows: number;
}

export const EMPTY_COUNTERS: Readonly<IngestCounters> = Object.freeze({
  requests: 0, retries: 0, waits: 0, searchPages: 0, searchWindows: 0, incompleteFollowLists: 0, posts: 0, members: 0, membersDone: 0, profiles: 0, actors: 0, follows: 0,
});

export interface IngestRunRecord {
  readonly id: string;
  readonly hashtag: string;
  /** Where this run reads follows (the run's choice, else the server's BSKY_FOLLOWS_FROM when it started). */
  readonly followsFrom: FollowsFrom;
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
