/**
 * A community that changes: the static `Community` as its starting point, then mutations
 * (follows, unfollows, posts, profile edits, handle changes, account status) applied in order.
 * Every mutation appends the Jetstream events a real network would emit to `log`, and bumps
 * `version` so servers rebuild what they serve (see live-snapshot.ts).
 */
import type { Community, DevnetActor, DevnetPost } from '../community.js';
import { carriesTag, type Facet } from '../hashtag-match.js';
import { plcDid, recordCid, tidMicros } from '../identifiers.js';
import { rngFor } from '../prng.js';
import { EventLog } from './event-log.js';
import { followRecordValue, initialFollowRecords, makeFollowRecord, type FollowRecord } from './follow-records.js';
import {
  FOLLOW_COLLECTION,
  POST_COLLECTION,
  PROFILE_COLLECTION,
  type AccountStatus,
  type CommitEvent,
  type CommitOperation,
  type JetstreamEvent,
} from './jetstream-events.js';
import { liveTruth, type LiveTruth } from './live-truth.js';

export type LiveStatus = 'active' | AccountStatus;

/** One account as it is now. */
export interface LiveActor {
  readonly index: number;
  readonly did: string;
  readonly handle: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly avatar?: string;
  readonly createdAt: string;
  readonly indexedAt: string;
  readonly status: LiveStatus;
  /** createdAt of its first post carrying the hashtag: set means member (while active). */
  readonly firstTagPostAt?: string;
}

export type MutationOp =
  | 'createAccount'
  | 'follow'
  | 'unfollow'
  | 'post'
  | 'updateProfile'
  | 'changeHandle'
  | 'deleteAccount'
  | 'deactivate'
  | 'reactivate';

/** What a mutation did, with the events it appended to the log. */
export interface Mutation {
  readonly op: MutationOp;
  readonly did: string;
  readonly events: readonly JetstreamEvent[];
  /** follow/unfollow: the record; post: its rkey. */
  readonly record?: FollowRecord;
  readonly post?: DevnetPost;
  readonly handle?: string;
  /** post: the author was not a member before this post. */
  readonly becameMember?: boolean;
}

export interface ProfileEdit {
  /** '' removes the field. */
  displayName?: string;
  description?: string;
}

export interface LiveCommunityOptions {
  /** Wall clock in ms for event times and record timestamps. Default Date.now. */
  clock?: () => number;
}

type MutableActor = { -readonly [K in keyof LiveActor]: LiveActor[K] };

