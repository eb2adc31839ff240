/**
 * What a watcher that followed the whole stream must hold now: members, every repo's follow
 * records, handles, profiles and account status. `edges` is the community graph as a crawl
 * sees it: follows from active members to active accounts.
 */
import type { FollowRecord } from './follow-records.js';
import type { AccountStatus } from './jetstream-events.js';

type LiveStatus = 'active' | AccountStatus;

/** What the truth is read from (a LiveCommunity; structural, so the two modules do not import each other). */
interface TruthSource {
  readonly hashtag: string;
  readonly log: { readonly lastTimeUs: number };
  actors(): ReadonlyArray<{ did: string; handle: string; displayName?: string; description?: string; status: LiveStatus; firstTagPostAt?: string }>;
  followRecords(did: string): readonly FollowRecord[];
}

export interface LiveActorTruth {
  did: string;
  handle: string;
  displayName?: string;
  description?: string;
  status: LiveStatus;
  /** Active and has posted the hashtag. */
  isMember: boolean;
  firstTagPostAt?: string;
}

export interface LiveEdge {
  src: string;
  dst: string;
  rkey: string;
  createdAt: string;
}

export interface LiveTruth {
  hashtag: string;
  /** time_us of the newest event this truth includes; 0 before any mutation. */
  cursorUs: number;
  /** Active members, by DID, with the createdAt of their first post carrying the tag. */
  members: Array<{ did: string; firstTagPostAt: string }>;
  /** Every account ever seen, deleted ones included (status 'deleted'). */
  actors: Map<string, LiveActorTruth>;
  /** Follow records per repo (ascending rkey), for every account that is not deleted. */
  follows: Map<string, readonly FollowRecord[]>;
  /** Follows from active members to active accounts, sorted by src then rkey. */
  edges: LiveEdge[];
}

export function liveTruth(live: TruthSource): LiveTruth {
  const actors = new Map<string, LiveActorTruth>();
  const follows = new Map<string, readonly FollowRecord[]>();
  const members: LiveTruth['members'] = [];
  for (const a of live.actors()) {
    const isMember = a.status === 'active' && a.firstTagPostAt !== undefined;
    actors.set(a.did, {
      did: a.did,
      handle: a.handle,
      ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
      ...(a.description !== undefined ? { description: a.description } : {}),
      status: a.status,
      isMember,
      ...(a.firstTagPostAt !== undefined ? { firstTagPostAt: a.firstTagPostAt } : {}),
    });
    if (a.status !== 'deleted') follows.set(a.did, live.followRecords(a.did).slice());
    if (isMember) members.push({ did: a.did, firstTagPostAt: a.firstTagPostAt as string });
  }
  members.sort((x, y) => (x.did < y.did ? -1 : x.did > y.did ? 1 : 0));
  const edges: LiveEdge[] = [];
  for (const m of members) {
    for (const r of follows.get(m.did) ?? []) {
      if (actors.get(r.subject)?.status === 'active') edges.push({ src: m.did, dst: r.subject, rkey: r.rkey, createdAt: r.createdAt });
    }
  }
  return { hashtag: live.hashtag, cursorUs: live.log.lastTimeUs, members, actors, follows, edges };
}
