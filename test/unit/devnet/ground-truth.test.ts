import { describe, expect, it } from '@jest/globals';
import { followCount, generateCommunity, groundTruth, rMin, rMinFor, searchPagesFor, searchResultCount } from '../../../devnet/index.js';

describe('searchPagesFor', () => {
  it('counts pages per capped window plus the empty window that ends the search', () => {
    expect(searchPagesFor(0)).toBe(1);
    expect(searchPagesFor(1)).toBe(2);
    expect(searchPagesFor(100)).toBe(2);
    expect(searchPagesFor(101)).toBe(3);
    // cap 250, pages of 100: 100+100+50 | 100+100+50 | 100 → 3 + 3 + 1 + 1
    expect(searchPagesFor(600, { searchCap: 250 })).toBe(8);
    expect(searchPagesFor(500, { searchCap: 250 })).toBe(7);
    expect(searchPagesFor(20_000)).toBe(201);
    expect(searchPagesFor(250, { searchCap: 250, searchPageLimit: 25 })).toBe(11);
  });
});

describe('rMin', () => {
  it('is searchPages + ceil(members/25) + Σ max(1, ceil(follows/100))', () => {
    const c = generateCommunity({ members: 120, seed: 11 });
    let follows = 0;
    for (let m = 0; m < c.memberCount; m++) follows += Math.max(1, Math.ceil(followCount(c.follows, m) / 100));
    const limits = { searchCap: 250 };
    const expected = searchPagesFor(searchResultCount(c, limits), limits) + Math.ceil(120 / 25) + follows;
    expect(rMin(c, limits)).toBe(expected);
    expect(rMinFor({ members: 120, seed: 11, searchCap: 250 })).toBe(expected);
    expect(groundTruth(c, limits).rMin).toBe(expected);
  });

  it('counts decoys in search pages only in loose mode', () => {
    const c = generateCommunity({ members: 300, seed: 4 });
    const loose = searchResultCount(c, { searchMatch: 'loose' });
    const exact = searchResultCount(c, { searchMatch: 'exact' });
    expect(exact).toBe(c.posts.filter((p) => p.variant.startsWith('tag')).length);
    expect(loose).toBe(c.posts.length);
  });
});
