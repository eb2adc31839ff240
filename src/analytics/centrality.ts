/**
 * Centrality on an in-memory follow graph: pure functions, graph in, map (DID → score) out. They
 * define the numbers GDS is asked for too (see parameters.ts), so either engine gives one answer.
 */
import type { CentralityMetric } from '../core/centrality.js';
import { betweenness, closeness, pagerank } from './graphology-modules.js';
import type { FollowGraph } from './follow-graph.js';
import { PAGERANK } from './parameters.js';

export type Scores = Map<string, number>;

/**
 * PageRank normalised to sum to 1 over the graph. graphology spreads the mass of actors who follow
 * nobody evenly; GDS drops it. At the fixed point the two vectors are proportional (the dangling mass
 * only adds a constant to the teleport term), so once both are normalised they are the same numbers.
 */
export function pagerankScores(graph: FollowGraph): Scores {
  if (graph.order === 0) return new Map();
  const raw = pagerank(graph, {
    alpha: PAGERANK.damping,
    maxIterations: PAGERANK.maxIterations,
    // graphology stops when the L1 change is below `order * tolerance`.
    tolerance: PAGERANK.tolerance / graph.order,
    getEdgeWeight: null,
  });
  return normalise(raw);
}

/** Raw counts in the scope's edges: IN = followers, OUT = follows, DEGREE = both (in + out). */
export function degreeScores(graph: FollowGraph, kind: 'DEGREE' | 'IN_DEGREE' | 'OUT_DEGREE'): Scores {
  const scores: Scores = new Map();
  graph.forEachNode((did) => {
    const value = kind === 'IN_DEGREE' ? graph.inDegree(did) : kind === 'OUT_DEGREE' ? graph.outDegree(did) : graph.inDegree(did) + graph.outDegree(did);
    scores.set(did, value);
  });
  return scores;
}

/** Unnormalised Brandes betweenness over directed shortest paths (ordered pairs), as GDS computes it. */
export function betweennessScores(graph: FollowGraph): Scores {
  if (graph.order === 0) return new Map();
  return new Map(Object.entries(betweenness(graph, { normalized: false, getEdgeWeight: null })));
}

/** Wasserman–Faust closeness over incoming paths (see the closeness note in parameters.ts). */
export function closenessScores(graph: FollowGraph): Scores {
  if (graph.order === 0) return new Map();
  return new Map(Object.entries(closeness(graph, { wassermanFaust: true })));
}

export function centralityScores(graph: FollowGraph, metric: CentralityMetric): Scores {
  switch (metric) {
    case 'PAGERANK':
      return pagerankScores(graph);
    case 'BETWEENNESS':
      return betweennessScores(graph);
    case 'CLOSENESS':
      return closenessScores(graph);
    case 'DEGREE':
    case 'IN_DEGREE':
    case 'OUT_DEGREE':
      return degreeScores(graph, metric);
  }
}

/** Scales scores to sum to 1 (left as they are when they sum to 0). */
export function normalise(scores: Record<string, number> | Iterable<[string, number]>): Scores {
  const entries = Symbol.iterator in Object(scores) ? [...(scores as Iterable<[string, number]>)] : Object.entries(scores);
  let sum = 0;
  for (const [, v] of entries) sum += v;
  const out: Scores = new Map();
  for (const [k, v] of entries) out.set(k, sum > 0 ? v / sum : v);
  return out;
}

/**
 * Rough count of elementary steps for the all-pairs metrics (one BFS per node): lets the service
 * refuse a fallback computation that would block the event loop for minutes.
 */
export function pathMetricWork(graph: FollowGraph): number {
  return graph.order * (graph.order + graph.size);
}
