/**
 * Sigma (WebGL) around the view graph: reducers turn the selection into a highlight (the chosen
 * actor, its neighbours and their edges in colour, everything else faded), the biggest nodes keep
 * their labels, and the camera can fly to an actor.
 */
import Sigma from 'sigma';
import type { EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import type { EdgeAttributes, NodeAttributes, ViewGraph, ViewModel } from '../graph/model.js';

const FADED_NODE = '#eaedf0';

/** '#4e79a7' → 'rgba(78, 121, 167, a)': highlighted follows stay readable where hundreds overlap. */
function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}
const LABEL_COLOUR = '#1f2933';

/** Fainter lines as they multiply, so 100,000 follows read as texture rather than a grey slab. */
export function edgeColour(edges: number): string {
  const alpha = Math.min(0.2, Math.max(0.025, 0.2 * Math.sqrt(4000 / Math.max(1, edges))));
  return `rgba(100, 112, 128, ${alpha.toFixed(3)})`;
}

export interface RendererEvents {
  onNodeClick(did: string): void;
  onStageClick(): void;
}

/**
 * What the first frame already needs. Sigma 4 re-indexes and redraws the whole graph on every
 * refresh (`skipIndexation` only applies to a partial one), which costs most of a second with
 * software WebGL: set at construction, the constructor's frame is the only one.
 */
export interface RendererStart {
  readonly alwaysLabelled?: Iterable<string>;
  readonly layoutRunning?: boolean;
}

export class GraphRenderer {
  readonly sigma: Sigma<NodeAttributes, EdgeAttributes>;
  private selected: string | null = null;
  private highlighted = new Set<string>();
  private alwaysLabelled = new Set<string>();
  private layoutRunning = false;
  /** Nodes a filter (k-core, time) hides, with their edges; and edges hidden on their own ("source target"). */
  private hidden: ReadonlySet<string> = new Set();
  private hiddenEdges: ReadonlySet<string> = new Set();

  readonly graph: ViewGraph;
  private readonly edgeColour: string;

  constructor(
    private readonly model: ViewModel,
    container: HTMLElement,
    events: RendererEvents,
    start: RendererStart = {},
  ) {
    const graph = model.graph;
    this.alwaysLabelled = new Set(start.alwaysLabelled ?? []);
    this.layoutRunning = start.layoutRunning ?? false;
    this.graph = graph;
    const dense = graph.size > 20_000;
    const colour = edgeColour(graph.size);
    this.edgeColour = colour;
    graph.updateEachEdgeAttributes((_, a) => ({ ...a, color: colour, size: 0.6 }), { attributes: ['color', 'size'] });
    this.sigma = new Sigma<NodeAttributes, EdgeAttributes>(graph, container, {
      settings: {
        itemSizesReference: 'screen',
        zoomToSizeRatioFunction: (ratio: number) => Math.sqrt(ratio),
        // Tens of thousands of edges redraw at 60 fps on a GPU, not on a laptop's integrated one while panning.
        hideEdgesOnMove: dense,
        labelDensity: 0.45,
        labelGridCellSize: 90,
        labelRenderedSizeThreshold: 7,
        minEdgeThickness: 0.6,
        minCameraRatio: 0.03,
        maxCameraRatio: 3,
        stagePadding: 40,
        enableCameraRotation: false,
        enableCameraMouseRotation: false,
      },
      nodeReducer: (node, data, attrs) => this.reduceNode(node, data, attrs),
      edgeReducer: (edge, data) => this.reduceEdge(edge, data),
    });
    this.sigma.on('clickNode', ({ node }) => events.onNodeClick(node));
    this.sigma.on('clickStage', () => events.onStageClick());
  }

  private reduceNode(node: string, data: NodeDisplayData, attrs: NodeAttributes): Partial<NodeDisplayData> {
    if (this.hidden.has(node)) return { visibility: 'hidden', labelVisibility: 'hidden' };
    const out: Partial<NodeDisplayData> = { labelColor: LABEL_COLOUR, zIndex: attrs.zIndex };
    if (this.selected === null) {
      if (this.alwaysLabelled.has(node)) out.labelVisibility = 'visible';
      return out;
    }
    if (node === this.selected) {
      return { ...out, labelVisibility: 'visible', zIndex: 3000, backdropVisibility: 'visible', size: data.size * 1.25 };
    }
    if (this.highlighted.has(node)) {
      return { ...out, zIndex: 2000 + attrs.zIndex, labelVisibility: this.highlighted.size <= 40 ? 'visible' : data.labelVisibility };
    }
    return { ...out, color: FADED_NODE, size: data.size * 0.7, label: null, labelVisibility: 'hidden', zIndex: 0 };
  }

  private reduceEdge(edge: string, data: EdgeDisplayData): Partial<EdgeDisplayData> {
    if (this.layoutRunning) return { visibility: 'hidden' };
    if (this.hidden.size > 0 || this.hiddenEdges.size > 0) {
      const s = this.graph.source(edge);
      const t = this.graph.target(edge);
      if (this.hidden.has(s) || this.hidden.has(t) || this.hiddenEdges.has(`${s} ${t}`)) return { visibility: 'hidden' };
    }
    if (this.selected === null) return {};
    const source = this.graph.source(edge);
    const target = this.graph.target(edge);
    if (source !== this.selected && target !== this.selected) return { visibility: 'hidden' };
    const other = source === this.selected ? target : source;
    const colour = withAlpha(this.graph.getNodeAttribute(other, 'color'), this.highlighted.size > 60 ? 0.35 : 0.7);
    return { color: colour, size: Math.max(1.2, data.size * 2), zIndex: 10 };
  }

