/**
 * Does a post really carry `#tag`? Search is fuzzy (Bluesky's dev stack even matches substrings,
 * so `#databsx` comes back for `#databs`), so membership is decided here, the way Bluesky itself
 * reads tags: a tag facet, an outline tag, or a `#token` in the text that is not glued to a word,
 * runs to the next whitespace and loses trailing punctuation. Comparison ignores case.
 *
 * Deliberate differences from Bluesky's rich-text TAG_REGEX (@atproto/api; the table is
 * test/unit/ingest/tag-match-bluesky.test.ts):
 * - Bluesky wants the start or whitespace before `#`; we also take `(#tag)`, `"#tag"`, `:#tag`,
 *   which a reader sees as a hashtag and search returns for `#tag`.
 * - Bluesky drops all-digit tags (`#2024`) and tags over 64 graphemes; we keep them in
 *   tagsOfPost, and normaliseHashtag refuses both, so no crawl's membership differs.
 * The fullwidth `＃` and a leading digit (`#1databs` is its own tag) read as Bluesky reads them.
 */
const TAG_FACET = 'app.bsky.richtext.facet#tag';
// Not glued to a word ("foo#bar"), an entity ("&#39;") or a URL fragment ("/#top"); "(#tag)" counts.
// eslint-disable-next-line no-misleading-character-class -- the class lists ZWJ and a combining mark on purpose: each ends a tag on its own, as in Bluesky's parser
const TEXT_TAG = /(?<![\p{L}\p{N}_#&/])[#＃]([^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]+)/gu;
const TRAILING_PUNCTUATION = /\p{P}+$/u;

export interface PostRecordLike {
  readonly text?: unknown;
  readonly facets?: unknown;
  readonly tags?: unknown;
}

export function tagsOfPost(record: PostRecordLike): Set<string> {
  const tags = new Set<string>();
  if (Array.isArray(record.facets)) {
    for (const facet of record.facets as Array<{ features?: unknown }>) {
      if (!Array.isArray(facet?.features)) continue;
      for (const feature of facet.features as Array<{ $type?: unknown; tag?: unknown }>) {
        if (feature?.$type === TAG_FACET && typeof feature.tag === 'string') tags.add(feature.tag.toLowerCase());
      }
    }
  }
  if (Array.isArray(record.tags)) {
    for (const tag of record.tags) if (typeof tag === 'string') tags.add(tag.replace(/^#/, '').toLowerCase());
  }
  if (typeof record.text === 'string') {
    for (const match of record.text.matchAll(TEXT_TAG)) {
      const tag = match[1]!.replace(TRAILING_PUNCTUATION, '');
      if (tag) tags.add(tag.toLowerCase());
    }
  }
  return tags;
}

/** `tag` is already normalised (lower case, no '#'). */
export function postCarriesTag(record: PostRecordLike, tag: string): boolean {
  return tagsOfPost(record).has(tag);
}
