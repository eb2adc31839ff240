import { describe, expect, it } from '@jest/globals';
import { carriesTag, type Facet } from '../../../devnet/index.js';
import { parseQuery, postTerms, searchMatches } from '../../../devnet/hashtag-match.js';

const tagFacet = (tag: string, byteStart = 0, byteEnd = 1): Facet => ({
  index: { byteStart, byteEnd },
  features: [{ $type: 'app.bsky.richtext.facet#tag', tag }],
});

describe('carriesTag (the ground truth)', () => {
  it.each([
    ['hello #databs', true],
    ['#DataBS rocks', true],
    ['end #DATABS.', true],
    ['(#databs)', true],
    ['#databs!', true],
    ['#databsx', false],
    ['#databs2', false],
    ['#databs_fans', false],
    ['plain databs here', false],
    ['mail#databs', false],
  ])('%s → %s', (text, expected) => {
    expect(carriesTag({ text }, 'databs')).toBe(expected);
  });

  it('counts tag facets case-insensitively even when the text does not show the tag', () => {
    expect(carriesTag({ text: 'about storage', facets: [tagFacet('DataBS')] }, 'databs')).toBe(true);
    expect(carriesTag({ text: 'about storage', facets: [tagFacet('databsx')] }, 'databs')).toBe(false);
  });
});

describe('search matching', () => {
  const match = (text: string, q: string, mode: 'loose' | 'exact', facets?: Facet[]): boolean => {
    const post = { text, ...(facets ? { facets } : {}) };
    return searchMatches(post, postTerms(post), parseQuery(q), mode);
  };

  it('loose: prefix tags and the plain word match too (decoys)', () => {
    expect(match('hi #databs', '#databs', 'loose')).toBe(true);
    expect(match('hi #DataBSx', '#databs', 'loose')).toBe(true);
    expect(match('what is databs?', '#databs', 'loose')).toBe(true);
    expect(match('about storage', '#databs', 'loose', [tagFacet('databs')])).toBe(true);
    expect(match('unrelated #sql', '#databs', 'loose')).toBe(false);
  });

  it('exact: only what carries the tag', () => {
    expect(match('hi #DATABS', '#databs', 'exact')).toBe(true);
    expect(match('hi #databsx', '#databs', 'exact')).toBe(false);
    expect(match('what is databs?', '#databs', 'exact')).toBe(false);
  });

  it('ANDs terms', () => {
    expect(match('#databs and #sql', '#databs #sql', 'exact')).toBe(true);
    expect(match('#databs only', '#databs #sql', 'exact')).toBe(false);
  });
});
