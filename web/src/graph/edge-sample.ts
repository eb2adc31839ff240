/**
 * Which follows to draw when there are more than the renderer can afford. Every edge gets a
 * deterministic pseudo-random key (a mix of its ends' DID hashes) and the lowest keys win: a uniform sample, so
 * each community keeps its share of inner and outer edges and the picture keeps its structure.
 * Actors with follows are guaranteed one drawn edge (to their best-connected neighbour), so no
 * one looks isolated who is not.
 *
 * Works on positions (edges as pairs of node positions), not on a graphology graph: with 100,000
 * follows, string keys and per-edge Map entries were a noticeable part of a first load.
 */
import { seedOf } from './random.js';

/**
 * `edges` holds pairs of positions in `ids` (s0, t0, s1, t1, …) without duplicates; the answer is
 * the chosen edges' ordinals (edge k = edges[2k], edges[2k+1]), ascending.
 */
export function sampleEdges(ids: readonly string[], edges: Uint32Array, budget: number): Uint32Array {
  const m = edges.length >> 1;
  if (m <= budget) return Uint32Array.from({ length: m }, (_, k) => k);
  const n = ids.length;

  // One string hash per actor, then integer mixing per edge: hashing 100,000 DID pairs as text
  // was a visible slice of a load.
  const h = Uint32Array.from(ids, (id) => seedOf(id));
  const keys = new Float64Array(m);
  for (let k = 0; k < m; k++) keys[k] = edgeHash(h[edges[2 * k]!]!, h[edges[2 * k + 1]!]!) * m + k;
  // hash × m + ordinal: one numeric sort orders by hash, then by ordinal (exact below 2^53).
  keys.sort();
  const chosen = new Uint8Array(m);
  const covered = new Uint8Array(n);
  const limit = Math.min(budget, m);
  for (let i = 0; i < limit; i++) {
    const k = keys[i]! % m;
    chosen[k] = 1;
    covered[edges[2 * k]!] = 1;
    covered[edges[2 * k + 1]!] = 1;
  }

  const degree = new Uint32Array(n);
  for (let i = 0; i < edges.length; i++) degree[edges[i]!]!++;
  // Neighbour lists (both directions) as CSR; `edgeOf` keeps which edge links the pair.
  const start = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) start[v + 1] = start[v]! + degree[v]!;
  const fill = start.slice(0, n);
  const neighbour = new Uint32Array(edges.length);
  const edgeOf = new Uint32Array(edges.length);
  for (let k = 0; k < m; k++) {
    const s = edges[2 * k]!;
    const t = edges[2 * k + 1]!;
    neighbour[fill[s]!] = t;
    edgeOf[fill[s]!++] = k;
    neighbour[fill[t]!] = s;
    edgeOf[fill[t]!++] = k;
  }
  for (let v = 0; v < n; v++) {
    if (covered[v] || degree[v] === 0) continue;
    // The best-connected neighbour, ties to the smallest DID (ids are sorted); a mutual pair has
    // two edges, and the one from this actor wins, as before.
    let best = -1;
    let bestEdge = -1;
    for (let j = start[v]!; j < start[v + 1]!; j++) {
      const other = neighbour[j]!;
      const d = degree[other]!;
      const better = best < 0 || d > degree[best]! || (d === degree[best]! && other < best);
      const sameOther = other === best && edges[2 * edgeOf[j]!] === v;
      if (better || sameOther) {
        best = other;
        bestEdge = edgeOf[j]!;
      }
    }
    if (bestEdge < 0) continue;
    chosen[bestEdge] = 1;
    covered[v] = 1;
    covered[best] = 1;
  }
  let count = 0;
  for (let k = 0; k < m; k++) count += chosen[k]!;
  const out = new Uint32Array(count);
  let i = 0;
  for (let k = 0; k < m; k++) if (chosen[k]) out[i++] = k;
  return out;
}

/** A directed pair of 32-bit hashes to one well-mixed 32-bit hash (murmur3's finaliser). */
function edgeHash(source: number, target: number): number {
  let x = Math.imul(source, 0x9e3779b1) ^ ((target << 16) | (target >>> 16));
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
