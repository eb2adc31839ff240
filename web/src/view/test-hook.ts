/**
 * `window.__graphView`: what an end-to-end test (or a curious user in the console) can ask the page
 * without reading pixels. Positions are page coordinates, so a test can click the real canvas.
 */
import type { Diagnostics, GraphViewApp, LayoutSource, Phase, Timings } from './app.js';

export interface GraphViewHook {
  readonly ready: boolean;
  readonly phase: Phase;
  readonly error: string | null;
  readonly hashtag: string | null;
  readonly scope: string;
  readonly timings: Timings;
  /** The size metric the drawn sizes come from. */
  readonly sizedBy: string | null;
  readonly diagnostics: Diagnostics;
  /** Where the drawn positions came from: 'cache' (a reload of an unchanged graph) or computed here. */
  readonly layoutSource: LayoutSource | null;
  /** True once no layout moves the nodes any more (FA2 refines for a while after layout-ready). */
  readonly layoutSettled: boolean;
  /** The server's graphVersion of the drawn graph. */
  readonly graphVersion: string | null;
  /** Whether the server's community names (and the chosen algorithm's partition) were applied. */
  readonly communityNames: 'none' | 'loading' | 'loaded' | 'error';
  /** Community id of a drawn node (as coloured now). */
  communityOf(did: string): number | null;
  /** The colour a drawn node is painted. */
  colourOf(did: string): string | null;
  /** The live subscription: its state and how many pushed changes it applied. */
  live(): { state: string; applied: number } | null;
  /** The day the time slider shows (null: today). */
  readonly timeFilter: string | null;
  /** Whether the drawn graph holds this follow (drawn or not). */
  hasFollow(source: string, target: string): boolean;
  /** Nodes in the drawn graph. */
  nodeCount(): number;
  /** Nodes sigma has display data for and does not hide. */
  renderedNodeCount(): number;
  /** Follows in the loaded graph (all of them, drawn or not). */
  edgeCount(): number;
  /** DIDs of the drawn nodes. */
  nodes(): string[];
  /** Where a node is drawn, in page CSS pixels, with its radius; null when off-screen or unknown. */
  nodePosition(didOrHandle: string): { x: number; y: number; radius: number } | null;
  selected(): string | null;
  /** Drawn radius (before zoom) of a node: what the size metric gave it. */
  sizeOf(did: string): number | null;
  /** Selects like a click would (for when a canvas click is not an option). */
  clickNode(didOrHandle: string): boolean;
  /** Resolves a handle to the DID of a drawn node. */
  didOf(handle: string): string | null;
  cameraAnimating(): boolean;
}

declare global {
  interface Window {
    __graphView?: GraphViewHook;
  }
}

export function installTestHook(app: GraphViewApp, graphContainer: HTMLElement): void {
  window.__graphView = {
    get ready() {
      return app.phase === 'ready';
    },
    get phase() {
      return app.phase;
    },
    get communityNames() {
      return app.communityNamesState;
    },
    get timeFilter() {
      return app.timeFilter;
    },
    live() {
      return app.live ? { state: app.live.state, applied: app.live.applied } : null;
    },
    hasFollow(source: string, target: string) {
      const follows = app.model?.follows;
      return follows ? follows.hasNode(source) && follows.hasNode(target) && follows.hasDirectedEdge(source, target) : false;
    },
    communityOf(did: string) {
      const graph = app.model?.graph;
      return graph?.hasNode(did) ? (graph.getNodeAttribute(did, 'community') as number) : null;
    },
    colourOf(did: string) {
      const graph = app.model?.graph;
      return graph?.hasNode(did) ? (graph.getNodeAttribute(did, 'color') as string) : null;
    },
    get error() {
      return app.error;
    },
    get hashtag() {
      return app.state.hashtag;
    },
    get scope() {
      return app.state.scope;
    },
    get timings() {
      return { ...app.timings };
    },
    get sizedBy() {
      return app.sizedBy;
    },
    get diagnostics() {
      return { ...app.diagnostics };
    },
    get layoutSource() {
      return app.layoutSource;
    },
    get layoutSettled() {
      return app.layoutSettled;
    },
    get graphVersion() {
      return app.graphVersion;
    },
    nodeCount: () => app.graph?.order ?? 0,
    renderedNodeCount: () => app.renderer?.renderedNodeCount() ?? 0,
    edgeCount: () => app.model?.follows.size ?? 0,
    nodes: () => app.graph?.nodes() ?? [],
    nodePosition(ref) {
      const did = app.findActor(ref);
      const p = did ? app.renderer?.viewportPosition(did) : null;
      if (!p) return null;
      const box = graphContainer.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y, radius: p.size };
    },
    selected: () => app.renderer?.selection() ?? null,
    sizeOf: (did) => (app.graph?.hasNode(did) ? app.graph.getNodeAttribute(did, 'size') : null),
    clickNode(ref) {
      const did = app.findActor(ref);
      if (!did) return false;
      app.selectActor(did, { fly: true });
      return true;
    },
    didOf: (handle) => app.findActor(handle),
    cameraAnimating: () => app.renderer?.sigma.getCamera().isAnimating() ?? false,
  };
}
