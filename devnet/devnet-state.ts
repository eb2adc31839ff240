/** The community a server answers from, with the lookups every method needs. */
import type { Community, DevnetActor } from './community.js';

export class CommunityState {
  private readonly byDid = new Map<string, DevnetActor>();
  private readonly byHandle = new Map<string, DevnetActor>();
  readonly crawlerActor: DevnetActor;
  /** indexedAt of `community.posts` in ms, for binary search by since/until. */
  readonly postTimes: Float64Array;

  constructor(readonly community: Community) {
    for (const a of community.actors) {
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
}
