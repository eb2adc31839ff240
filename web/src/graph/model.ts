/**
 * The view's two graphs over the same actors (keyed by DID):
 * - `follows`: every FOLLOWS edge the API sent. Layout, communities, degrees and neighbourhoods
 *   are computed on it, so nothing the user reads depends on what happens to be drawn.
 * - `graph`: what sigma draws: every actor with its styling, and the follows chosen for display
 *   (all of them up to the edge budget, a sample beyond; see edge-sample.ts), plus the follows of
 *   the selected actor while it is selected.
 * They are separate because WebGL cost grows with every edge sigma knows, even hidden ones.
 */
import Graph from 'graphology';
import type { Actor, Subgraph } from '../api/types.js';
import { sampleEdges } from './edge-sample.js';

export interface NodeAttributes {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  zIndex: number;
  actor: Actor;
  /** Community id used for colour (server Louvain or the browser's); -1 = none. */
  community: number;
  /** Current size metric's raw score (null when the metric has no value for this actor). */
  score: number | null;
}

export interface EdgeAttributes {
  color: string;
  size: number;
  /** Drawn only while one of its ends is selected. */
  transient?: boolean;
}

export type ViewGraph = Graph<NodeAttributes, EdgeAttributes>;
export type FollowGraph = Graph<{ x: number; y: number }>;

export interface ViewModel {
  readonly graph: ViewGraph;
  readonly follows: FollowGraph;
  /** Follows drawn when nothing is selected (≤ follows.size). */
  readonly drawnEdges: number;
}

export function displayName(actor: Actor): string {
  return actor.displayName?.trim() || actor.handle || actor.did;
}

/** Labels stay short on the canvas; the panel shows the whole name. */
export function shortLabel(actor: Actor, max = 26): string {
  const name = displayName(actor);
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/**
 * Builds both graphs without positions or styling (the other graph/ modules add those). Edges
 * whose ends are not both in `nodes`, and self-follows, are dropped: they cannot be drawn.
 */
const byDid = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildViewModel(subgraph: Subgraph, edgeBudget: number): ViewModel {
  const graph: ViewGraph = new Graph<NodeAttributes, EdgeAttributes>({ type: 'directed', multi: false, allowSelfLoops: false });
  const follows: FollowGraph = new Graph<{ x: number; y: number }>({ type: 'directed', multi: false, allowSelfLoops: false });
  // Insertion order decides Louvain's visiting order and hence the colours: sorted input gives the
  // same picture whatever order the server answered in (it sorts by PageRank, which changes).
  const actors = [...subgraph.nodes].sort((a, b) => byDid(a.did, b.did));
  const edges = [...subgraph.edges].sort((a, b) => byDid(a.source, b.source) || byDid(a.target, b.target));
  for (const actor of actors) {
    if (graph.hasNode(actor.did)) continue;
    graph.addNode(actor.did, { x: 0, y: 0, size: 1, color: '#999', label: shortLabel(actor), zIndex: 0, actor, community: -1, score: null });
    follows.addNode(actor.did, { x: 0, y: 0 });
  }
  for (const { source, target } of edges) {
    if (source === target || !follows.hasNode(source) || !follows.hasNode(target) || follows.hasDirectedEdge(source, target)) continue;
    follows.addDirectedEdge(source, target);
  }
  for (const [source, target] of sampleEdges(follows, edgeBudget)) graph.addDirectedEdge(source, target, { color: '#ccc', size: 1 });
  return { graph, follows, drawnEdges: graph.size };
}

/** Copies positions from the layout graph to the drawn one (one batch event for sigma). */
export function syncPositions(from: FollowGraph, to: ViewGraph): void {
  to.updateEachNodeAttributes(
    (node, a) => {
      const p = from.getNodeAttributes(node);
      a.x = p.x;
      a.y = p.y;
      return a;
    },
    { attributes: ['x', 'y'] },
  );
}

/** Copies the drawn graph's (initial) positions into the layout graph. */
export function seedPositions(from: ViewGraph, to: FollowGraph): void {
  to.updateEachNodeAttributes((node, a) => {
    const p = from.getNodeAttributes(node);
    a.x = p.x;
    a.y = p.y;
    return a;
  });
}
