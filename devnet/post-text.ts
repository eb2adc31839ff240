/**
 * Post bodies: genuine hashtag posts in the shapes real clients produce, and decoys that a
 * careless crawler would count as members. Facet offsets are UTF-8 byte offsets, as in the
 * lexicon, and some texts carry emoji so byte and character offsets differ.
 */
import { TAG_FEATURE, type Facet } from './hashtag-match.js';
import { chance, pick, type Rng } from './prng.js';

export type PostVariant =
  | 'tag-facet' // `#DataBS` in text with a matching tag facet (what the Bluesky app writes)
  | 'tag-text-only' // `#databs` in text, no facets (third-party clients, bots)
  | 'tag-facet-only' // tag facet over an ordinary word: invisible in the text
  | 'decoy-suffix' // `#databsx`, `#databs2`, `#databs_fans`: another tag sharing the prefix
  | 'decoy-plain'; // the word without '#'

export const GENUINE_VARIANTS: readonly PostVariant[] = ['tag-facet', 'tag-text-only', 'tag-facet-only'];

export interface PostBody {
  text: string;
  facets?: Facet[];
  variant: PostVariant;
}

const GENUINE = [
  'Just shipped a new model for our churn pipeline {T}',
  '{T} what is everyone using to test SQL migrations these days?',
  'Slides from my talk on query planning are up 📊 {T}',
  'Hot take: most data lakes are swamps {T}. Fight me',
  'Reading group this week: the Volcano paper {T}{P}',
  'Anyone else fighting skewed joins in Spark today? {T}',
  'New blog post: why your window functions are slow ⏱️ {T}',
  'Our Postgres bloat finally under control 🎉 {T}!',
  'Looking for reviewers for a CDC connector PR ({T})',
  'Columnar formats explained with cats 🐈 {T}',
  'The {T} community is the best corner of this site',
  'Lakehouse or warehouse? Poll in the replies {T}\nVote below',
  'Benchmarks are lies, but useful lies {T}',
  'Migrated 2 TB without downtime — notes coming {T}{P}',
];
const GENUINE_PUNCT = ['', '.', '!', '?', ','];
const FACET_ONLY = [
  'Great thread on {W} from the meetup yesterday',
  'Learning about {W} this weekend ☕',
  'Office hours on {W} at 3pm, drop by',
  'My {W} reading list keeps growing',
];
const FACET_ONLY_WORDS = ['databases', 'query engines', 'storage', 'indexes', 'replication'];
const DECOY_SUFFIX = [
  'Totally different topic {T} but still fun',
  '{T} meetup photos are up',
  'New episode out now {T}',
];
const DECOY_PLAIN = [
  'Is databs a conference or a podcast? Asking for a friend',
  'typo in my config: databs instead of databases, lost an hour',
  'Someone said databs at lunch and I nodded along',
];
const OTHER_TAGS = ['sql', 'postgres', 'duckdb', 'dataengineering', 'opensource'];

/** The case variants people actually type. */
function caseVariant(rng: Rng, tag: string): string {
  const r = rng();
  if (r < 0.55) return tag.toLowerCase();
  if (r < 0.7) return tag.toUpperCase();
  if (r < 0.85) return tag.charAt(0).toUpperCase() + tag.slice(1).toLowerCase();
  // "DataBS"-style camel case: upper-case the first letter and the last two.
  const lower = tag.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1, -2) + lower.slice(-2).toUpperCase();
}

function byteOffset(text: string, charIndex: number): number {
  return Buffer.byteLength(text.slice(0, charIndex), 'utf8');
}

function tagFacet(text: string, charStart: number, charEnd: number, tag: string): Facet {
  return {
    index: { byteStart: byteOffset(text, charStart), byteEnd: byteOffset(text, charEnd) },
    features: [{ $type: TAG_FEATURE, tag }],
  };
}

/** Facets for every `#word` in `text` (what the official app's RichText.detectFacets would emit). */
function facetsForHashtags(text: string): Facet[] {
  const facets: Facet[] = [];
  for (const m of text.matchAll(/(?<![\p{L}\p{N}_])#([\p{L}\p{N}_]+)/gu)) {
    const start = m.index ?? 0;
    facets.push(tagFacet(text, start, start + m[0].length, m[1] as string));
  }
  return facets;
}

/** Without `topicTags` a post sometimes adds a generic tag; with them (a planted group's) more often one of those. */
function withOtherTags(rng: Rng, text: string, topicTags?: readonly string[]): string {
  if (!chance(rng, topicTags ? 0.6 : 0.3)) return text;
  return `${text} #${pick(rng, topicTags ?? OTHER_TAGS)}`;
}

export function genuinePost(rng: Rng, hashtag: string, topicTags?: readonly string[]): PostBody {
  const r = rng();
  if (r < 0.15) {
    const template = pick(rng, FACET_ONLY);
    const word = pick(rng, FACET_ONLY_WORDS);
    const text = template.replace('{W}', word);
    const start = text.indexOf(word);
    return { text, facets: [tagFacet(text, start, start + word.length, caseVariant(rng, hashtag))], variant: 'tag-facet-only' };
  }
  const template = pick(rng, GENUINE);
  const text = withOtherTags(rng, template.replace('{T}', `#${caseVariant(rng, hashtag)}`).replace('{P}', pick(rng, GENUINE_PUNCT)), topicTags);
  if (r < 0.4) return { text, variant: 'tag-text-only' };
  return { text, facets: facetsForHashtags(text), variant: 'tag-facet' };
}

export function decoyPost(rng: Rng, hashtag: string): PostBody {
  if (chance(rng, 0.35)) {
    // Only the generator's own default tag reads naturally in these sentences; other tags get
    // the same shape with the tag name substituted.
    const text = pick(rng, DECOY_PLAIN).replace(/databs/g, hashtag.toLowerCase());
    return { text, variant: 'decoy-plain' };
  }
  const suffix = pick(rng, ['x', '2', '_fans', 'conf', 'X']);
  const text = pick(rng, DECOY_SUFFIX).replace('{T}', `#${caseVariant(rng, hashtag)}${suffix}`);
  return chance(rng, 0.7) ? { text, facets: facetsForHashtags(text), variant: 'decoy-suffix' } : { text, variant: 'decoy-suffix' };
}
