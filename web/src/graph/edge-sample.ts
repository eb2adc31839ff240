/**
 * Which follows to draw when there are more than the renderer can afford. Every edge gets a
 * deterministic pseudo-random key (hash of its ends) and the lowest keys win: a uniform sample, so
 * each community keeps its share of inner and outer edges and the picture keeps its structure.
 * Actors with follows are guaranteed one drawn edge (to their best-connected neighbour), so no
 * one looks isolated who is not.
 */
import type Graph from 'graphology';
import { seedOf } from './random.js';

export function sampleEdges(graph: Graph, budget: number): Array<[string, string]> {
  const all: Array<[string, string]> = [];
  graph.forEachEdge((_, __, source, target) => {
    all.push([source, target]);
  });
  if (all.length <= budget) return all;

  const chosen = new Set<number>();
  const keyed = all.map((e, i) => [seedOf(`${e[0]}>${e[1]}`), i] as const);
  keyed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let k = 0; k < keyed.length && chosen.size < budget; k++) chosen.add(keyed[k]![1]);

  const index = new Map<string, number>();
  all.forEach(([s, t], i) => index.set(`${s}\n${t}`, i));
  const covered = new Set<string>();
  for (const i of chosen) {
    covered.add(all[i]![0]);
    covered.add(all[i]![1]);
  }
  graph.forEachNode((node) => {
    if (covered.has(node) || graph.degree(node) === 0) return;
    let best: string | null = null;
    let bestDegree = -1;
    graph.forEachNeighbor(node, (other) => {
      const d = graph.degree(other);
      if (d > bestDegree || (d === bestDegree && best !== null && other < best)) {
        best = other;
        bestDegree = d;
      }
    });
    if (best === null) return;
    const i = index.get(`${node}\n${best}`) ?? index.get(`${best}\n${node}`);
    if (i === undefined) return;
    chosen.add(i);
    covered.add(node);
    covered.add(best);
  });
  return [...chosen].sort((a, b) => a - b).map((i) => all[i]!);
}