  /**
   * While ForceAtlas2 moves every node many times a second, only nodes are drawn: redrawing tens of
   * thousands of edges per frame is what would make a laptop (or a GPU-less browser) stutter.
   */
  setLayoutRunning(running: boolean): void {
    if (running === this.layoutRunning) return;
    this.layoutRunning = running;
    this.sigma.refresh({ skipIndexation: true });
  }

  /** Nodes that keep a label at every zoom level (the biggest ones). */
  /** Hides these nodes and their edges (replacing the previous set). */
  setHidden(nodes: ReadonlySet<string>, edges: ReadonlySet<string> = new Set()): void {
    this.hidden = nodes;
    this.hiddenEdges = edges;
    this.sigma.refresh({ skipIndexation: true });
  }

  setAlwaysLabelled(nodes: Iterable<string>): void {
    this.alwaysLabelled = new Set(nodes);
    this.sigma.refresh({ skipIndexation: true });
  }

  /**
   * Highlights an actor, its neighbours and all its follows (drawing the ones the sample left out
   * for as long as it stays selected); null clears the highlight.
   */
  select(did: string | null): void {
    const { graph, follows } = this.model;
    graph.filterEdges((_, a) => a.transient === true).forEach((edge) => graph.dropEdge(edge));
    this.selected = did !== null && graph.hasNode(did) ? did : null;
    this.highlighted = this.selected === null ? new Set() : new Set(follows.neighbors(this.selected));
    if (this.selected !== null) {
      const add = (source: string, target: string) => {
        if (!graph.hasDirectedEdge(source, target)) graph.addDirectedEdge(source, target, { color: this.edgeColour, size: 0.6, transient: true });
      };
      follows.forEachOutNeighbor(this.selected, (target) => add(this.selected as string, target));
      follows.forEachInNeighbor(this.selected, (source) => add(source, this.selected as string));
    }
    this.sigma.refresh({ skipIndexation: true });
  }

  selection(): string | null {
    return this.selected;
  }

  /**
   * Flies the camera to an actor and its neighbourhood: centred between the actor and its
   * neighbours' centroid, zoomed so that the actor and most neighbours are in view (a local actor
   * gets a close-up, a hub that reaches across the graph keeps the whole picture). `leftOf` px on
   * the right are covered by the side panel: the view is centred on what stays visible.
   */
  async focus(did: string, leftOf = 0, durationMs = 600): Promise<void> {
    const display = this.sigma.getNodeDisplayData(did);
    if (!display) return;
    const around: Array<{ x: number; y: number }> = [];
    this.model.follows.forEachNeighbor(did, (other) => {
      const d = this.sigma.getNodeDisplayData(other);
      if (d) around.push(d);
    });
    let centre = { x: display.x, y: display.y };
    if (around.length > 0) {
      const cx = around.reduce((sum, p) => sum + p.x, 0) / around.length;
      const cy = around.reduce((sum, p) => sum + p.y, 0) / around.length;
      centre = { x: (display.x + cx) / 2, y: (display.y + cy) / 2 };
    }
    const distances = around.map((p) => Math.hypot(p.x - centre.x, p.y - centre.y)).sort((a, b) => a - b);
    const reach = Math.max(Math.hypot(display.x - centre.x, display.y - centre.y) * 1.25, distances[Math.floor(distances.length * 0.8)] ?? 0.08);
    const { width, height } = this.sigma.getDimensions();
    const visible = Math.max(0.3, (width - leftOf) / width);
    const state = { ...centre, angle: 0, ratio: Math.min(1, Math.max(0.12, (2.2 * reach) / visible)) };
    const middle = this.sigma.viewportToFramedGraph({ x: width / 2, y: height / 2 }, { cameraState: state });
    const shifted = this.sigma.viewportToFramedGraph({ x: width / 2 - leftOf / 2, y: height / 2 }, { cameraState: state });
    await this.sigma.getCamera().animate({ ...state, x: state.x + middle.x - shifted.x, y: state.y + middle.y - shifted.y }, { duration: durationMs });
  }

  async resetCamera(durationMs = 400): Promise<void> {
    await this.sigma.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: durationMs });
  }

  zoom(factor: number): void {
    const camera = this.sigma.getCamera();
    void (factor > 1 ? camera.zoomIn({ factor, duration: 250 }) : camera.zoomOut({ factor: 1 / factor, duration: 250 }));
  }

  /** Where an actor is drawn, in CSS pixels relative to the graph container (null when off-screen). */
  viewportPosition(did: string): { x: number; y: number; size: number } | null {
    if (!this.graph.hasNode(did)) return null;
    const a = this.graph.getNodeAttributes(did);
    const p = this.sigma.graphToViewport({ x: a.x, y: a.y });
    const { width, height } = this.sigma.getDimensions();
    if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) return null;
    const display = this.sigma.getNodeDisplayData(did);
    return { x: p.x, y: p.y, size: display ? this.sigma.scaleSize(display.size) : a.size };
  }

  /** Nodes sigma currently draws (not hidden), as the test hook reports. */
  renderedNodeCount(): number {
    let n = 0;
    this.graph.forEachNode((node) => {
      const d = this.sigma.getNodeDisplayData(node);
      if (d && d.visibility !== 'hidden') n++;
    });
    return n;
  }

  kill(): void {
    this.sigma.kill();
  }
}
