/**
 * The pure pieces behind community insights, on small graphs with answers known by hand, and
 * modularity against graphology-metrics' own implementation (an independent reference).
 */
import { describe, expect, it } from '@jest/globals';
import * as modularityModule from 'graphology-metrics/graph/modularity.js';
import { normalizedMutualInformation } from '../../../devnet/partition-score.js';
import { findBridges } from '../../../src/analytics/bridges.js';
import { nameCommunities, termsOf } from '../../../src/analytics/community-labels.js';
import { buildFollowGraph } from '../../../src/analytics/follow-graph.js';
import { coreNumbers, modularity, structureOf } from '../../../src/analytics/graph-structure.js';
import { Graph } from '../../../src/analytics/graphology-modules.js';
import { stableCommunityIds } from '../../../src/analytics/stable-ids.js';
import { mulberry32 } from '../../../src/random/mulberry32.js';

type Modularity = (graph: InstanceType<typeof Graph>, options: { getNodeCommunity: (node: string) => number; getEdgeWeight: string }) => number;
const referenceModularity = ((m: unknown) => {
  const a = (m as { default?: unknown }).default ?? m;
  return ((a as { default?: unknown }).default ?? a) as Modularity;
})(modularityModule);

const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ did: `d${i}` }));

describe('stableCommunityIds', () => {
  it('keeps the id of the community most of whose members stay, and gives new groups unused ids', () => {
    const previous = new Map([['a', 0], ['b', 0], ['c', 0], ['d', 1], ['e', 1], ['f', 2]]);
    // Renumbered by the algorithm: a,b,c are now "1", d,e "0", and g,h a new group "2".
    const fresh = new Map([['a', 1], ['b', 1], ['c', 1], ['d', 0], ['e', 0], ['g', 2], ['h', 2]]);
    expect(stableCommunityIds(fresh, previous)).toEqual(new Map([['a', 0], ['b', 0], ['c', 0], ['d', 1], ['e', 1], ['g', 3], ['h', 3]]));
  });

  it('does not hand an id to a community holding only a minority of the old one', () => {
    const previous = new Map([['a', 0], ['b', 0], ['c', 0], ['d', 0]]);
    const fresh = new Map([['a', 0], ['b', 0], ['c', 1], ['d', 1]]);
    const ids = stableCommunityIds(fresh, previous);
    expect(new Set(ids.values())).toEqual(new Set([1, 2]));
    expect(stableCommunityIds(fresh, null)).toEqual(fresh);
  });
});

describe('graph structure', () => {
  it('a triangle with a tail: clustering, cores, reciprocity and density by hand', () => {
    const g = buildFollowGraph(nodes(4), [['d0', 'd1'], ['d1', 'd0'], ['d1', 'd2'], ['d2', 'd0'], ['d2', 'd3']]);
    const s = structureOf(g);
    expect(s).toEqual({ actors: 4, follows: 5, density: 5 / 12, reciprocity: 2 / 5, clustering: expect.closeTo((1 + 1 + 1 / 3 + 0) / 4, 12),
      maxCore: 2,
      inDegreeDistribution: [{ min: 0, max: 0, actors: 0 }, { min: 1, max: 1, actors: 3 }, { min: 2, max: 3, actors: 1 }],
    });
    expect(coreNumbers(g)).toEqual(new Map([['d0', 2], ['d1', 2], ['d2', 2], ['d3', 1]]));
  });

  it('modularity equals graphology-metrics on the undirected multigraph of follows', () => {
    const rng = mulberry32(3);
    const follows: Array<[string, string]> = [];
    for (let i = 0; i < 60; i++) for (let j = 0; j < 60; j++) if (i !== j && rng() < (Math.floor(i / 20) === Math.floor(j / 20) ? 0.3 : 0.03)) follows.push([`d${i}`, `d${j}`]);
    const g = buildFollowGraph(nodes(60), follows);
    const assignment = new Map(nodes(60).map((n, i) => [n.did, Math.floor(i / 20)]));
    const ties = new Graph({ type: 'undirected', multi: false });
    for (const n of nodes(60)) ties.addNode(n.did);
    for (const [s, t] of follows) {
      const key = s < t ? `${s}|${t}` : `${t}|${s}`;
      if (ties.hasEdge(key)) ties.updateEdgeAttribute(key, 'weight', (w: number) => w + 1);
      else ties.addEdgeWithKey(key, s, t, { weight: 1 });
    }
    const expected = referenceModularity(ties, { getNodeCommunity: (n) => assignment.get(n)!, getEdgeWeight: 'weight' });
    expect(modularity(g, assignment)).toBeCloseTo(expected, 12);
    expect(modularity(g, assignment)).toBeGreaterThan(0.4);
  });
});

describe('community names', () => {
  it('weighs what sets a community apart, not what everyone says', () => {
    const texts = [
      { did: 'a', description: 'Data engineer. Mostly kafka and flink.', coTags: ['kafka'] },
      { did: 'b', description: 'Data person, kafka streams', coTags: ['kafka'] },
      { did: 'c', description: 'Data scientist into pytorch', coTags: ['mlops'] },
      { did: 'd', description: 'Data: pytorch, notebooks', coTags: ['mlops'] },
    ];
    const names = nameCommunities(new Map([['a', 0], ['b', 0], ['c', 1], ['d', 1]]), texts);
    expect(names.get(0)!.keywords.slice(0, 2).sort()).toEqual(['#kafka', 'kafka']);
    expect(names.get(1)!.keywords.slice(0, 2).sort()).toEqual(['#mlops', 'pytorch']);
    // "data" is in every bio: weight 0, never a keyword.
    for (const n of names.values()) expect(n.keywords).not.toContain('data');
    expect(termsOf({ did: 'x', description: 'The SQL and 2024 of it', coTags: [] })).toEqual(new Set(['sql']));
  });
});

describe('bridges and NMI', () => {
  it('an actor tied evenly to two groups outranks members of one', () => {
    const follows: Array<[string, string]> = [];
    const groupA = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
    const groupB = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5'];
    for (const g of [groupA, groupB]) for (const s of g) for (const t of g) if (s !== t) follows.push([s, t]);
    for (const t of [...groupA.slice(0, 3), ...groupB.slice(0, 3)]) follows.push(['x', t], [t, 'x']);
    const g = buildFollowGraph([...groupA, ...groupB, 'x'].map((did) => ({ did })), follows);
    const assignment = new Map([...groupA.map((d) => [d, 0] as [string, number]), ...groupB.map((d) => [d, 1] as [string, number]), ['x', 0]]);
    const [top] = findBridges(g, assignment, 3);
    expect(top).toMatchObject({ did: 'x', participation: 0.5, ties: 12, crossTies: 6, communities: 2 });
  });

  it('NMI is 1 for a renamed partition and 0 for an independent one', () => {
    const a = new Map([['p', 0], ['q', 0], ['r', 1], ['s', 1]]);
    expect(normalizedMutualInformation(a, new Map([['p', 7], ['q', 7], ['r', 3], ['s', 3]]))).toBeCloseTo(1, 12);
    expect(normalizedMutualInformation(a, new Map([['p', 0], ['q', 1], ['r', 0], ['s', 1]]))).toBeCloseTo(0, 12);
  });
});
