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
import type { CommunityGraph } from '../api/community-graph.js';
import type { Actor } from '../api/types.js';
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
  /**
   * Built on first use: its ~100,000 edges are the costliest part of building the model, and a
   * load whose layout comes from the cache draws its first frame without them.
   */
  readonly follows: FollowGraph;
  /** follows.size, known without building it (live updates keep it current). */
  followCount: number;
  /** Follows drawn when nothing is selected (≤ follows.size). */
  drawnEdges: number;
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
 * Builds both graphs without positions or styling (the other graph/ modules add those), in the
 * loaded order (actors by DID, follows by source then target), which keeps Louvain's colours stable.
 */
export function buildViewModel(loaded: CommunityGraph, edgeBudget: number): ViewModel {
  const graph: ViewGraph = new Graph<NodeAttributes, EdgeAttributes>({ type: 'directed', multi: false, allowSelfLoops: false });
  const ids = loaded.nodes.map((actor) => actor.did);
  for (const actor of loaded.nodes) {
    graph.addNode(actor.did, { x: 0, y: 0, size: 1, color: '#999', label: shortLabel(actor), zIndex: 0, actor, community: -1, score: null });
  }
  // decodeSubgraph already dropped duplicates, self-follows and edges to unknown actors.
  const { edges } = loaded;
  for (const k of sampleEdges(ids, edges, edgeBudget)) {
    graph.addDirectedEdge(ids[edges[2 * k]!]!, ids[edges[2 * k + 1]!]!, { color: '#ccc', size: 1 });
  }
  let follows: FollowGraph | null = null;
  const buildFollows = (): FollowGraph => {
    const built: FollowGraph = new Graph<{ x: number; y: number }>({ type: 'directed', multi: false, allowSelfLoops: false });
    for (const id of ids) built.addNode(id, { x: 0, y: 0 });
    for (let i = 0; i + 1 < edges.length; i += 2) built.addDirectedEdge(ids[edges[i]!]!, ids[edges[i + 1]!]!);
    return built;
  };
  return {
    graph,
    get follows() {
      return (follows ??= buildFollows());
    },
    followCount: edges.length >> 1,
    drawnEdges: graph.size,
  };
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

/** The drawn positions, x, y per node in the graph's node order (what the layout cache stores). */
export function positionsOf(graph: ViewGraph): Float32Array {
  const out = new Float32Array(graph.order * 2);
  let i = 0;
  graph.forEachNode((_, a) => {
    out[i++] = a.x;
    out[i++] = a.y;
  });
  return out;
}
