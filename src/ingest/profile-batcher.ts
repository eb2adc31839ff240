/**
 * Stage 2, per member: profiles, `getProfiles` 25 actors a call (the lexicon's maximum). Members
 * wait in a buffer until a full call's worth is there; the rest go once search has ended. A DID the
 * service does not return (deleted, suspended) is recorded as done all the same.
 */
import type { BatchWriter } from './batch-writer.js';
import type { BlueskyClient } from './bsky-client.js';
import type { CrawlCounters } from './crawl-counters.js';
import type { MemberTasks } from './member-tasks.js';
import { toProfile, toTarget } from './profile-rows.js';

export const PROFILES_PER_CALL = 25;
/** Profile calls go ahead of follow crawls: they are few, and they finish members. */
const PROFILE_PRIORITY = 1;

/** What to do with one call's answer: the profiles returned, and the DIDs it did not return. */
export type ProfileSink = (profiles: Awaited<ReturnType<BlueskyClient['getProfiles']>>, missing: string[]) => void;

export interface ProfileBatcherDeps {
  readonly client: Pick<BlueskyClient, 'getProfiles'>;
  readonly tasks: Pick<MemberTasks, 'add'>;
  readonly record: ProfileSink;
}

export class ProfileBatcher {
  private buffer: string[] = [];

  constructor(private readonly deps: ProfileBatcherDeps) {}

  add(did: string): void {
    this.buffer.push(did);
    this.flush(false);
  }

  /** Queues every full call; with `all`, the last partial one too. */
  flush(all: boolean): void {
    while (this.buffer.length >= PROFILES_PER_CALL || (all && this.buffer.length > 0)) {
      const chunk = this.buffer.slice(0, PROFILES_PER_CALL);
      this.buffer = this.buffer.slice(PROFILES_PER_CALL);
      this.deps.tasks.add(() => this.fetch(chunk), PROFILE_PRIORITY);
    }
  }

  private async fetch(dids: string[]): Promise<void> {
    const profiles = await this.deps.client.getProfiles(dids);
    const found = new Set(profiles.map((p) => p.did));
    this.deps.record(profiles, dids.filter((d) => !found.has(d)));
  }
}

/** Members' profiles: counted, written as members' rows; a DID not returned is done all the same. */
export function memberProfiles(deps: Omit<ProfileBatcherDeps, 'record'> & { readonly writer: Pick<BatchWriter, 'addProfiles'>; readonly counters: CrawlCounters }): ProfileBatcher {
  return new ProfileBatcher({
    ...deps,
    record: (profiles, missing) => {
      deps.counters.run.profiles += profiles.length;
      deps.writer.addProfiles(profiles.map(toProfile), missing);
    },
  });
}

/**
 * Profiles of followed accounts the graph holds by DID only (repo mode); an account getProfiles
 * does not return (deleted, taken down, deactivated) is flagged profileMissing.
 */
export function targetProfiles(deps: Omit<ProfileBatcherDeps, 'record'> & { readonly writer: Pick<BatchWriter, 'addTargets'> }): ProfileBatcher {
  return new ProfileBatcher({ ...deps, record: (profiles, missing) => deps.writer.addTargets(profiles.map(toTarget), missing) });
}
