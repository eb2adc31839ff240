/**
 * The #databs community seeded into dev-env, and the graph a correct crawler must build from it.
 * The plan is pure data (deterministic from a seed); the truth is computed from what was seeded,
 * with Bluesky's own tag parser (`RichText` of @atproto/api), never from the crawl.
 */
import { RichText } from '@atproto/api';
import { mulberry32 } from '../../src/random/mulberry32.js';

export type Role = 'member' | 'hidden' | 'decoy' | 'outsider' | 'crowd';

export interface PostPlan {
  readonly text: string;
  readonly facets?: readonly Facet[];
  /** Outline tags (`tags` of app.bsky.feed.post), invisible in the text. */
  readonly tags?: readonly string[];
}

export interface Facet {
  readonly index: { readonly byteStart: number; readonly byteEnd: number };
  readonly features: ReadonlyArray<{ readonly $type: string; readonly tag?: string; readonly uri?: string }>;
}

export interface AccountPlan {
  readonly name: string;
  readonly role: Role;
  readonly displayName: string;
  readonly description: string;
  readonly posts: readonly PostPlan[];
  /** Names of the accounts this one follows. */
  readonly follows: readonly string[];
}

/** The member with no follows and the one whose follows span several getFollows pages. */
export const LONER = 'member01';
export const HUB = 'member02';
/** A member whose only tag post is found through the `#databsx` substring and counts for `#DataBS`. */
export const SUBSTRING_ONLY = 'member05';

const CROWD = 80;
const MEMBERS = 34;
const OUTSIDERS = 8;


const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Facets the way the Bluesky app makes them (tags keep the case the author typed). */
export function detectedFacets(text: string): Facet[] {
  const rt = new RichText({ text });
  rt.detectFacetsWithoutResolution();
  return (rt.facets ?? []) as Facet[];
}

/** A tag facet built by hand from UTF-8 byte offsets, as a third-party client would. */
function handFacet(text: string, hashTag: string): Facet[] {
  const at = text.indexOf(hashTag);
  if (at < 0) throw new Error(`"${hashTag}" not in "${text}"`);
  const enc = new TextEncoder();
  const byteStart = enc.encode(text.slice(0, at)).length;
  const byteEnd = byteStart + enc.encode(hashTag).length;
  return [{ index: { byteStart, byteEnd }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: hashTag.slice(1) }] }];
}

/**
 * Ways members write the tag. All contain the lower-case substring `#databs`, which is what
 * dev-env's search can find (see `findable`). Facets vary: Bluesky-detected, hand-built, none.
 */
const MEMBER_POSTS: ReadonlyArray<(i: number) => PostPlan> = [
  (i) => ({ text: `Notes from week ${i} of reading group #databs` }),
  (i) => {
    const text = `Thread ${i} on graph models #databs with slides`;
    return { text, facets: detectedFacets(text) };
  },
  (i) => ({ text: `See you at meetup ${i} #databs!` }),
  (i) => {
    const text = `Dataset ${i} is out today #databs.`;
    return { text, facets: detectedFacets(text) };
  },
  (i) => {
    const text = `#databs question ${i}: who indexes follows?`;
    return { text, facets: handFacet(text, '#databs') };
  },
  (i) => {
    // Found only through the decoy substring; it is the mixed-case tag that makes it count.
    const text = `not #databsx ${i} but #DataBS`;
    return { text, facets: detectedFacets(text) };
  },
  (i) => {
    const text = `🚀🚀 launch ${i} #databs…`;
    return { text, facets: detectedFacets(text) };
  },
  (i) => {
    const text = `#graphs #databs #neo4j ${i}`;
    return { text, facets: detectedFacets(text) };
  },
];

/** Carry the tag in ways dev-env's case-sensitive `LIKE '%#databs%'` search cannot see. */
const HIDDEN_POSTS: ReadonlyArray<PostPlan> = [
  { text: 'Loving the #DataBS crowd', facets: detectedFacets('Loving the #DataBS crowd') },
  { text: 'Full-width ＃databs hash', facets: detectedFacets('Full-width ＃databs hash') },
  { text: 'An outline-tagged post about data', tags: ['databs'] },
];

