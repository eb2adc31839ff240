/**
 * The pure centrality functions on a five-node follow graph whose values can be worked out by hand:
 *
 *   a → b, a → c, b → c, c → a, d → c, e → d
 */
import { describe, expect, it } from '@jest/globals';
import { betweennessScores, centralityScores, closenessScores, degreeScores, normalise, pagerankScores } from '../../../src/analytics/centrality.js';
import { buildFollowGraph } from '../../../src/analytics/follow-graph.js';
import { PAGERANK } from '../../../src/analytics/parameters.js';

const EDGES: Array<[string, string]> = [
  ['a', 'b'],
  ['a', 'c'],
  ['b', 'c'],
  ['c', 'a'],
  ['d', 'c'],
  ['e', 'd'],
];
const five = () => buildFollowGraph(['a', 'b', 'c', 'd', 'e'].map((did) => ({ did, handle: `${did}.test` })), EDGES);
const asObject = (m: Map<string, number>) => Object.fromEntries([...m].sort(([x], [y]) => (x < y ? -1 : 1)));

describe('degree', () => {
  it('counts followers, follows and both', () => {
    expect(asObject(degreeScores(five(), 'IN_DEGREE'))).toEqual({ a: 1, b: 1, c: 3, d: 1, e: 0 });
    expect(asObject(degreeScores(five(), 'OUT_DEGREE'))).toEqual({ a: 2, b: 1, c: 1, d: 1, e: 1 });
    expect(asObject(degreeScores(five(), 'DEGREE'))).toEqual({ a: 3, b: 2, c: 4, d: 2, e: 1 });
  });
});

describe('betweenness', () => {
  it('counts the ordered pairs whose only shortest path runs through a node', () => {
    // a: c→b, d→b, e→b. c: b→a, d→a, d→b, e→a, e→b. d: e→c, e→a, e→b.
    expect(asObject(betweennessScores(five()))).toEqual({ a: 3, b: 0, c: 5, d: 3, e: 0 });
  });
});

describe('closeness (Wasserman–Faust, incoming paths)', () => {
  it('is (r/(N-1)) * (r/Σd) over the actors that reach the node', () => {
    const c = closenessScores(five());
    expect(c.get('a')).toBeCloseTo((4 / 4) * (4 / 8), 12); // from c 1, b 2, d 2, e 3
    expect(c.get('b')).toBeCloseTo((4 / 4) * (4 / 10), 12); // from a 1, c 2, d 3, e 4
    expect(c.get('c')).toBeCloseTo((4 / 4) * (4 / 5), 12); // from a 1, b 1, d 1, e 2
    expect(c.get('d')).toBeCloseTo((1 / 4) * (1 / 1), 12); // from e 1
    expect(c.get('e')).toBe(0); // nobody follows e
  });
});

describe('pagerank', () => {
  it('is a probability distribution with the values a hand calculation gives for the sources', () => {
    const pr = pagerankScores(five());
    let sum = 0;
    for (const v of pr.values()) sum += v;
    expect(sum).toBeCloseTo(1, 12);
    // Nobody follows e and nobody here is dangling: e keeps only the teleport share (1 - d) / N,
    // and d receives all of e's rank on top of it.
    expect(pr.get('e')).toBeCloseTo(0.15 / 5, 9);
    expect(pr.get('d')).toBeCloseTo(0.15 / 5 + 0.85 * (0.15 / 5), 9);
  });

  it('equals an independent GDS-style iteration (no dangling redistribution) once normalised', () => {
    // Add a dangling actor (f follows nobody) so that the two conventions actually differ.
    const edges: Array<[string, string]> = [...EDGES, ['b', 'f'], ['e', 'f']];
    const graph = buildFollowGraph([], edges);
    const nodes = [...new Set(edges.flat())].sort();
    const out = new Map(nodes.map((n) => [n, edges.filter(([s]) => s === n).map(([, t]) => t)]));
    let x = new Map(nodes.map((n) => [n, 1]));
    for (let i = 0; i < 500; i++) {
      const next = new Map(nodes.map((n) => [n, 1 - PAGERANK.damping]));
      for (const [s, targets] of out) for (const t of targets) next.set(t, next.get(t)! + (PAGERANK.damping * x.get(s)!) / targets.length);
      x = next;
    }
    const expected = normalise(x);
    const actual = pagerankScores(graph);
    for (const n of nodes) expect(actual.get(n)).toBeCloseTo(expected.get(n)!, 9);
  });

  it('gives an empty map for an empty graph instead of failing to converge', () => {
    expect(pagerankScores(buildFollowGraph([], [])).size).toBe(0);
  });
});

describe('centralityScores', () => {
  it('covers every actor, isolated ones included, for every metric', () => {
    const graph = buildFollowGraph([{ did: 'lonely' }], EDGES);
    for (const metric of ['PAGERANK', 'BETWEENNESS', 'DEGREE', 'IN_DEGREE', 'OUT_DEGREE', 'CLOSENESS'] as const) {
      const scores = centralityScores(graph, metric);
      expect([...scores.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'lonely']);
      if (metric !== 'PAGERANK') expect(scores.get('lonely')).toBe(0);
    }
  });
});
