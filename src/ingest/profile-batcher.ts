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

export interface ProfileBatcherDeps {
  readonly client: Pick<BlueskyClient, 'getProfiles'>;
  readonly writer: Pick<BatchWriter, 'addProfiles'>;
  readonly counters: CrawlCounters;
  readonly tasks: Pick<MemberTasks, 'add'>;
}

export class ProfileBatcher {
  private buffer: string[] = [];

  constructor(protected readonly deps: ProfileBatcherDeps) {}

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

  protected async fetch(dids: string[]): Promise<void> {
    const profiles = await this.deps.client.getProfiles(dids);
    const found = new Set(profiles.map((p) => p.did));
    this.deps.counters.run.profiles += profiles.length;
    this.deps.writer.addProfiles(profiles.map(toProfile), dids.filter((d) => !found.has(d)));
  }
}

/**
 * Profiles of followed accounts the graph holds by DID only (repo mode), batched the same way; an
 * account getProfiles does not return (deleted, taken down, deactivated) is flagged profileMissing.
 */
export class TargetProfiles extends ProfileBatcher {
  constructor(private readonly targetDeps: Omit<ProfileBatcherDeps, 'writer'> & { readonly writer: Pick<BatchWriter, 'addTargets'> }) {
    super({ ...targetDeps, writer: { addProfiles: () => undefined } });
  }

  protected override async fetch(dids: string[]): Promise<void> {
    const profiles = await this.targetDeps.client.getProfiles(dids);
    const found = new Set(profiles.map((p) => p.did));
    this.targetDeps.writer.addTargets(profiles.map(toTarget), dids.filter((d) => !found.has(d)));
  }
}