/** Found by dev-env's substring search, but none carries the tag #databs. */
const DECOY_POSTS: ReadonlyArray<PostPlan> = [
  { text: '#databsx is a different tag', facets: detectedFacets('#databsx is a different tag') },
  { text: 'mail the team#databs alias' },
  { text: 'https://example.com/#databs anchor', facets: detectedFacets('https://example.com/#databs anchor') },
  { text: '#databs_team rocks', facets: detectedFacets('#databs_team rocks') },
  { text: 'vintage #databs2024 recap', facets: detectedFacets('vintage #databs2024 recap') },
  { text: 'the #databsx, #databsy crowd' },
];

const PLAIN_POSTS = ['Good morning', 'Reading about databs without a hash', 'Coffee first', 'New paper on graphs'];

export function planCommunity(seed = 7): AccountPlan[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const sample = <T>(xs: readonly T[], n: number) => {
    const copy = [...xs];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  };

  const members = Array.from({ length: MEMBERS }, (_, i) => `member${pad(i + 1, 2)}`);
  const hidden = ['hidden01', 'hidden02'];
  const decoys = Array.from({ length: 6 }, (_, i) => `decoy${pad(i + 1, 2)}`);
  const outsiders = Array.from({ length: OUTSIDERS }, (_, i) => `outsider${pad(i + 1, 2)}`);
  const crowd = Array.from({ length: CROWD }, (_, i) => `crowd${pad(i + 1, 3)}`);
  const everyone = [...members, ...hidden, ...decoys, ...outsiders, ...crowd];

  const plans: AccountPlan[] = [];
  const profile = (name: string, role: Role) => ({
    displayName: `${name[0]!.toUpperCase()}${name.slice(1)} ${role === 'member' ? 'of DataBS' : role}`,
    description: `${role} account ${name}; seeded by the dev-env ingest test`,
  });

  members.forEach((name, i) => {
    const posts: PostPlan[] = [];
    const tagPosts = 1 + (i % 4);
    for (let k = 0; k < tagPosts; k++) posts.push(MEMBER_POSTS[(i + k * 3) % MEMBER_POSTS.length]!(i * 10 + k));
    if (name === SUBSTRING_ONLY) posts.splice(0, posts.length, MEMBER_POSTS[5]!(i * 10));
    if (i % 3 === 0) posts.push({ text: pick(PLAIN_POSTS) });
    // Some members also write the tag in mixed case: those posts exist but dev-env cannot find them.
    if (i % 5 === 1) posts.push({ text: `Also #DataBS ${i}`, facets: detectedFacets(`Also #DataBS ${i}`) });
    let follows: string[];
    if (name === LONER) follows = [];
    else if (name === HUB) follows = everyone.filter((n) => n !== name);
    else {
      const others = everyone.filter((n) => n !== name);
      follows = sample(others, 4 + Math.floor(random() * 11));
      // Every outsider is followed by some member, so the ALL scope has non-member actors.
      const outsider = outsiders[i % outsiders.length]!;
      if (!follows.includes(outsider)) follows.push(outsider);
    }
    plans.push({ name, role: 'member', ...profile(name, 'member'), posts, follows });
  });
  hidden.forEach((name, i) => {
    const posts = i === 0 ? [HIDDEN_POSTS[0]!] : [HIDDEN_POSTS[1]!, HIDDEN_POSTS[2]!];
    plans.push({ name, role: 'hidden', ...profile(name, 'hidden'), posts, follows: sample(members, 3) });
  });
  decoys.forEach((name, i) => {
    plans.push({ name, role: 'decoy', ...profile(name, 'decoy'), posts: [DECOY_POSTS[i]!, { text: pick(PLAIN_POSTS) }], follows: sample([...members, ...decoys.filter((d) => d !== name)], 4) });
  });
  outsiders.forEach((name) => {
    plans.push({ name, role: 'outsider', ...profile(name, 'outsider'), posts: [{ text: pick(PLAIN_POSTS) }], follows: [...sample(members, 2), ...sample(crowd, 2)] });
  });
  crowd.forEach((name) => {
    plans.push({ name, role: 'crowd', ...profile(name, 'crowd'), posts: [], follows: sample(members, Math.floor(random() * 4)) });
  });
  return plans;
}

