/**
 * Structure of a follow graph and of a partition of it (pure): density, reciprocity, clustering,
 * core numbers, degree distribution, modularity. Follows are directed; clustering and cores read
 * them as undirected ties (a mutual follow is one tie), modularity as Louvain and Leiden optimise it
 * (each follow one unit of undirected weight, so a mutual follow weighs two).
 */
import type { FollowGraph } from './follow-graph.js';

export interface Structure {
  readonly actors: number;
  readonly follows: number;
  /** follows / (actors × (actors − 1)). */
  readonly density: number;
  /** Share of follows that are followed back. */
  readonly reciprocity: number;
  /** Mean local clustering coefficient of the undirected ties (actors with under two ties count 0). */
  readonly clustering: number;
  /** The largest k such that a k-core exists (every actor in it has ≥ k ties inside it). */
  readonly maxCore: number;
  /** How many of its actors have how many followers inside it. */
  readonly inDegreeDistribution: readonly DegreeBucket[];
}

/** Undirected simple adjacency over `nodes` (others ignored), as sorted index arrays. */
function undirectedTies(graph: FollowGraph, nodes: readonly string[]): Int32Array[] {
  const index = new Map(nodes.map((did, i) => [did, i]));
  const sets = nodes.map(() => new Set<number>());
  graph.forEachEdge((_e, _a, source, target) => {
    const s = index.get(source);
    const t = index.get(target);
    if (s === undefined || t === undefined || s === t) return;
    (sets[s] as Set<number>).add(t);
    (sets[t] as Set<number>).add(s);
  });
  return sets.map((set) => Int32Array.from(set).sort());
}

/** Structure of the subgraph induced by `nodes` (the whole graph when omitted). */
export function structureOf(graph: FollowGraph, nodes: readonly string[] = graph.nodes()): Structure {
  const inside = new Set(nodes);
  let follows = 0;
  let reciprocated = 0;
  graph.forEachEdge((_e, _a, source, target) => {
    if (source === target || !inside.has(source) || !inside.has(target)) return;
    follows++;
    if (graph.hasDirectedEdge(target, source)) reciprocated++;
  });
  const ties = undirectedTies(graph, nodes);
  const n = nodes.length;
  return {
    actors: n,
    follows,
    density: n > 1 ? follows / (n * (n - 1)) : 0,
    reciprocity: follows > 0 ? reciprocated / follows : 0,
    clustering: n > 0 ? localClustering(ties).reduce((a, b) => a + b, 0) / n : 0,
    maxCore: Math.max(0, ...coreNumbersOf(ties)),
    inDegreeDistribution: inDegreeDistribution(graph, nodes),
  };
}

/** Per actor: the share of pairs of its ties that are tied themselves. */
function localClustering(ties: Int32Array[]): number[] {
  return ties.map((mine) => {
    const k = mine.length;
    if (k < 2) return 0;
    let triangles = 0;
    // Each tied pair u < w of v's ties is counted once (at u: see countCommon).
    for (const u of mine) triangles += countCommon(mine, ties[u] as Int32Array, u);
    return (2 * triangles) / (k * (k - 1));
  });
}

/** Common neighbours w of two sorted lists with w > floor (so a triangle v–u–w counts once per u < w). */
function countCommon(a: Int32Array, b: Int32Array, floor: number): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      if (x > floor) common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common;
}

/** Core number of every actor (Batagelj–Zaversnik: peel the smallest degree first, O(ties)). */
function coreNumbersOf(ties: Int32Array[]): Int32Array {
  const n = ties.length;
  const degree = Int32Array.from(ties, (t) => t.length);
  const maxDegree = Math.max(0, ...degree);
  const bins = new Int32Array(maxDegree + 2);
  for (const d of degree) bins[d] = (bins[d] as number) + 1;
  let start = 0;
  for (let d = 0; d <= maxDegree; d++) {
    const count = bins[d] as number;
    bins[d] = start;
    start += count;
  }
  const order = new Int32Array(n);
  const position = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const d = degree[v] as number;
    position[v] = bins[d] as number;
    order[position[v] as number] = v;
    bins[d] = (bins[d] as number) + 1;
  }
  for (let d = maxDegree; d > 0; d--) bins[d] = bins[d - 1] as number;
  bins[0] = 0;
  for (let i = 0; i < n; i++) {
    const v = order[i] as number;
    for (const u of ties[v] as Int32Array) {
      const du = degree[u] as number;
      if (du > (degree[v] as number)) {
        // Move u to the front of its degree bin, then shrink its degree.
        const pu = position[u] as number;
        const pw = bins[du] as number;
        const w = order[pw] as number;
        if (u !== w) {
          order[pu] = w;
          order[pw] = u;
          position[u] = pw;
          position[w] = pu;
        }
        bins[du] = (bins[du] as number) + 1;
        degree[u] = du - 1;
      }
    }
  }
  return degree;
}

/** DID → core number over the undirected ties of the subgraph induced by `nodes`. */
export function coreNumbers(graph: FollowGraph, nodes: readonly string[] = graph.nodes()): Map<string, number> {
  const cores = coreNumbersOf(undirectedTies(graph, nodes));
  return new Map(nodes.map((did, i) => [did, cores[i] as number]));
}

/**
 * Modularity of a partition: Σ_c [ L_c / m − (D_c / 2m)² ], m the follows (self-follows left out),
 * L_c the follows inside c, D_c the sum of its actors' in + out degrees.
 */
export function modularity(graph: FollowGraph, assignment: ReadonlyMap<string, number>): number {
  let m = 0;
  const inside = new Map<number, number>();
  const degree = new Map<number, number>();
  graph.forEachEdge((_e, _a, source, target) => {
    if (source === target) return;
    const cs = assignment.get(source);
    const ct = assignment.get(target);
    if (cs === undefined || ct === undefined) return;
    m++;
    degree.set(cs, (degree.get(cs) ?? 0) + 1);
    degree.set(ct, (degree.get(ct) ?? 0) + 1);
    if (cs === ct) inside.set(cs, (inside.get(cs) ?? 0) + 1);
  });
  if (m === 0) return 0;
  let q = 0;
  for (const [c, d] of degree) q += (inside.get(c) ?? 0) / m - (d / (2 * m)) ** 2;
  return q;
}

export interface DegreeBucket {
  /** Inclusive bounds: 0–0, 1–1, 2–3, 4–7, … (powers of two). */
  readonly min: number;
  readonly max: number;
  readonly actors: number;
}

/** How many actors have how many followers inside the graph, in power-of-two buckets. */
export function inDegreeDistribution(graph: FollowGraph, nodes: readonly string[] = graph.nodes()): DegreeBucket[] {
  const inside = new Set(nodes);
  const buckets: number[] = [];
  for (const did of nodes) {
    let d = 0;
    graph.forEachInNeighbor(did, (source) => {
      if (source !== did && inside.has(source)) d++;
    });
    const b = d === 0 ? 0 : Math.floor(Math.log2(d)) + 1;
    buckets[b] = (buckets[b] ?? 0) + 1;
  }
  return Array.from(buckets, (actors, b) => ({ min: b === 0 ? 0 : 2 ** (b - 1), max: b === 0 ? 0 : 2 ** b - 1, actors: actors ?? 0 }));
}