const HANDLE = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class LiveCommunity {
  readonly hashtag: string;
  readonly log: EventLog;
  /** Bumped by every mutation. */
  version = 0;
  private readonly actorList: MutableActor[] = [];
  private readonly byDid = new Map<string, MutableActor>();
  private readonly byHandle = new Map<string, MutableActor>();
  private readonly follows = new Map<number, FollowRecord[]>();
  private readonly staticPostsByAuthor = new Map<number, DevnetPost[]>();
  /** Posts written live, oldest first. */
  private readonly livePosts: DevnetPost[] = [];
  private readonly livePostCount = new Map<number, number>();
  private lastPostMs: number;
  private accountsCreated = 0;

  constructor(
    readonly base: Community,
    options: LiveCommunityOptions = {},
  ) {
    this.hashtag = base.hashtag;
    this.log = new EventLog(options.clock ?? Date.now);
    this.lastPostMs = Date.parse(base.options.baseTime);
    const firstTag = new Map<number, string>();
    for (const post of base.posts) {
      let list = this.staticPostsByAuthor.get(post.author);
      if (!list) this.staticPostsByAuthor.set(post.author, (list = []));
      list.push(post);
      if (!carriesTag(post, base.hashtag)) continue;
      const seen = firstTag.get(post.author);
      if (seen === undefined || post.createdAt < seen) firstTag.set(post.author, post.createdAt);
    }
    for (const a of base.actors) {
      this.add({
        ...copyProfile(a),
        index: a.index,
        did: a.did,
        handle: a.handle,
        createdAt: a.createdAt,
        indexedAt: a.indexedAt,
        status: 'active',
        ...(firstTag.has(a.index) ? { firstTagPostAt: firstTag.get(a.index) as string } : {}),
      });
    }
  }

  // ---- reads ---------------------------------------------------------------------------

  get actorCount(): number {
    return this.actorList.length;
  }

  actors(): readonly LiveActor[] {
    return this.actorList;
  }

  /** By DID or handle (case-insensitive); deleted accounts too (check `status`). */
  actor(id: string): LiveActor | undefined {
    return id.startsWith('did:') ? this.byDid.get(id) : this.byHandle.get(id.replace(/^@/, '').toLowerCase());
  }

  /** The follow records in an account's repo, ascending by rkey (empty once deleted). */
  followRecords(did: string): readonly FollowRecord[] {
    const actor = this.byDid.get(did);
    if (!actor || actor.status === 'deleted') return [];
    return this.recordsOf(actor);
  }

  /** Every post of the account that search can see (static and live), oldest first. */
  postsOf(did: string): readonly DevnetPost[] {
    const actor = this.byDid.get(did);
    if (!actor || actor.status === 'deleted') return [];
    const own = (this.staticPostsByAuthor.get(actor.index) ?? []).slice().reverse();
    return own.concat(this.livePosts.filter((p) => p.author === actor.index));
  }

  /** Live posts, newest first (they are all newer than the static ones). */
  newPosts(): readonly DevnetPost[] {
    return this.livePosts.slice().reverse();
  }

  livePostsOf(index: number): number {
    return this.livePostCount.get(index) ?? 0;
  }

  truth(): LiveTruth {
    return liveTruth(this);
  }

  // ---- mutations -----------------------------------------------------------------------

  /** A brand-new account (not in the static graph): identity and account events, then its profile. */
  createAccount(handle: string, profile: ProfileEdit = {}): Mutation {
    const wanted = this.checkHandle(handle);
    const rng = rngFor(this.base.options.seed, 'live-account', this.accountsCreated++);
    let did = plcDid(rng);
    while (this.byDid.has(did) || did === this.base.crawler.did) did = plcDid(rng);
    const timeUs = this.log.nextTimeUs();
    const now = isoOf(timeUs);
    const actor = this.add({
      index: this.actorList.length,
      did,
      handle: wanted,
      createdAt: now,
      indexedAt: now,
      status: 'active',
      ...cleanProfile(profile),
    });
    const events: JetstreamEvent[] = [
      this.log.append({ did, time_us: timeUs, kind: 'identity', identity: { did, handle: wanted, seq: this.log.nextSeq(), time: now } }),
      this.accountEvent(actor, true),
    ];
    if (profile.displayName !== undefined || profile.description !== undefined) events.push(this.profileCommit(actor, 'create'));
    return this.done({ op: 'createAccount', did, handle: wanted, events });
  }

  follow(did: string, subject: string): Mutation {
    const actor = this.writer(did);
    const target = this.byDid.get(subject);
    if (!target || target.status === 'deleted') throw new Error(`no such account: ${subject}`);
    if (subject === did) throw new Error('an account cannot follow itself');
    const records = this.recordsOf(actor);
    if (records.some((r) => r.subject === subject)) throw new Error(`${did} already follows ${subject}`);
    const timeUs = this.log.nextTimeUs();
    const rkey = tidMicros(timeUs, actor.index);
    const record = makeFollowRecord(did, rkey, subject, isoOf(timeUs));
    records.push(record);
    const event = this.commit(actor, timeUs, 'create', FOLLOW_COLLECTION, rkey, followRecordValue(record), record.cid);
    return this.done({ op: 'follow', did, record, events: [event] });
  }

  /** Deletes a follow record by rkey; the event carries only the rkey, as on the network. */
  unfollow(did: string, rkey: string): Mutation {
    const actor = this.writer(did);
    const records = this.recordsOf(actor);
    const at = records.findIndex((r) => r.rkey === rkey);
    if (at < 0) throw new Error(`${did} has no follow record ${rkey}`);
    const [record] = records.splice(at, 1) as [FollowRecord];
    const event = this.commit(actor, this.log.nextTimeUs(), 'delete', FOLLOW_COLLECTION, rkey);
    return this.done({ op: 'unfollow', did, record, events: [event] });
  }

  /** A post; one carrying the hashtag makes its author a member. */
  post(did: string, text: string, facets?: Facet[]): Mutation {
    const actor = this.writer(did);
    const timeUs = this.log.nextTimeUs();
    // Search needs unique, increasing indexedAt (ms): bump past the previous post if needed.
    this.lastPostMs = Math.max(Math.floor(timeUs / 1000), this.lastPostMs + 1);
    const createdAt = new Date(this.lastPostMs).toISOString();
    const rkey = tidMicros(timeUs, actor.index);
    const uri = `at://${did}/${POST_COLLECTION}/${rkey}`;
    const value = { $type: POST_COLLECTION, text, ...(facets ? { facets } : {}), langs: ['en'], createdAt };
    const cid = recordCid(`${uri}\n${JSON.stringify(value)}`);
    const tagged = carriesTag({ text, ...(facets ? { facets } : {}) }, this.hashtag);
    const post: DevnetPost = {
      uri,
      cid,
      author: actor.index,
      text,
      ...(facets ? { facets } : {}),
      createdAt,
      indexedAt: createdAt,
      likeCount: 0,
      repostCount: 0,
      replyCount: 0,
      quoteCount: 0,
      variant: tagged ? (facets ? 'tag-facet' : 'tag-text-only') : 'decoy-plain',
    };
    this.livePosts.push(post);
    this.livePostCount.set(actor.index, this.livePostsOf(actor.index) + 1);
    const becameMember = tagged && actor.firstTagPostAt === undefined;
    if (becameMember) actor.firstTagPostAt = createdAt;
    const event = this.commit(actor, timeUs, 'create', POST_COLLECTION, rkey, value, cid);
    return this.done({ op: 'post', did, post, becameMember, events: [event] });
  }

  updateProfile(did: string, edit: ProfileEdit): Mutation {
    const actor = this.writer(did);
    for (const key of ['displayName', 'description'] as const) {
      const value = edit[key];
      if (value === undefined) continue;
      if (value === '') delete actor[key];
      else actor[key] = value;
    }
    const event = this.profileCommit(actor, 'update');
    actor.indexedAt = isoOf(event.time_us);
    return this.done({ op: 'updateProfile', did, events: [event] });
  }

  /** Same DID, new handle: an identity event; the old handle stops resolving. */
  changeHandle(did: string, handle: string): Mutation {
    const actor = this.writer(did);
    const wanted = this.checkHandle(handle);
    this.byHandle.delete(actor.handle.toLowerCase());
    actor.handle = wanted;
    this.byHandle.set(wanted, actor);
    const timeUs = this.log.nextTimeUs();
    const event = this.log.append({ did, time_us: timeUs, kind: 'identity', identity: { did, handle: wanted, seq: this.log.nextSeq(), time: isoOf(timeUs) } });
    return this.done({ op: 'changeHandle', did, handle: wanted, events: [event] });
  }

  /** The repo is gone for good: its records and posts vanish, follows of it are hidden. */
  deleteAccount(did: string): Mutation {
    const actor = this.existing(did);
    actor.status = 'deleted';
    this.byHandle.delete(actor.handle.toLowerCase());
    this.follows.set(actor.index, []);
    return this.done({ op: 'deleteAccount', did, events: [this.accountEvent(actor, false, 'deleted')] });
  }

  deactivate(did: string): Mutation {
    const actor = this.writer(did);
    actor.status = 'deactivated';
    return this.done({ op: 'deactivate', did, events: [this.accountEvent(actor, false, 'deactivated')] });
  }

  reactivate(did: string): Mutation {
    const actor = this.existing(did);
    if (actor.status !== 'deactivated') throw new Error(`${did} is not deactivated`);
    actor.status = 'active';
    return this.done({ op: 'reactivate', did, events: [this.accountEvent(actor, true)] });
  }

  // ---- internals -----------------------------------------------------------------------

  private add(actor: MutableActor): MutableActor {
    this.actorList.push(actor);
    this.byDid.set(actor.did, actor);
    this.byHandle.set(actor.handle.toLowerCase(), actor);
    return actor;
  }

  private recordsOf(actor: MutableActor): FollowRecord[] {
    let records = this.follows.get(actor.index);
    if (!records) {
      // Materialised on first touch: a million-follow community costs nothing until read.
      records = actor.index < this.base.actors.length ? initialFollowRecords(this.base, actor.index) : [];
      this.follows.set(actor.index, records);
    }
    return records;
  }

  private existing(did: string): MutableActor {
    const actor = this.byDid.get(did);
    if (!actor || actor.status === 'deleted') throw new Error(`no such account: ${did}`);
    return actor;
  }

  /** Only active accounts write to their repo (the PDS refuses deactivated ones). */
  private writer(did: string): MutableActor {
    const actor = this.existing(did);
    if (actor.status !== 'active') throw new Error(`${did} is ${actor.status}`);
    return actor;
  }

  private checkHandle(handle: string): string {
    const wanted = handle.replace(/^@/, '').toLowerCase();
    if (!HANDLE.test(wanted)) throw new Error(`not a handle: ${handle}`);
    if (this.byHandle.has(wanted) || wanted === this.base.crawler.handle) throw new Error(`handle taken: ${wanted}`);
    return wanted;
  }

  private commit(
    actor: MutableActor,
    timeUs: number,
    operation: CommitOperation,
    collection: string,
    rkey: string,
    record?: Record<string, unknown>,
    cid?: string,
  ): CommitEvent {
    const commit = { rev: tidMicros(timeUs, 0), operation, collection, rkey, ...(record ? { record, cid } : {}) };
    return this.log.append({ did: actor.did, time_us: timeUs, kind: 'commit', commit }) as CommitEvent;
  }

  private profileCommit(actor: MutableActor, operation: 'create' | 'update'): CommitEvent {
    const value = {
      $type: PROFILE_COLLECTION,
      ...(actor.displayName !== undefined ? { displayName: actor.displayName } : {}),
      ...(actor.description !== undefined ? { description: actor.description } : {}),
      createdAt: actor.createdAt,
    };
    const timeUs = this.log.nextTimeUs();
    const cid = recordCid(`at://${actor.did}/${PROFILE_COLLECTION}/self\n${JSON.stringify(value)}\n${timeUs}`);
    return this.commit(actor, timeUs, operation, PROFILE_COLLECTION, 'self', value, cid);
  }

  private accountEvent(actor: MutableActor, active: boolean, status?: AccountStatus): JetstreamEvent {
    const timeUs = this.log.nextTimeUs();
    const account = { active, did: actor.did, seq: this.log.nextSeq(), time: isoOf(timeUs), ...(status ? { status } : {}) };
    return this.log.append({ did: actor.did, time_us: timeUs, kind: 'account', account });
  }

  private done(mutation: Mutation): Mutation {
    this.version++;
    return mutation;
  }
}

function isoOf(timeUs: number): string {
  return new Date(Math.floor(timeUs / 1000)).toISOString();
}

function copyProfile(a: DevnetActor): Pick<LiveActor, 'displayName' | 'description' | 'avatar'> {
  return {
    ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
    ...(a.description !== undefined ? { description: a.description } : {}),
    ...(a.avatar !== undefined ? { avatar: a.avatar } : {}),
  };
}

function cleanProfile(edit: ProfileEdit): Pick<LiveActor, 'displayName' | 'description'> {
  return {
    ...(edit.displayName ? { displayName: edit.displayName } : {}),
    ...(edit.description ? { description: edit.description } : {}),
  };
}