// ---------------------------------------------------------------------------------------------
// Truth

/** An account as it stands in dev-env now (seeded, then possibly changed by the test). */
export interface SeededAccount {
  readonly name: string;
  readonly role: Role | 'crawler';
  readonly did: string;
  handle: string;
  displayName: string;
  description: string;
  /** Post URI → content. */
  readonly posts: Map<string, PostPlan>;
  /** Followed DID → follow record URI. */
  readonly follows: Map<string, string>;
}

export interface ExpectedMember {
  readonly name: string;
  readonly handle: string;
  readonly displayName: string;
  readonly description: string;
  readonly postsCount: number;
  readonly followersCount: number;
  readonly followsCount: number;
  /** Posts the crawler can find that carry the tag (POSTED_WITH.posts). */
  readonly tagPosts: number;
  /** Names of the accounts followed, sorted. */
  readonly follows: string[];
}

export interface ExpectedTarget {
  readonly name: string;
  readonly handle: string;
  readonly displayName: string;
  readonly description: string;
}

export interface ExpectedGraph {
  /** Sorted by name. */
  readonly members: ExpectedMember[];
  /** Followed by some member but not members themselves; sorted by name. */
  readonly targets: ExpectedTarget[];
}

/** Bluesky's reading of a post's tags: tag facets, outline tags, and tags its parser sees in the text. */
export function tagsCarried(post: PostPlan): Set<string> {
  const tags = new Set<string>();
  for (const f of [...(post.facets ?? []), ...detectedFacets(post.text)]) {
    for (const feature of f.features) if (feature.$type === 'app.bsky.richtext.facet#tag' && feature.tag) tags.add(feature.tag.toLowerCase());
  }
  for (const t of post.tags ?? []) tags.add(t.toLowerCase());
  return tags;
}

/**
 * What dev-env's search can return for q `#tag`: its AppView runs `post.text LIKE '%#tag%'`,
 * case-sensitive, on the text only (no facets, no outline tags). So a post that writes the tag
 * only as `#DataBS`, `＃databs` or an outline tag is invisible to any crawler that searches dev-env
 * (production Bluesky's search would find it). The truth is what a correct crawler CAN find: posts
 * that search returns AND that carry the tag. (The crawler searches lower case, as hashtags are
 * case-insensitive; a crawler that also searched each case variant could not know which to try.)
 */
export function findableBySearch(post: PostPlan, tag: string): boolean {
  return post.text.includes(`#${tag}`);
}

export function expectedGraph(accounts: readonly SeededAccount[], tag: string): ExpectedGraph {
  const byDid = new Map(accounts.map((a) => [a.did, a]));
  const followers = new Map<string, number>();
  for (const a of accounts) for (const did of a.follows.keys()) followers.set(did, (followers.get(did) ?? 0) + 1);
  const members: ExpectedMember[] = [];
  const targetNames = new Set<string>();
  for (const a of accounts) {
    const tagPosts = [...a.posts.values()].filter((p) => findableBySearch(p, tag) && tagsCarried(p).has(tag)).length;
    if (tagPosts === 0) continue;
    const follows = [...a.follows.keys()].map((did) => byDid.get(did)?.name ?? did).sort();
    follows.forEach((n) => targetNames.add(n));
    members.push({
      name: a.name,
      handle: a.handle,
      displayName: a.displayName,
      description: a.description,
      postsCount: a.posts.size,
      followersCount: followers.get(a.did) ?? 0,
      followsCount: a.follows.size,
      tagPosts,
      follows,
    });
  }
  const memberNames = new Set(members.map((m) => m.name));
  const byName = new Map(accounts.map((a) => [a.name, a]));
  const targets = [...targetNames]
    .filter((n) => !memberNames.has(n))
    .map((n) => byName.get(n)!)
    .map((a) => ({ name: a.name, handle: a.handle, displayName: a.displayName, description: a.description }));
  const order = (x: { name: string }, y: { name: string }) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  return { members: members.sort(order), targets: targets.sort(order) };
}
