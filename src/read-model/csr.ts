/**
 * Compressed sparse rows: the neighbours of node i are neighbours[start[i] .. start[i+1]), sorted by
 * the rank given at build time, so membership and "first neighbour after a rank" are binary searches.
 */
export class Csr {
  private constructor(
    readonly start: Int32Array,
    readonly neighbours: Int32Array,
    /** rank[x] orders every list. */
    private readonly rank: Int32Array,
  ) {}

  /** From parallel edge arrays (from[i] → to[i]) over nodes 0..n-1. */
  static build(n: number, from: Int32Array, to: Int32Array, rank: Int32Array): Csr {
    const start = new Int32Array(n + 1);
    for (const f of from) start[f + 1]!++;
    for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
    const fill = start.slice(0, n);
    const neighbours = new Int32Array(from.length);
    for (let e = 0; e < from.length; e++) neighbours[fill[from[e]!]!++] = to[e]!;
    for (let i = 0; i < n; i++) {
      const list = neighbours.subarray(start[i]!, start[i + 1]!);
      if (list.length > 1) list.sort((x, y) => rank[x]! - rank[y]!);
    }
    return new Csr(start, neighbours, rank);
  }

  /** Position in `neighbours` of node i's first neighbour whose rank is ≥ `rank`. */
  firstAfter(i: number, rank: number): number {
    let lo = this.start[i]!;
    let hi = this.start[i + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rank[this.neighbours[mid]!]! < rank) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether node i has a neighbour of the given rank. */
  has(i: number, rank: number): boolean {
    const p = this.firstAfter(i, rank);
    return p < this.start[i + 1]! && this.rank[this.neighbours[p]!] === rank;
  }
}
