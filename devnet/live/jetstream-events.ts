/** Jetstream's JSON event shapes (`kind` commit, identity, account), as `/subscribe` sends them. */

export type CommitOperation = 'create' | 'update' | 'delete';

export interface CommitEvent {
  did: string;
  time_us: number;
  kind: 'commit';
  commit: {
    rev: string;
    operation: CommitOperation;
    collection: string;
    rkey: string;
    /** Absent on deletes, as on the real stream. */
    record?: Record<string, unknown>;
    cid?: string;
  };
}

export interface IdentityEvent {
  did: string;
  time_us: number;
  kind: 'identity';
  identity: { did: string; handle: string; seq: number; time: string };
}

export type AccountStatus = 'deactivated' | 'deleted' | 'takendown';

export interface AccountEvent {
  did: string;
  time_us: number;
  kind: 'account';
  account: { active: boolean; did: string; seq: number; time: string; status?: AccountStatus };
}

export type JetstreamEvent = CommitEvent | IdentityEvent | AccountEvent;

export const FOLLOW_COLLECTION = 'app.bsky.graph.follow';
export const POST_COLLECTION = 'app.bsky.feed.post';
export const PROFILE_COLLECTION = 'app.bsky.actor.profile';
