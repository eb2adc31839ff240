/**
 * A synthetic hashtag community: a pure function of its options. Actors `[0, memberCount)` are
 * members (they post the tag), the rest are outsiders (followed, never tagged, some post decoys).
 */
import { generateFollowGraph, followCount, type FollowGraph } from './follow-graph.js';
import type { Facet } from './hashtag-match.js';
import { blobCid, plcDid, recordCid, tid } from './identifiers.js';
import { handleOf, memberBio, outsiderBio, personName } from './names.js';
import { decoyPost, genuinePost, type PostBody, type PostVariant } from './post-text.js';
import { chance, hashSeed, randInt, rngFor, shuffle, type Rng } from './prng.js';
import { plantGroups, topicBio, type PlantedGroups } from './topic-groups.js';

export interface CommunityOptions {
  /** Accounts that post the hashtag. Default 200. */
  members?: number;
  /** Accounts that are followed but never post the hashtag. Default `members * 2`. */
  outsiders?: number;
  /** Without '#'. Default 'databs'. */
  hashtag?: string;
  /** Default 1. */
  seed?: number | string;
  /**
   * Mean out-degree of members. Default min(200, a quarter of the other actors): 5,000 members
   * ≈ 1,000,000 follows, while a 20-member test community does not follow everyone.
   */
  meanFollows?: number;
  /** Cap on one member's follows (also capped by the number of actors). Default 5,000. */
  maxFollows?: number;
  /** Newest post time; everything else is older. Default 2025-06-01T00:00:00.000Z. */
  baseTime?: string;
  /**
   * Planted topical groups among the members (1–8): follows mostly inside a group, bios and
   * co-used hashtags from its vocabulary, a few bridging accounts. Default 0: preferential
   * attachment alone, no groups.
   */
  groups?: number;
}

export type ResolvedCommunityOptions = Required<CommunityOptions>;

export interface DevnetActor {
  readonly index: number;
  readonly did: string;
  readonly handle: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly avatar?: string;
  readonly createdAt: string;
  readonly indexedAt: string;
  readonly postsCount: number;
  readonly followersCount: number;
  readonly followsCount: number;
  readonly isMember: boolean;
}

export interface DevnetPost {
  readonly uri: string;
  readonly cid: string;
  /** Actor index of the author. */
  readonly author: number;
  readonly text: string;
  readonly facets?: Facet[];
  readonly createdAt: string;
  /** Unique across the community and strictly descending along `posts`. */
  readonly indexedAt: string;
  readonly likeCount: number;
  readonly repostCount: number;
  readonly replyCount: number;
  readonly quoteCount: number;
  /** How the generator meant it; the ground truth is decided by the text and facets alone. */
  readonly variant: PostVariant;
}

/** The account a crawler signs in with; not part of the community. */
export interface CrawlerAccount {
  readonly did: string;
  readonly handle: string;
}

export interface Community {
  readonly options: ResolvedCommunityOptions;
  readonly hashtag: string;
  readonly memberCount: number;
  readonly actors: readonly DevnetActor[];
  /** Newest first. */
  readonly posts: readonly DevnetPost[];
  readonly follows: FollowGraph;
  readonly crawler: CrawlerAccount;
  /** The planted groups (the ground truth community detection is scored against), or null. */
  readonly planted: PlantedGroups | null;
}

export const DEFAULT_COMMUNITY: ResolvedCommunityOptions = Object.freeze({
  members: 200,
  outsiders: 400,
  hashtag: 'databs',
  seed: 1,
  meanFollows: 200,
  maxFollows: 5000,
  baseTime: '2025-06-01T00:00:00.000Z',
  groups: 0,
});

