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
