/**
 * The crawler's hashtag reading (src/core/tag-match.ts) and the devnet's ground truth
 * (devnet/hashtag-match.ts) against Bluesky's own: the tag facets `RichText.detectFacets` writes
 * (@atproto/api rich-text, TAG_REGEX + TRAILING_PUNCTUATION_REGEX, at most 64 graphemes). Where
 * they differ, the difference is listed here with its reason, so a change to either side shows.
 */
import { describe, expect, it } from '@jest/globals';
import { RichText } from '@atproto/api';
import { carriesTag } from '../../../devnet/hashtag-match.js';
import { postCarriesTag, tagsOfPost } from '../../../src/core/tag-match.js';

const TAG = 'databs';

/** Lower-cased tags of the facets Bluesky's client would write for `text` (no network). */
function blueskyTags(text: string): string[] {
  const rt = new RichText({ text });
  rt.detectFacetsWithoutResolution();
  const tags: string[] = [];
  for (const facet of rt.facets ?? []) {
    for (const feature of facet.features) {
      if (feature.$type === 'app.bsky.richtext.facet#tag') tags.push((feature as { tag: string }).tag.toLowerCase());
    }
  }
  return tags;
}

describe('hashtag matching agrees with Bluesky rich-text', () => {
  it.each<[string, boolean]>([
    ['#databs at the start', true],
    ['ends with #databs', true],
    ['mixed case #DataBS', true],
    ['trailing punctuation #databs.', true],
    ['trailing punctuation #databs!?', true],
    ['ellipsis #databs…', true],
    ['line\n#databs', true],
    ['tab\t#databs', true],
    ['zero-width space ends it #databs\u200Bx', true],
    ['suffix #databsx is another tag', false],
    ['underscore #databs_fans is another tag', false],
    ['leading digit #1databs is another tag', false],
    ['glued to a word foo#databs', false],
    ['word databs without a hash', false],
    ['a lone # databs', false],
    ['', false],
  ])('%j → %s for all three', (text, expected) => {
    expect(blueskyTags(text).includes(TAG)).toBe(expected);
    expect(postCarriesTag({ text }, TAG)).toBe(expected);
    expect(carriesTag({ text }, TAG)).toBe(expected);
  });

  it.each([
    '#DataBS and #databs2 then #1databs',
    '#databs-x #data.bs #databs/x #databs:x',
    '##databs #databs#x',
    'fullwidth ＃databs',
    'fullwidth letters #ｄａｔａｂｓ',
    'apostrophe #databs’s',
    'https://x.org/#databs &#databs',
  ])('the crawler reads the same tag set as Bluesky in %j', (text) => {
    expect([...tagsOfPost({ text })].sort()).toEqual(blueskyTags(text).sort());
  });
});

describe('deliberate differences', () => {
  // Bluesky makes a facet only after the start or whitespace. The crawler also counts a tag after
  // an opening bracket, quote or colon: a reader sees a hashtag, search returns the post for
  // `#tag`, and clients without facets write such text. Still refused: glued to a letter, digit,
  // `_`, `&` (an entity) or `/` (a URL fragment).
  it.each(['in brackets (#databs)', 'quoted "#databs"', 'after a colon:#databs'])('%j: the crawler counts it, Bluesky does not', (text) => {
    expect(blueskyTags(text)).toEqual([]);
    expect(postCarriesTag({ text }, TAG)).toBe(true);
  });

  // Bluesky drops all-digit tags and tags over 64 graphemes; tagsOfPost keeps them, but no crawl
  // asks for one: normaliseHashtag refuses both, so membership never differs.
  it.each(['year #2024', `long #${'a'.repeat(65)}`])('%j: tagsOfPost keeps a tag Bluesky drops', (text) => {
    expect(blueskyTags(text)).toEqual([]);
    expect(tagsOfPost({ text }).size).toBe(1);
  });

  // The devnet's ground truth is simpler (`#tag` not followed by a word character) and its post
  // generator never writes these shapes, so crawls of the devnet are unaffected; a real network's
  // posts are read by tag-match.ts.
  it.each<[string, boolean, boolean]>([
    // text, Bluesky and the crawler, devnet
    ['fullwidth ＃databs', true, false],
    ['hyphen #databs-x', false, true],
    ['slash #databs/x', false, true],
    ['double ##databs', false, true],
    ['apostrophe #databs’s', false, true],
    ['url fragment https://x.org/#databs', false, true],
    ['entity &#databs', false, true],
  ])('%j: Bluesky and the crawler say %s, the devnet %s', (text, bluesky, devnet) => {
    expect(blueskyTags(text).includes(TAG)).toBe(bluesky);
    expect(postCarriesTag({ text }, TAG)).toBe(bluesky);
    expect(carriesTag({ text }, TAG)).toBe(devnet);
  });
});
