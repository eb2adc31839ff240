/**
 * What a correct crawl of a devnet community must end with, and how few requests it can take.
 */
import { generateCommunity, type Community, type CommunityOptions, type DevnetActor } from './community.js';
import { followCount, followsOf } from './follow-graph.js';
import { carriesTag, type SearchMatchMode } from './hashtag-match.js';
import { matchingPosts } from './search-index.js';

/** Server limits that shape the request count. Defaults are the devnet's (and Bluesky's). */
export interface SearchLimits {
  /** Results reachable by paging one query before the cursor stops. Default 10,000. */
  searchCap?: number;
  /** Page size a crawler asks for (searchPosts max). Default 100. */
  searchPageLimit?: number;
  /** Default 'loose' (the server default). */
  searchMatch?: SearchMatchMode;
}

export const DEFAULT_SEARCH_CAP = 10_000;
export const MAX_SEARCH_LIMIT = 100;
export const MAX_FOLLOWS_LIMIT = 100;
export const MAX_PROFILES_PER_CALL = 25;

export interface ActorTruth {
  did: string;
  handle: string;
  displayName?: string;
  description?: string;
  avatar?: string;
  createdAt: string;
  postsCount: number;
  followersCount: number;
  followsCount: number;
  isMember: boolean;
}

/** Follow edges from members as actor-index pairs: compact for a million edges. */
export class FollowEdges implements Iterable<[string, string]> {
  constructor(private readonly community: Community) {}

  get length(): number {
    return this.community.follows.offsets[this.community.memberCount] as number;
  }

  /** Calls `fn(srcDid, dstDid)` for every edge, without allocating pairs. */
  forEach(fn: (src: string, dst: string) => void): void {
    const { actors, follows, memberCount } = this.community;
    for (let m = 0; m < memberCount; m++) {
      const src = (actors[m] as DevnetActor).did;
      for (const t of followsOf(follows, m)) fn(src, (actors[t] as DevnetActor).did);
    }
  }

  *[Symbol.iterator](): Iterator<[string, string]> {
    const { actors, follows, memberCount } = this.community;
    for (let m = 0; m < memberCount; m++) {
      const src = (actors[m] as DevnetActor).did;
      for (const t of followsOf(follows, m)) yield [src, (actors[t] as DevnetActor).did];
    }
  }

  /** DIDs followed by one member. */
  of(did: string): string[] {
    const { actors, follows } = this.community;
    const m = actors.findIndex((a) => a.did === did);
    if (m < 0) return [];
    return Array.from(followsOf(follows, m), (t) => (actors[t] as DevnetActor).did);
  }
}

export interface GroundTruth {
  hashtag: string;
  /** DIDs of authors of posts that really carry the tag (see `carriesTag`). */
  members: string[];
  /** Members and everyone they follow, keyed by DID. */
  actors: Map<string, ActorTruth>;
  edges: FollowEdges;
  /** R_min with default server limits; use `rMin(community, limits)` for others. */
  rMin: number;
}

function actorTruth(a: DevnetActor): ActorTruth {
  return {
    did: a.did,
    handle: a.handle,
    ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
    ...(a.description !== undefined ? { description: a.description } : {}),
    ...(a.avatar !== undefined ? { avatar: a.avatar } : {}),
    createdAt: a.createdAt,
    postsCount: a.postsCount,
    followersCount: a.followersCount,
    followsCount: a.followsCount,
    isMember: a.isMember,
  };
}

/** Actor indexes of true members, in actor order. */
export function memberIndexes(community: Community): number[] {
  const isMember = new Uint8Array(community.actors.length);
  for (const post of community.posts) {
    if (!isMember[post.author] && carriesTag(post, community.hashtag)) isMember[post.author] = 1;
  }
  const out: number[] = [];
  isMember.forEach((v, i) => v && out.push(i));
  return out;
}

export function groundTruth(community: Community, limits: SearchLimits = {}): GroundTruth {
  const members = memberIndexes(community);
  const actors = new Map<string, ActorTruth>();
  for (const m of members) {
    const actor = community.actors[m] as DevnetActor;
    actors.set(actor.did, actorTruth(actor));
    for (const t of followsOf(community.follows, m)) {
      const target = community.actors[t] as DevnetActor;
      if (!actors.has(target.did)) actors.set(target.did, actorTruth(target));
    }
  }
  return {
    hashtag: community.hashtag,
    members: members.map((m) => (community.actors[m] as DevnetActor).did),
    actors,
    edges: new FollowEdges(community),
    rMin: rMin(community, limits),
  };
}

/**
 * Search pages to collect `results` hits when paging stops at `searchCap`: each window of up
 * to `searchCap` results costs ceil(window / pageLimit) pages, and one more query (an `until`
 * window that comes back empty) is what tells a crawler it is done, since the cap is not
 * announced. With no hits that empty page is the only one.
 */
export function searchPagesFor(results: number, limits: SearchLimits = {}): number {
  const cap = limits.searchCap ?? DEFAULT_SEARCH_CAP;
  const pageLimit = limits.searchPageLimit ?? MAX_SEARCH_LIMIT;
  let pages = 0;
  for (let left = results; left > 0; left -= cap) pages += Math.ceil(Math.min(left, cap) / pageLimit);
  return pages + 1;
}

/** Search hits for `#hashtag` as the server returns them (decoys included in 'loose' mode). */
export function searchResultCount(community: Community, limits: SearchLimits = {}): number {
  return matchingPosts(community, `#${community.hashtag}`, limits.searchMatch ?? 'loose').length;
}

/** R_min = searchPages + ceil(members / 25) + Σ_members max(1, ceil(follows / 100)). */
export function rMin(community: Community, limits: SearchLimits = {}): number {
  const members = memberIndexes(community);
  let followPages = 0;
  for (const m of members) followPages += Math.max(1, Math.ceil(followCount(community.follows, m) / MAX_FOLLOWS_LIMIT));
  return (
    searchPagesFor(searchResultCount(community, limits), limits) +
    Math.ceil(members.length / MAX_PROFILES_PER_CALL) +
    followPages
  );
}

/** R_min for a community described by options (generates it). */
export function rMinFor(options: CommunityOptions & SearchLimits = {}): number {
  return rMin(generateCommunity(options), options);
}
