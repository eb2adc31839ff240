import { describe, expect, it } from '@jest/globals';
import { buildFollowGraph } from '../../../src/analytics/follow-graph.js';
import { canonicalCommunities, louvainCommunities } from '../../../src/analytics/louvain.js';
import { groupCommunities } from '../../../src/analytics/community-groups.js';

/** Two dense groups (a clique of 5 and one of 4, every follow mutual) joined by a single follow. */
function twoCliques() {
  const left = ['l1', 'l2', 'l3', 'l4', 'l5'];
  const right = ['r1', 'r2', 'r3', 'r4'];
  const edges: Array<[string, string]> = [];
  for (const group of [left, right]) for (const s of group) for (const t of group) if (s !== t) edges.push([s, t]);
  edges.push(['l1', 'r1']);
  return { graph: buildFollowGraph([], edges), left, right };
}

describe('louvainCommunities', () => {
  it('finds the two groups, numbered by size', () => {
    const { graph, left, right } = twoCliques();
    const communities = canonicalCommunities(louvainCommunities(graph));
    for (const did of left) expect(communities.get(did)).toBe(0);
    for (const did of right) expect(communities.get(did)).toBe(1);
  });

  it('is reproducible', () => {
    const { graph } = twoCliques();
    expect(louvainCommunities(graph)).toEqual(louvainCommunities(graph));
  });

  it('puts everyone alone when nobody follows anybody', () => {
    const graph = buildFollowGraph([{ did: 'x' }, { did: 'y' }], []);
    expect(canonicalCommunities(louvainCommunities(graph))).toEqual(new Map([['x', 0], ['y', 1]]));
  });
});

describe('canonicalCommunities', () => {
  it('renumbers by size desc, then smallest DID', () => {
    const raw = new Map([
      ['d', 7],
      ['a', 9],
      ['b', 7],
      ['c', 3],
      ['e', 3],
      ['f', 3],
    ]);
    expect(canonicalCommunities(raw)).toEqual(new Map([['d', 1], ['a', 2], ['b', 1], ['c', 0], ['e', 0], ['f', 0]]));
  });
});

describe('groupCommunities', () => {
  it('lists sizes and the top members in PageRank order', () => {
    const assignment = new Map([
      ['a', 0],
      ['b', 0],
      ['c', 0],
      ['d', 1],
    ]);
    const pagerank = [
      { did: 'c', score: 0.4, rank: 1 },
      { did: 'd', score: 0.3, rank: 2 },
      { did: 'a', score: 0.2, rank: 3 },
      { did: 'b', score: 0.1, rank: 4 },
    ];
    expect(groupCommunities(assignment, pagerank, 2)).toEqual([
      { id: 0, size: 3, topMembers: ['c', 'a'] },
      { id: 1, size: 1, topMembers: ['d'] },
    ]);
  });
});
