/**
 * What "carries the hashtag" means. Two readings live here on purpose:
 * - `carriesTag`: the ground truth a correct crawler must reproduce;
 * - `searchMatches`: what the devnet's search returns, looser like a real full-text engine,
 *   so a crawler that trusts search results blindly picks up decoys.
 */

export const TAG_FEATURE = 'app.bsky.richtext.facet#tag';

export interface TagFeature {
  $type: typeof TAG_FEATURE;
  tag: string;
}
export interface LinkFeature {
  $type: 'app.bsky.richtext.facet#link';
  uri: string;
}
export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: Array<TagFeature | LinkFeature>;
}

/** The part of a post that decides matching. */
export interface Taggable {
  text: string;
  facets?: readonly Facet[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const truthPatterns = new Map<string, RegExp>();

/** `#tag` in text, not glued to a preceding word, and followed by a non-word char or the end. */
function truthPattern(tag: string): RegExp {
  const key = tag.toLowerCase();
  let re = truthPatterns.get(key);
  if (!re) {
    re = new RegExp(`(?<!\\w)#${escapeRegExp(key)}(?!\\w)`, 'i');
    truthPatterns.set(key, re);
  }
  return re;
}

/**
 * Ground truth: a tag facet equal to `tag` (case-insensitive), or a `#tag` token in the text.
 * Clients that do not emit facets still produce real hashtag posts, and facets may carry a tag
 * that is not visible in the text; both count.
 */
export function carriesTag(post: Taggable, tag: string): boolean {
  const wanted = tag.toLowerCase().replace(/^#/, '');
  if (post.facets) {
    for (const facet of post.facets) {
      for (const feature of facet.features) {
        if (feature.$type === TAG_FEATURE && feature.tag.toLowerCase() === wanted) return true;
      }
    }
  }
  return truthPattern(wanted).test(post.text);
}

/** Lower-cased hashtags (facet tags and `#word` in text) and plain words of a post. */
export interface PostTerms {
  hashtags: string[];
  words: Set<string>;
}

const HASHTAG_IN_TEXT = /(?<![\p{L}\p{N}_])#([\p{L}\p{N}_]+)/gu;
const WORD = /[\p{L}\p{N}_]+/gu;

export function postTerms(post: Taggable): PostTerms {
  const hashtags = new Set<string>();
  for (const facet of post.facets ?? []) {
    for (const feature of facet.features) {
      if (feature.$type === TAG_FEATURE) hashtags.add(feature.tag.toLowerCase());
    }
  }
  for (const m of post.text.matchAll(HASHTAG_IN_TEXT)) hashtags.add((m[1] as string).toLowerCase());
  const words = new Set<string>();
  // Words exclude the hashtags themselves: "#databs" is a tag, "databs" is a word.
  const withoutTags = post.text.replace(HASHTAG_IN_TEXT, ' ');
  for (const m of withoutTags.matchAll(WORD)) words.add(m[0].toLowerCase());
  return { hashtags: [...hashtags], words };
}

/**
 * 'loose' (default, like an analysed full-text index): `#t` matches a hashtag that starts with t
 * (#databsx, #databs2 …) or the plain word t; a bare word matches the word or a hashtag equal
 * to it. 'exact': `#t` matches exactly the ground-truth rule. Terms are ANDed.
 */
export type SearchMatchMode = 'loose' | 'exact';

export interface QueryTerm {
  kind: 'tag' | 'word';
  value: string;
}

export function parseQuery(q: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  for (const raw of q.trim().split(/\s+/)) {
    if (!raw) continue;
    const lower = raw.toLowerCase();
    if (lower.startsWith('#') && lower.length > 1) terms.push({ kind: 'tag', value: lower.slice(1) });
    else {
      const word = lower.replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, '');
      if (word) terms.push({ kind: 'word', value: word });
    }
  }
  return terms;
}

export function searchMatches(post: Taggable, terms: PostTerms, query: readonly QueryTerm[], mode: SearchMatchMode): boolean {
  if (query.length === 0) return false;
  for (const term of query) {
    let hit: boolean;
    if (term.kind === 'tag') {
      hit =
        mode === 'exact'
          ? carriesTag(post, term.value)
          : terms.words.has(term.value) || terms.hashtags.some((h) => h.startsWith(term.value));
    } else {
      hit = terms.words.has(term.value) || terms.hashtags.includes(term.value);
    }
    if (!hit) return false;
  }
  return true;
}