export function resolveCommunityOptions(options: CommunityOptions = {}): ResolvedCommunityOptions {
  const members = options.members ?? DEFAULT_COMMUNITY.members;
  const outsiders = options.outsiders ?? members * 2;
  const resolved = {
    members,
    outsiders,
    hashtag: (options.hashtag ?? DEFAULT_COMMUNITY.hashtag).replace(/^#/, ''),
    seed: options.seed ?? DEFAULT_COMMUNITY.seed,
    // Planted groups need room: a member following a quarter of everyone would exhaust its own group.
    meanFollows:
      options.meanFollows ??
      Math.min(DEFAULT_COMMUNITY.meanFollows, Math.max(1, Math.round((members + outsiders - 1) / ((options.groups ?? 0) > 0 ? 12 : 4)))),
    maxFollows: options.maxFollows ?? DEFAULT_COMMUNITY.maxFollows,
    baseTime: options.baseTime ?? DEFAULT_COMMUNITY.baseTime,
    groups: options.groups ?? DEFAULT_COMMUNITY.groups,
  };
  if (!Number.isInteger(resolved.members) || resolved.members < 1) throw new RangeError('members must be a positive integer');
  if (!Number.isInteger(resolved.outsiders) || resolved.outsiders < 0) throw new RangeError('outsiders must be a non-negative integer');
  if (!/^[\p{L}\p{N}_]+$/u.test(resolved.hashtag)) throw new RangeError(`hashtag must be one word: ${resolved.hashtag}`);
  if (!Number.isInteger(resolved.groups) || resolved.groups < 0 || resolved.groups > 8) throw new RangeError('groups must be an integer from 0 to 8');
  if (Number.isNaN(Date.parse(resolved.baseTime))) throw new RangeError(`baseTime is not a date: ${resolved.baseTime}`);
  return Object.freeze(resolved);
}

const DAY_MS = 86_400_000;
/** Share of actors posting a decoy: members and outsiders alike. */
const MEMBER_DECOY_SHARE = 0.2;
const OUTSIDER_DECOY_SHARE = 0.1;

interface PostDraft extends PostBody {
  author: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function draftPosts(seed: number | string, o: ResolvedCommunityOptions, planted: PlantedGroups | null): PostDraft[] {
  const drafts: PostDraft[] = [];
  const actors = o.members + o.outsiders;
  for (let a = 0; a < actors; a++) {
    const rng = rngFor(seed, 'posts', a);
    if (a < o.members) {
      const n = randInt(rng, 1, 5);
      const topicTags = planted ? planted.topics[planted.groupOf[a] as number]?.tags : undefined;
      for (let i = 0; i < n; i++) drafts.push({ author: a, ...genuinePost(rng, o.hashtag, topicTags) });
      if (chance(rng, MEMBER_DECOY_SHARE)) drafts.push({ author: a, ...decoyPost(rng, o.hashtag) });
    } else if (chance(rng, OUTSIDER_DECOY_SHARE)) {
      drafts.push({ author: a, ...decoyPost(rng, o.hashtag) });
    }
  }
  return drafts;
}

/** Interleaves everyone's posts in time; strictly decreasing indexedAt keeps `until` exact. */
function timePosts(seed: number | string, o: ResolvedCommunityOptions, drafts: PostDraft[], dids: readonly string[]): DevnetPost[] {
  const rng = rngFor(seed, 'post-times');
  shuffle(rng, drafts);
  let t = Date.parse(o.baseTime);
  return drafts.map((d) => {
    t -= randInt(rng, 1_000, 900_000);
    // createdAt precedes indexedAt by under a second and never crosses the next older post, so
    // either timestamp works as the `until` of the next search window.
    const createdAtMs = t - randInt(rng, 0, 900);
    const createdAt = iso(createdAtMs);
    const rkey = tid(createdAtMs, randInt(rng, 0, 1023));
    const uri = `at://${dids[d.author]}/app.bsky.feed.post/${rkey}`;
    const record = { $type: 'app.bsky.feed.post', text: d.text, facets: d.facets, createdAt };
    const popular = chance(rng, 0.1);
    return {
      uri,
      cid: recordCid(`${uri}\n${JSON.stringify(record)}`),
      author: d.author,
      text: d.text,
      ...(d.facets ? { facets: d.facets } : {}),
      createdAt,
      indexedAt: iso(t),
      likeCount: randInt(rng, 0, popular ? 400 : 12),
      repostCount: randInt(rng, 0, popular ? 60 : 3),
      replyCount: randInt(rng, 0, popular ? 40 : 4),
      quoteCount: randInt(rng, 0, popular ? 10 : 1),
      variant: d.variant,
    };
  });
}

function uniqueDids(seed: number | string, count: number): string[] {
  const rng = rngFor(seed, 'dids');
  const seen = new Set<string>();
  const dids: string[] = [];
  while (dids.length < count) {
    const did = plcDid(rng);
    if (seen.has(did)) continue;
    seen.add(did);
    dids.push(did);
  }
  return dids;
}

export function placeholderAvatar(did: string, salt: string): string {
  return `https://cdn.devnet.test/img/avatar/plain/${did}/${blobCid(`${did}:${salt}`)}@jpeg`;
}

export function generateCommunity(options: CommunityOptions = {}): Community {
  const o = resolveCommunityOptions(options);
  const seed = o.seed;
  const actorCount = o.members + o.outsiders;
  // The crawler's DID is drawn first, from the same stream, so it never collides with an actor.
  const dids = uniqueDids(seed, actorCount + 1);
  const crawler: CrawlerAccount = { did: dids.pop() as string, handle: handleOf('crawler') };

  const planted = o.groups > 0 ? plantGroups(rngFor(seed, 'groups'), o.members, o.groups) : null;
  const graph = generateFollowGraph(rngFor(seed, 'follows'), {
    members: o.members,
    outsiders: o.outsiders,
    meanFollows: o.meanFollows,
    maxFollows: o.maxFollows,
    memberShare: planted ? 0.6 : 0.45,
    planted,
  });
  const posts = timePosts(seed, o, draftPosts(seed, o, planted), dids);
  const postsByActor = new Int32Array(actorCount);
  for (const p of posts) postsByActor[p.author] = (postsByActor[p.author] as number) + 1;

  const base = Date.parse(o.baseTime);
  const taken = new Set<string>(['crawler']);
  const nameRng = rngFor(seed, 'names');
  const actors: DevnetActor[] = new Array(actorCount);
  for (let a = 0; a < actorCount; a++) {
    const rng: Rng = rngFor(seed, 'actor', a);
    const isMember = a < o.members;
    const name = personName(nameRng, taken);
    const did = dids[a] as string;
    const createdAtMs = base - randInt(rng, 30, 900) * DAY_MS - randInt(rng, 0, DAY_MS);
    const topic = isMember && planted ? planted.topics[planted.groupOf[a] as number] : undefined;
    const description = topic ? topicBio(rng, topic) : isMember ? memberBio(rng) : outsiderBio(rng);
    actors[a] = {
      index: a,
      did,
      handle: handleOf(name.base),
      ...(name.displayName ? { displayName: name.displayName } : {}),
      ...(description ? { description } : {}),
      ...(chance(rng, 0.85) ? { avatar: placeholderAvatar(did, String(hashSeed(seed, a))) } : {}),
      createdAt: iso(createdAtMs),
      indexedAt: iso(createdAtMs + randInt(rng, 1_000, 60_000)),
      // Searchable posts are only part of what people write.
      postsCount: (postsByActor[a] as number) + randInt(rng, 0, isMember ? 1500 : 400),
      followersCount: graph.followersCount[a] as number,
      followsCount: followCount(graph, a),
      isMember,
    };
  }
  return { options: o, hashtag: o.hashtag, memberCount: o.members, actors, posts, follows: graph, crawler, planted };
}

/**
 * Handle changes (same DID, new handle) for re-ingest tests: returns a new community sharing
 * everything else with the old one.
 */
export function renameHandles(community: Community, count: number, rng: Rng): Community {
  const actors = community.actors.slice();
  const taken = new Set(actors.map((a) => a.handle.split('.')[0] as string));
  const chosen = shuffle(rng, actors.map((a) => a.index)).slice(0, Math.min(count, actors.length));
  for (const index of chosen) {
    const old = actors[index] as DevnetActor;
    const name = personName(rng, taken);
    actors[index] = { ...old, handle: handleOf(name.base) };
  }
  return { ...community, actors };
}
