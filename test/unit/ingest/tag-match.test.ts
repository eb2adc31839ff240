import { describe, expect, it } from '@jest/globals';
import { normaliseHashtag } from '../../../src/core/hashtag.js';
import { postCarriesTag, tagsOfPost } from '../../../src/core/tag-match.js';

const facet = (tag: string) => ({ index: { byteStart: 0, byteEnd: tag.length + 1 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag }] });

describe('postCarriesTag', () => {
  it.each([
    ['#databs at the start', true],
    ['ends with #databs', true],
    ['mixed case #DataBS works', true],
    ['trailing punctuation #databs.', true],
    ['trailing punctuation #databs!?', true],
    ['full-width ＃databs', true],
    ['line\n#databs', true],
    ['suffix #databsx is another tag', false],
    ['hyphen #databs-x is another tag', false],
    ['in brackets (#databs)', true],
    ['after a colon:#databs', true],
    ['url fragment https://x.org/#databs', false],
    ['entity &#databs', false],
    ['word databs without a hash', false],
    ['email like foo#databs', false],
    ['', false],
  ])('text %j → %s', (text, expected) => {
    expect(postCarriesTag({ text }, 'databs')).toBe(expected);
  });

  it('reads tag facets and outline tags, ignoring case', () => {
    expect(postCarriesTag({ text: 'no tag in text', facets: [facet('DataBS')] }, 'databs')).toBe(true);
    expect(postCarriesTag({ text: 'x', facets: [facet('databsx')] }, 'databs')).toBe(false);
    expect(postCarriesTag({ text: 'x', tags: ['DATABS'] }, 'databs')).toBe(true);
  });

  it('survives malformed records', () => {
    expect(tagsOfPost({ text: 42, facets: [null, { features: 'x' }, { features: [null, { $type: 'app.bsky.richtext.facet#tag' }] }], tags: [1] }).size).toBe(0);
  });
});

describe('normaliseHashtag', () => {
  it.each([
    ['#DataBS', 'databs'],
    ['databs', 'databs'],
    ['  #dataBS ', 'databs'],
    ['ciência', 'ciência'],
    ['data_bs-2', 'data_bs-2'],
  ])('%j → %j', (input, out) => expect(normaliseHashtag(input)).toBe(out));

  it.each(['', '#', 'two words', '#a#b', "x' OR 1=1", '123', 'a'.repeat(65), 'semi;colon', '-lead'])('rejects %j', (input) => {
    expect(() => normaliseHashtag(input)).toThrow(/hashtag/);
  });
});
