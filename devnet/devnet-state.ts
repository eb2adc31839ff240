/** The community a server answers from, with the lookups every method needs. */
import type { Community, DevnetActor } from './community.js';
import { followerIndex, followsOf } from './follow-graph.js';
import type { AccountStatus } from './live/jetstream-events.js';
import type { KeyedIndex, LiveSnapshot } from './live/live-snapshot.js';

/** One actor's follows or followers as served; `keyAt` gives live lists their keyset cursor. */
export interface FollowList {
  readonly indexes: Int32Array;
  keyAt?(i: number): string;
}

const EMPTY: FollowList = { indexes: new Int32Array(0) };

function keyedList(index: KeyedIndex, actor: number): FollowList {
  const start = index.offsets[actor] as number;
  const end = index.offsets[actor + 1] as number;
  return { indexes: index.items.subarray(start, end), keyAt: (i) => index.keys[start + i] as string };
}

export class CommunityState {
  private readonly byDid = new Map<string, DevnetActor>();
  private readonly byHandle = new Map<string, DevnetActor>();
  readonly crawlerActor: DevnetActor;
  /** indexedAt of `community.posts` in ms, for binary search by since/until. */
  readonly postTimes: Float64Array;

  /** `live`: the parts of a live snapshot beyond its community (statuses, keyed follow lists). */
  constructor(
    readonly community: Community,
    private readonly live?: Omit<LiveSnapshot, 'community'>,
  ) {
    for (const a of community.actors) {
      // A deleted account is gone from every lookup; a deactivated one resolves, to say so.
      if (live?.statuses.get(a.did) === 'deleted') continue;
      this.byDid.set(a.did, a);
      this.byHandle.set(a.handle.toLowerCase(), a);
    }
    this.crawlerActor = {
      index: -1,
      did: community.crawler.did,
      handle: community.crawler.handle,
      displayName: 'Devnet crawler',
      createdAt: community.options.baseTime,
      indexedAt: community.options.baseTime,
      postsCount: 0,
      followersCount: 0,
      followsCount: 0,
      isMember: false,
    };
    this.byDid.set(this.crawlerActor.did, this.crawlerActor);
    this.byHandle.set(this.crawlerActor.handle, this.crawlerActor);
    this.postTimes = Float64Array.from(community.posts, (p) => Date.parse(p.indexedAt));
  }

  /** A handle (case-insensitive, optional '@') or a DID. */
  resolve(actor: string): DevnetActor | undefined {
    if (actor.startsWith('did:')) return this.byDid.get(actor);
    return this.byHandle.get(actor.replace(/^@/, '').toLowerCase());
  }

  actor(index: number): DevnetActor {
    return this.community.actors[index] as DevnetActor;
  }

  /** Served from a live community (keyset cursors, account statuses). */
  get isLive(): boolean {
    return this.live !== undefined;
  }

  /** Why an account is not active (live devnets only). */
  status(did: string): AccountStatus | undefined {
    return this.live?.statuses.get(did);
  }

  follows(actor: DevnetActor): FollowList {
    if (actor.index < 0) return EMPTY;
    if (this.live) return keyedList(this.live.follows, actor.index);
    return { indexes: followsOf(this.community.follows, actor.index) };
  }

  followers(actor: DevnetActor): FollowList {
    if (actor.index < 0) return EMPTY;
    if (this.live) return keyedList(this.live.followers, actor.index);
    const index = followerIndex(this.community.follows);
    return { indexes: index.sources.subarray(index.offsets[actor.index] as number, index.offsets[actor.index + 1] as number) };
  }
}
