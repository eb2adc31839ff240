/**
 * Starting positions for ForceAtlas2: each community in its own disc, the discs on a circle. Starting
 * from clusters instead of pure noise lets the worker converge in seconds rather than untangle for
 * a minute, and the picture is readable from the first frame.
 */
import type { ViewGraph } from './model.js';
import { seededRandom, seedOf } from './random.js';

export function placeByCommunity(graph: ViewGraph, seedText: string): void {
  const rng = seededRandom(seedOf(`layout:${seedText}`));
  const sizes = new Map<number, number>();
  graph.forEachNode((_, a) => sizes.set(a.community, (sizes.get(a.community) ?? 0) + 1));
  const order = [...sizes.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([id]) => id);
  const ring = Math.sqrt(graph.order) * 6;
  const centres = new Map<number, { x: number; y: number; r: number }>();
  order.forEach((id, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, order.length);
    const r = Math.sqrt(sizes.get(id) ?? 1) * 3;
    centres.set(id, { x: Math.cos(angle) * ring, y: Math.sin(angle) * ring, r });
  });
  graph.updateEachNodeAttributes(
    (_, a) => {
      const c = centres.get(a.community) ?? { x: 0, y: 0, r: ring };
      const angle = rng() * 2 * Math.PI;
      const dist = Math.sqrt(rng()) * c.r;
      return { ...a, x: c.x + Math.cos(angle) * dist, y: c.y + Math.sin(angle) * dist };
    },
    { attributes: ['x', 'y'] },
  );
}

/** Puts every node at `positions` (x, y per node, in the graph's node order). */
export function placeAt(graph: ViewGraph, positions: Float32Array): void {
  let i = 0;
  graph.updateEachNodeAttributes(
    (_, a) => {
      a.x = positions[i++]!;
      a.y = positions[i++]!;
      return a;
    },
    { attributes: ['x', 'y'] },
  );
}

/**
 * Seeds from an older layout of the same slot: actors it knew keep their place, and each new actor
 * starts at the centroid of its placed neighbours (else of its placed community, else of all),
 * slightly jittered, so ForceAtlas2 only has to settle the difference.
 */
export function placeFromPrevious(graph: ViewGraph, neighbours: (node: string, each: (other: string) => void) => void, positions: Float32Array, seedText: string): void {
  const rng = seededRandom(seedOf(`reseed:${seedText}`));
  const placed = new Map<string, { x: number; y: number }>();
  const byCommunity = new Map<number, { x: number; y: number; n: number }>();
  const all = { x: 0, y: 0, n: 0 };
  let i = 0;
  graph.forEachNode((node, a) => {
    const x = positions[2 * i];
    const y = positions[2 * i + 1];
    i++;
    if (x === undefined || y === undefined || Number.isNaN(x) || Number.isNaN(y)) return;
    placed.set(node, { x, y });
    const c = byCommunity.get(a.community) ?? { x: 0, y: 0, n: 0 };
    byCommunity.set(a.community, { x: c.x + x, y: c.y + y, n: c.n + 1 });
    all.x += x;
    all.y += y;
    all.n++;
  });
  const spread = Math.sqrt(graph.order);
  graph.updateEachNodeAttributes(
    (node, a) => {
      const known = placed.get(node);
      if (known) return { ...a, ...known };
      let sx = 0;
      let sy = 0;
      let n = 0;
      neighbours(node, (other) => {
        const p = placed.get(other);
        if (!p) return;
        sx += p.x;
        sy += p.y;
        n++;
      });
      const c = n > 0 ? { x: sx, y: sy, n } : (byCommunity.get(a.community) ?? all);
      const base = c.n > 0 ? { x: c.x / c.n, y: c.y / c.n } : { x: 0, y: 0 };
      return { ...a, x: base.x + (rng() - 0.5) * spread, y: base.y + (rng() - 0.5) * spread };
    },
    { attributes: ['x', 'y'] },
  );
}
