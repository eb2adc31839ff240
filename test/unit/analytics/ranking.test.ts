import { describe, expect, it } from '@jest/globals';
import { rankScores } from '../../../src/analytics/ranking.js';

describe('rankScores', () => {
  it('orders by score, then handle, then DID, with distinct 1-based ranks', () => {
    const ranked = rankScores([
      { did: 'did:plc:3', handle: 'bob.test', score: 2 },
      { did: 'did:plc:1', handle: 'zed.test', score: 5 },
      { did: 'did:plc:2', handle: 'amy.test', score: 2 },
      { did: 'did:plc:5', handle: null, score: 2 },
      { did: 'did:plc:4', handle: 'amy.test', score: 2 },
    ]);
    expect(ranked.map((r) => [r.did, r.rank])).toEqual([
      ['did:plc:1', 1],
      ['did:plc:2', 2],
      ['did:plc:4', 3],
      ['did:plc:3', 4],
      ['did:plc:5', 5],
    ]);
  });

  it('treats float noise as a tie, so the handle decides', () => {
    const ranked = rankScores([
      { did: 'x', handle: 'b.test', score: 0.1 + 0.2 },
      { did: 'y', handle: 'a.test', score: 0.3 },
    ]);
    expect(ranked.map((r) => r.did)).toEqual(['y', 'x']);
    expect(ranked[1]!.score).toBe(0.1 + 0.2); // the score itself is not rounded
  });

  it('does not depend on input order', () => {
    const input = Array.from({ length: 50 }, (_, i) => ({ did: `did:${i}`, handle: `h${i % 7}`, score: i % 5 }));
    const a = rankScores(input);
    const b = rankScores([...input].reverse());
    expect(b).toEqual(a);
  });

  it('puts non-finite scores last', () => {
    expect(rankScores([{ did: 'n', handle: 'a', score: NaN }, { did: 'z', handle: 'z', score: 0 }]).map((r) => r.did)).toEqual(['z', 'n']);
  });
});
