/**
 * The graph view's controller: picks a hashtag, loads its graph from the API, colours, sizes and
 * draws it, runs the layout, and reacts to search, clicks, scope and metric changes. Every load
 * has a generation number so a slow answer for an old choice never overwrites a newer one.
 */
import { ApiError, apiKey } from '../api/client.js';
import { loadCommunityGraph, VIEW_LIMIT, type CommunityGraph } from '../api/community-graph.js';
import { fetchActor, fetchCentrality, fetchGraphAsOf, fetchGrowthDays, fetchCommunityNames, fetchCompleteness, fetchHashtags, fetchMutualFollows, fetchSuggestions } from '../api/queries.js';
import type { CommunityAlgorithm, Completeness, ExportFormat, HashtagStats, RankedActor, Scope } from '../api/types.js';
import { applyServerCommunities, assignCommunities, nameCommunities, type CommunityAssignment } from '../graph/communities.js';
import { placeAt, placeByCommunity, placeFromPrevious } from '../graph/initial-positions.js';
import { buildViewModel, positionsOf, type ViewModel } from '../graph/model.js';
import { applySizes, isLocalMetric, largestNodes, localScores, SIZE_METRICS, type SizeMetric } from '../graph/sizes.js';
import { clear, compact, h } from '../ui/dom.js';
import { renderLegend } from '../ui/legend.js';
import { LiveUpdates } from './live-updates.js';
import { ProfilePanel } from '../ui/profile-panel.js';
import { SearchBox } from '../ui/search-box.js';
import { exportAndDownload } from './download.js';
import { edgeBudget, renderCapability, type RenderCapability } from './edge-budget.js';
import { LayoutCache, type LayoutKey } from './layout-cache.js';
import { layoutBudgetMs, runLayout, type LayoutRun } from './layout.js';
import { GraphRenderer } from './renderer.js';
import { readUrlState, writeUrlState, type ViewState } from './url-state.js';

export type Phase = 'starting' | 'loading' | 'layout' | 'ready' | 'empty' | 'error';

/**
 * Where the drawn positions of the last load came from: the browser's layout cache (same graph
 * version, nothing computed) or ForceAtlas2 in this page, seeded by community or by an older
 * cached version of the same graph.
 */
export type LayoutSource = 'cache' | 'computed' | 'reseeded';

export interface Timings {
  /** From navigation start to the first graph laid out: the page's load time. */
  navigationToReadyMs?: number;
  /** From choosing a hashtag/scope to its graph laid out. */
  loadToReadyMs?: number;
  /** The graph request(s). */
  fetchMs?: number;
  /** The size metric (a centrality request unless computed here). */
  metricMs?: number;
  /** Graph building, communities, sizes, first draw. */
  buildMs?: number;
  /** ForceAtlas2's run in this load (0 when the layout came from the cache). */
  layoutMs?: number;
  /** ForceAtlas2 iterations done at layout-ready, in this load (0 when the layout came from the cache). */
  layoutIterations?: number;
  /** Building both graphs from the answer. */
  modelMs?: number;
  /** Sigma's set-up and first frame. */
  rendererMs?: number;
  /** From the layout's start to its final positions (refinement after layout-ready included). */
  settleMs?: number;
  settledIterations?: number;
  /** From the layout's start to the worker's first iteration. */
  firstAnswerMs?: number;
}

export interface Diagnostics {
  renderer: string;
  softwareRendering: boolean;
  edgeBudget: number;
  drawnEdges: number;
  totalEdges: number;
}

/** The API's largest `first` for centrality: the top of a ranking is what sizes show anyway. */
const RANKING_PAGE = 1000;

/** A load's requests, started together: the graph and (for an API metric) the ranking that sizes it. */
interface GraphRequests {
  readonly abort: AbortController;
  readonly graph: Promise<CommunityGraph>;
  readonly ranking: Promise<RankedActor[]> | null;
}

export interface ViewElements {
  hashtag: HTMLSelectElement;
  scopeButtons: HTMLButtonElement[];
  metric: HTMLSelectElement;
  search: HTMLInputElement;
  suggestions: HTMLUListElement;
  exportButtons: HTMLButtonElement[];
  zoomButtons: HTMLButtonElement[];
  stage: HTMLElement;
  graph: HTMLElement;
  legend: HTMLElement;
  status: HTMLElement;
  overlay: HTMLElement;
  panel: HTMLElement;
  toast: HTMLElement;
}

/**
 * How many of the biggest nodes keep a label at every zoom; sigma's label grid picks the others
 * (biggest per cell), so labels never pile up.
 */
function labelCount(order: number): number {
  return order <= 40 ? order : 8;
}

export class GraphViewApp {
  readonly state: ViewState = readUrlState();
  phase: Phase = 'starting';
  error: string | null = null;
  readonly timings: Timings = {};
  readonly diagnostics: Diagnostics;
  hashtags: HashtagStats[] = [];
  model: ViewModel | null = null;
  renderer: GraphRenderer | null = null;
  truncated = false;
  /** Where the last load's positions came from (null before the first layout). */
  layoutSource: LayoutSource | null = null;
  /** No layout moves the nodes any more (final positions; they are in the cache when it was used). */
  layoutSettled = false;
  /** The graph version the drawn graph was read at. */
  graphVersion: string | null = null;
  /** The metric the drawn sizes come from (set once they are applied). */
  sizedBy: SizeMetric | null = null;
  private readonly capability: RenderCapability;
  private communities: CommunityAssignment | null = null;
  private rankOf = new Map<string, number>();
  private layout: LayoutRun | null = null;
  private generation = 0;
  private loadAbort: AbortController | null = null;
  private mutualAbort: AbortController | null = null;
  private namesAbort: AbortController | null = null;
  /** The server's community names arrived for the drawn graph (tests wait on it). */
  communityNamesState: 'none' | 'loading' | 'loaded' | 'error' = 'none';
  private completeness: Completeness | null = null;
  /** The subscription that keeps the drawn graph current (COMMUNITY scope only). */
  live: LiveUpdates | null = null;
  /** Core number of each member (from the server), and the k the filter keeps (0: off). */
  private coreOf = new Map<string, number>();
  coreFilter = 0;
  /** Days with changes (the time slider's steps), the chosen day (null: today), and what it hides. */
  private days: string[] = [];
  timeFilter: string | null = null;
  private timeHidden: { nodes: Set<string>; edges: Set<string>; shown: number } | null = null;
  private timeAbort: AbortController | null = null;
  private readonly search: SearchBox;
  private readonly panel: ProfilePanel;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private firstReady = true;
  private readonly layoutCache = LayoutCache.local();

  constructor(private readonly el: ViewElements) {
    this.search = new SearchBox(el.search, el.suggestions, (did) => this.selectActor(did, { fly: true }));
    this.panel = new ProfilePanel(el.panel, (did) => this.selectActor(did, { fly: true }), () => this.selectActor(null));
    this.capability = renderCapability();
    this.diagnostics = {
      renderer: this.capability.renderer,
      softwareRendering: this.capability.software,
      edgeBudget: edgeBudget(this.capability, this.state.edges),
      drawnEdges: 0,
      totalEdges: 0,
    };
  }

  get graph() {
    return this.model?.graph ?? null;
  }

  async start(): Promise<void> {
    this.wireControls();
    this.setPhase('loading');
    this.showOverlay('Loading hashtags…', 'busy');
    const listed = fetchHashtags().then((list) => [...list].sort((a, b) => b.members - a.members || (a.name < b.name ? -1 : 1)));
    const named = this.state.hashtag;
    if (!named) {
      try {
        this.hashtags = await listed;
      } catch (err) {
        return this.fail(err);
      }
      this.fillHashtags();
      return this.load();
    }
    // A reload (or a shared link) names its hashtag: its graph need not wait for the list (which
    // counts every hashtag's members and follows, slow on a big graph without the read model).
    this.el.hashtag.append(h('option', { value: named }, `#${named}`));
    this.el.hashtag.value = named;
    const loading = this.load();
    try {
      this.hashtags = await listed;
    } catch (err) {
      this.toast(`Could not list the hashtags: ${(err as Error).message}`);
      return loading;
    }
    const stillNamed = this.state.hashtag === named;
    this.fillHashtags();
    // Not (or no longer) in the graph: the biggest hashtag instead, as a first visit shows.
    if (stillNamed && this.state.hashtag !== named) return this.load();
    return loading;
  }

  // ---------------------------------------------------------------------------------------------
  // Controls

  private wireControls(): void {
    const { el } = this;
    for (const m of SIZE_METRICS) el.metric.append(h('option', { value: m.value }, m.label));
    el.metric.value = this.state.metric;
    el.metric.addEventListener('change', () => void this.changeMetric(el.metric.value as SizeMetric));
    el.hashtag.addEventListener('change', () => {
      this.state.hashtag = el.hashtag.value || null;
      this.state.actor = null;
      void this.load();
    });
    for (const b of el.scopeButtons) {
      b.addEventListener('click', () => {
        const scope = b.dataset.scope as Scope;
        if (scope === this.state.scope) return;
        this.state.scope = scope;
        this.markScope();
        void this.load();
      });
    }
    this.markScope();
    for (const b of el.exportButtons) b.addEventListener('click', () => void this.export(b.dataset.format as ExportFormat, b));
    for (const b of el.zoomButtons) {
      b.addEventListener('click', () => {
        if (!this.renderer) return;
        if (b.dataset.zoom === 'in') this.renderer.zoom(1.5);
        else if (b.dataset.zoom === 'out') this.renderer.zoom(1 / 1.5);
        else void this.renderer.resetCamera();
      });
    }
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.renderer?.selection()) this.selectActor(null);
      if (e.key === '/' && document.activeElement !== el.search) {
        e.preventDefault();
        el.search.focus();
      }
    });
  }

  private markScope(): void {
    for (const b of this.el.scopeButtons) {
      b.setAttribute('aria-checked', String(b.dataset.scope === this.state.scope));
    }
  }

  private fillHashtags(): void {
    const select = this.el.hashtag;
    clear(select);
    if (this.hashtags.length === 0) {
      select.append(h('option', { value: '' }, 'No hashtags yet'));
      select.disabled = true;
      this.state.hashtag = null;
      return;
    }
    for (const t of this.hashtags) select.append(h('option', { value: t.name }, `#${t.name} (${compact(t.members)})`));
    if (!this.state.hashtag || !this.hashtags.some((t) => t.name === this.state.hashtag)) {
      this.state.hashtag = this.hashtags[0]?.name ?? null;
    }
    select.value = this.state.hashtag ?? '';
    select.disabled = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  private request(hashtag: string, scope: Scope): GraphRequests {
    const abort = new AbortController();
    const metric = this.state.metric;
    const graph = loadCommunityGraph(hashtag, scope, abort.signal);
    const ranking = isLocalMetric(metric) ? null : fetchCentrality({ metric, hashtag, scope, first: RANKING_PAGE }, abort.signal);
    // Awaited later (or never, when superseded): not an unhandled rejection meanwhile.
    graph.catch(() => {});
    ranking?.catch(() => {});
    return { abort, graph, ranking };
  }

  async load(): Promise<void> {
    const generation = ++this.generation;
    this.loadAbort?.abort();
    this.teardown();
    const requests = this.state.hashtag ? this.request(this.state.hashtag, this.state.scope) : null;
    const abort = requests?.abort ?? new AbortController();
    this.loadAbort = abort;
    writeUrlState(this.state);
    const { hashtag, scope } = this.state;
    if (!hashtag) {
      this.setPhase('empty');
      this.showOverlay('Nothing to draw yet: ingest a hashtag first (bsky-graph ingest <hashtag>).', 'info');
      return;
    }
    this.setPhase('loading');
    this.showOverlay(`Loading #${hashtag}…`, 'busy');
    const started = performance.now();
    try {
      const loaded = await (requests as GraphRequests).graph;
      if (generation !== this.generation) return;
      const fetched = performance.now();
      this.timings.fetchMs = Math.round(fetched - started);
      const model = buildViewModel(loaded, this.diagnostics.edgeBudget);
      this.timings.modelMs = Math.round(performance.now() - fetched);
      Object.assign(this.diagnostics, {
        drawnEdges: model.drawnEdges,
        totalEdges: model.followCount,
      });
      this.truncated = loaded.truncated;
      this.graphVersion = loaded.graphVersion;
      this.layoutSource = null;
      if (model.graph.order === 0) {
        this.setPhase('empty');
        this.showOverlay(`#${hashtag} has no members in the graph.`, 'info');
        return;
      }
      const assignment = assignCommunities(model, `${hashtag}:${scope}`);

      // A layout-budget override (tests, demos) draws something other than the settled layout:
      // neither read nor written.
      const cacheKey: LayoutKey | null = this.state.layoutMs === null ? { hashtag, scope, limit: VIEW_LIMIT, graphVersion: loaded.graphVersion } : null;
      const ids = model.graph.nodes();
      const cached = cacheKey ? this.layoutCache.read(cacheKey, ids) : null;
      const layoutStarted = performance.now();
      let layout: LayoutRun | null = null;
      if (cached?.kind === 'exact') {
        placeAt(model.graph, cached.positions);
        // Stored before it settled (the page was left during refinement): refine the rest after ready.
        if (!cached.settled) {
          layout = runLayout(model, layoutBudgetMs(model.graph.order) / 2);
          this.layout = layout;
        }
      } else {
        placeByCommunity(model.graph, `${hashtag}:${scope}`);
        if (cached?.kind === 'seed') placeFromPrevious(model.graph, (node, each) => model.follows.forEachNeighbor(node, each), cached.positions, `${hashtag}:${scope}`);
        // Mostly known positions only need the new actors settled in.
        const reseeded = cached?.kind === 'seed' && cached.known >= 0.8 * ids.length;
        const budget = this.state.layoutMs ?? layoutBudgetMs(model.graph.order) / (reseeded ? 3 : 1);
        // Started before the sizes and the first frame: the worker's start-up overlaps them.
        layout = runLayout(model, budget);
        this.layout = layout;
      }

      const metricStarted = performance.now();
      await this.applyMetric(model, abort.signal, requests?.ranking ?? null);
      if (generation !== this.generation) return;
      const metricMs = performance.now() - metricStarted;
      this.timings.metricMs = Math.round(metricMs);
      this.communities = nameCommunities(model.graph, assignment);
      this.model = model;
      const rendererStarted = performance.now();
      this.renderer = new GraphRenderer(
        model,
        this.el.graph,
        { onNodeClick: (did) => this.selectActor(did, { fly: false }), onStageClick: () => this.selectActor(null) },
        // Edges stay hidden while FA2 moves everything before layout-ready (not while it refines a cached layout).
        { alwaysLabelled: largestNodes(model.graph, labelCount(model.graph.order)), layoutRunning: cached?.kind !== 'exact' && layout?.isRunning() === true },
      );
      this.timings.rendererMs = Math.round(performance.now() - rendererStarted);
      this.search.setGraph(model.graph);
      this.renderLegend();
      this.hideOverlay();
      this.timings.buildMs = Math.round(performance.now() - fetched - metricMs);
      const pending = this.state.actor ? this.findActor(this.state.actor) : null;
      if (pending) this.selectActor(pending, { fly: false });

      let iterations = 0;
      this.layoutSettled = layout === null;
      if (cached?.kind === 'exact') {
        this.layoutSource = 'cache';
        if (layout) void this.settle(generation, layout, layoutStarted, cacheKey, ids);
      } else if (layout) {
        this.setPhase('layout');
        iterations = await layout.ready;
        if (generation !== this.generation) return;
        // Usable from here; FA2 keeps refining (edges drawn) until its budget is spent. Kept now
        // too, so a reload during the refinement is a cache hit (and refines the rest).
        this.renderer.setLayoutRunning(false);
        this.layoutSource = cached?.kind === 'seed' ? 'reseeded' : 'computed';
        this.timings.firstAnswerMs = Math.round(layout.firstAnswerMs() ?? 0);
        if (cacheKey && layout.isRunning()) this.layoutCache.write(cacheKey, ids, positionsOf(model.graph), iterations, false);
        void this.settle(generation, layout, layoutStarted, cacheKey, ids);
      }
      const now = performance.now();
      this.timings.layoutIterations = iterations;
      this.timings.layoutMs = Math.round(now - layoutStarted);
      this.timings.loadToReadyMs = Math.round(now - started);
      if (this.firstReady) this.timings.navigationToReadyMs = Math.round(now);
      this.firstReady = false;
      this.setPhase('ready');
      if (pending) void this.renderer.focus(pending, this.panelWidth());
      // Names (and another algorithm's partition) after the first frame: a cold computation takes seconds.
      void this.loadCommunityNames(generation, model);
      this.startLive(generation, model, hashtag, scope);
      // A cached layout drew without the follows graph: build it now rather than on the first click.
      setTimeout(() => {
        if (this.model === model) void model.follows.order;
      }, 0);
    } catch (err) {
      if (abort.signal.aborted || generation !== this.generation) return;
      this.fail(err);
    }
  }

  /** After layout-ready: waits for the final positions and keeps them for the next load. */
  private async settle(generation: number, layout: LayoutRun, started: number, key: LayoutKey | null, ids: string[]): Promise<void> {
    const iterations = await layout.done;
    const model = this.model;
    if (generation !== this.generation || !model) return;
    this.timings.settledIterations = iterations;
    this.timings.settleMs = Math.round(performance.now() - started);
    // Stopped early (teardown) is not settled; the next load computes again.
    if (key && layout === this.layout) this.layoutCache.write(key, ids, positionsOf(model.graph), iterations);
    this.layoutSettled = true;
    if (this.layout === layout) this.layout = null;
  }

  private teardown(): void {
    this.layout?.stop();
    this.layout = null;
    this.mutualAbort?.abort();
    this.namesAbort?.abort();
    this.live?.close();
    this.live = null;
    this.communityNamesState = 'none';
    this.completeness = null;
    this.coreOf = new Map();
    this.coreFilter = 0;
    this.timeAbort?.abort();
    this.days = [];
    this.timeFilter = null;
    this.timeHidden = null;
    this.panel.hide();
    this.el.stage.classList.remove('panel-open');
    this.renderer?.kill();
    this.renderer = null;
    this.model = null;
    this.search.setGraph(null);
    this.el.legend.hidden = true;
  }

  private fail(err: unknown): void {
    this.error = err instanceof Error ? err.message : String(err);
    this.setPhase('error');
    const code = err instanceof ApiError ? ` (${err.code})` : '';
    this.showOverlay(`Could not load the graph: ${this.error}${code}`, 'error');
  }

  // ---------------------------------------------------------------------------------------------
  // Sizes

  private async applyMetric(model: ViewModel, signal?: AbortSignal, ranking: Promise<RankedActor[]> | null = null): Promise<void> {
    const metric = this.state.metric;
    const scores = await this.scoresFor(model, metric, signal, ranking);
    applySizes(model.graph, scores);
    this.sizedBy = metric;
    const ranked = [...scores.entries()].filter((e): e is [string, number] => e[1] !== null).sort((a, b) => b[1] - a[1]);
    this.rankOf = new Map(ranked.map(([did], i) => [did, i + 1]));
  }

  private async scoresFor(model: ViewModel, metric: SizeMetric, signal?: AbortSignal, prefetched: Promise<RankedActor[]> | null = null): Promise<Map<string, number | null>> {
    if (isLocalMetric(metric)) return localScores(model, metric);
    const { hashtag, scope } = this.state;
    try {
      const ranked = await (prefetched ?? fetchCentrality({ metric, hashtag: hashtag as string, scope, first: Math.min(model.graph.order, RANKING_PAGE) }, signal));
      const scores = new Map<string, number | null>();
      model.graph.forEachNode((node) => scores.set(node, null));
      for (const r of ranked) if (scores.has(r.actor.did)) scores.set(r.actor.did, r.score);
      return scores;
    } catch (err) {
      if (signal?.aborted) throw err;
      const stored = localScores(model, 'PAGERANK');
      const hasStored = metric === 'PAGERANK' && [...stored.values()].some((s) => s !== null);
      const label = SIZE_METRICS.find((m) => m.value === metric)?.label ?? metric;
      this.toast(`${label} is not available (${(err as Error).message}); ${hasStored ? 'using stored PageRank' : 'sizing by followers here'}.`);
      return hasStored ? stored : localScores(model, 'IN_DEGREE');
    }
  }

  private async changeMetric(metric: SizeMetric): Promise<void> {
    this.state.metric = metric;
    writeUrlState(this.state);
    const { model, renderer } = this;
    if (!model || !renderer) return;
    const generation = this.generation;
    await this.applyMetric(model);
    if (generation !== this.generation || !this.communities) return;
    this.communities = nameCommunities(model.graph, this.communities);
    renderer.setAlwaysLabelled(largestNodes(model.graph, labelCount(model.graph.order)));
    this.search.refresh();
    this.renderLegend();
    const selected = renderer.selection();
    if (selected) this.selectActor(selected, { fly: false });
  }

  private metricInfo() {
    return SIZE_METRICS.find((m) => m.value === this.state.metric) ?? SIZE_METRICS[0]!;
  }

  private renderLegend(): void {
    if (!this.model || !this.communities) return;
    const pickable = this.state.scope === 'COMMUNITY' && this.state.hashtag !== null;
    renderLegend(
      this.el.legend,
      this.communities,
      this.metricInfo().explain,
      { nodes: this.model.graph.order, edges: this.model.followCount, drawnEdges: this.model.drawnEdges },
      {
        onAlgorithm: pickable ? (algorithm) => this.setAlgorithm(algorithm) : null,
        completeness: this.completeness,
        core: this.coreOf.size > 0 ? { max: Math.max(...this.coreOf.values()), value: this.coreFilter, kept: this.coreKept(), onChange: (k) => this.setCoreFilter(k) } : null,
        time: pickable && this.days.length > 0 ? { days: this.days, value: this.timeFilter, shown: this.timeHidden?.shown ?? null, onChange: (day) => void this.setTimeFilter(day) } : null,
      },
    );
  }

  /** Shows only actors whose core number is at least k (0 shows everyone). */
  setCoreFilter(k: number): void {
    this.coreFilter = k;
    this.applyFilters();
  }

  /** Shows the graph as it stood at the end of `day` (null: today), keeping the layout. */
  async setTimeFilter(day: string | null): Promise<void> {
    const { hashtag } = this.state;
    const model = this.model;
    this.timeAbort?.abort();
    this.timeFilter = day;
    if (day === null || !hashtag || !model) {
      this.timeHidden = null;
      return this.applyFilters();
    }
    const abort = new AbortController();
    this.timeAbort = abort;
    try {
      const then = await fetchGraphAsOf(hashtag, `${day}T23:59:59.999Z`, abort.signal);
      if (this.model !== model || this.timeFilter !== day) return;
      const present = new Set(then.nodes.map((n) => n.did));
      const edges = new Set<string>();
      for (let i = 0; i + 1 < then.edgeIndex.length; i += 2) edges.add(`${then.nodes[then.edgeIndex[i]!]!.did} ${then.nodes[then.edgeIndex[i + 1]!]!.did}`);
      const nodes = new Set<string>();
      const hiddenEdges = new Set<string>();
      model.graph.forEachNode((node) => {
        if (!present.has(node)) nodes.add(node);
      });
      model.graph.forEachEdge((_e, _a, s, t) => {
        if (!edges.has(`${s} ${t}`)) hiddenEdges.add(`${s} ${t}`);
      });
      this.timeHidden = { nodes, edges: hiddenEdges, shown: model.graph.order - nodes.size };
      this.applyFilters();
    } catch (err) {
      if (!abort.signal.aborted) this.toast(`Could not load the graph of ${day}: ${(err as Error).message}`);
    }
  }

  /** The k-core and time filters together. */
  private applyFilters(): void {
    const hidden = new Set<string>(this.timeHidden?.nodes ?? []);
    if (this.coreFilter > 0) {
      this.model?.graph.forEachNode((node) => {
        if ((this.coreOf.get(node) ?? 0) < this.coreFilter) hidden.add(node);
      });
    }
    this.renderer?.setHidden(hidden, this.timeHidden?.edges ?? new Set());
    this.renderLegend();
  }

  private coreKept(): number {
    let kept = 0;
    this.model?.graph.forEachNode((node) => {
      if ((this.coreOf.get(node) ?? 0) >= this.coreFilter) kept++;
    });
    return kept;
  }

  /** Follows and members the server's watcher commits, drawn as they arrive. */
  private startLive(generation: number, model: ViewModel, hashtag: string, scope: Scope): void {
    this.live?.close();
    this.live = null;
    if (scope !== 'COMMUNITY' || typeof WebSocket === 'undefined') return;
    this.live = new LiveUpdates(model, hashtag, {
      fetchActor: (did) => fetchActor(did, hashtag),
      changed: ({ newMembers }) => {
        if (generation !== this.generation) return;
        this.renderer?.sigma.refresh();
        this.renderLegend();
        this.renderStatus();
        if (newMembers) this.toast(`${newMembers} new member${newMembers === 1 ? '' : 's'} of #${hashtag}`);
      },
      ingestFinished: () => {
        if (generation === this.generation) this.toast(`A crawl of #${hashtag} finished: reload to see everything it changed.`);
      },
    });
  }

  /** Recolours by another algorithm's partition (the server computes it; the layout stays). */
  setAlgorithm(algorithm: CommunityAlgorithm): void {
    if (algorithm === this.state.algorithm || !this.model) return;
    this.state.algorithm = algorithm;
    writeUrlState(this.state);
    void this.loadCommunityNames(this.generation, this.model);
  }

  private async loadCommunityNames(generation: number, model: ViewModel): Promise<void> {
    const { hashtag, scope, algorithm } = this.state;
    if (!hashtag || scope !== 'COMMUNITY' || !this.communities) return;
    this.namesAbort?.abort();
    const abort = new AbortController();
    this.namesAbort = abort;
    this.communityNamesState = 'loading';
    // Best effort: the legend works without them.
    fetchGrowthDays(hashtag, abort.signal).then(
      (days) => {
        if (generation !== this.generation || this.model !== model) return;
        this.days = days.map((d) => d.start);
        this.renderLegend();
      },
      () => undefined,
    );
    fetchCompleteness(hashtag, abort.signal).then(
      (c) => {
        if (generation !== this.generation || this.model !== model) return;
        this.completeness = c;
        this.renderLegend();
      },
      () => undefined,
    );
    try {
      const communities = await fetchCommunityNames({ hashtag, algorithm }, abort.signal);
      if (generation !== this.generation || this.model !== model || !this.communities) return;
      this.communities = nameCommunities(model.graph, applyServerCommunities(model, this.communities, algorithm, communities));
      this.coreOf = new Map(communities.flatMap((c) => c.memberDids.map((did, i) => [did, c.coreNumbers[i] ?? 0] as [string, number])));
      this.setCoreFilter(this.coreFilter);
      const selected = this.renderer?.selection();
      if (selected) this.selectActor(selected, { fly: false });
      this.communityNamesState = 'loaded';
    } catch (err) {
      if (abort.signal.aborted) return;
      this.communityNamesState = 'error';
      this.toast(`Community names: ${(err as Error).message}`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Selection

  /** A DID, or a handle (with or without @), to the DID of a drawn node. */
  findActor(ref: string): string | null {
    const graph = this.graph;
    if (!graph) return null;
    if (graph.hasNode(ref)) return ref;
    const handle = ref.replace(/^@/, '').toLowerCase();
    return graph.findNode((_, a) => a.actor.handle?.toLowerCase() === handle) ?? null;
  }

  selectActor(did: string | null, opts: { fly?: boolean } = {}): void {
    const { model, renderer } = this;
    if (!model || !renderer) return;
    this.mutualAbort?.abort();
    if (did === null || !model.graph.hasNode(did)) {
      renderer.select(null);
      this.panel.hide();
      this.el.stage.classList.remove('panel-open');
      this.state.actor = null;
      writeUrlState(this.state);
      return;
    }
    const attrs = model.graph.getNodeAttributes(did);
    renderer.select(did);
    const group = this.communities?.coloured.find((c) => c.id === attrs.community);
    const suggestionsFor = this.state.scope === 'COMMUNITY' ? this.state.hashtag : null;
    this.panel.show(attrs.actor, {
      model,
      metricLabel: this.metricInfo().label,
      rank: this.rankOf.get(did) ?? null,
      communityLabel: group ? `${group.label ? `${group.label}: community of` : 'Community of'} ${group.top.join(', ')} (${compact(group.size)} actors)` : attrs.community >= 0 ? 'A small community' : null,
      suggestionsFor,
    });
    this.el.stage.classList.add('panel-open');
    this.state.actor = attrs.actor.handle ?? did;
    writeUrlState(this.state);
    if (opts.fly) void renderer.focus(did, this.panelWidth());

    const abort = new AbortController();
    this.mutualAbort = abort;
    const hashtag = this.state.scope === 'COMMUNITY' ? this.state.hashtag : null;
    fetchMutualFollows({ actor: did, hashtag, first: 100 }, abort.signal).then(
      (page) => this.panel.showMutuals(did, page, model.graph),
      (err: unknown) => {
        if (!abort.signal.aborted) this.panel.showMutualsError(did, (err as Error).message);
      },
    );
    if (suggestionsFor) {
      fetchSuggestions({ actor: did, hashtag: suggestionsFor, first: 8 }, abort.signal).then(
        (list) => this.panel.showSuggestions(did, list, model.graph),
        (err: unknown) => {
          if (!abort.signal.aborted) this.panel.showSuggestionsError(did, (err as Error).message);
        },
      );
    }
  }

  /** Pixels the side panel covers on the right of the graph (0 when closed). */
  private panelWidth(): number {
    if (this.el.panel.hidden) return 0;
    const graph = this.el.graph.getBoundingClientRect();
    return Math.max(0, graph.right - this.el.panel.getBoundingClientRect().left);
  }

  // ---------------------------------------------------------------------------------------------
  // Export

  private async export(format: ExportFormat, button: HTMLButtonElement): Promise<void> {
    const { hashtag, scope } = this.state;
    if (!hashtag) return;
    button.disabled = true;
    try {
      const prepared = await this.withApiKey(() => exportAndDownload({ hashtag, scope, format }));
      this.toast(`Exported ${compact(prepared.rows)} rows (${compact(prepared.bytes)}B) as ${format}.`);
    } catch (err) {
      this.toast(`Export failed: ${(err as Error).message}`);
    } finally {
      button.disabled = false;
    }
  }

  /** Asks once for the server's API key when a mutation is refused, then retries. */
  private async withApiKey<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'UNAUTHENTICATED') throw err;
      const key = window.prompt('This server needs its API key for exports:');
      if (!key) throw err;
      apiKey.set(key);
      return run();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Status

  private setPhase(phase: Phase): void {
    this.phase = phase;
    document.body.dataset.phase = phase;
    if (phase !== 'error') this.error = null;
    this.renderStatus();
  }

  private renderStatus(): void {
    const { model } = this;
    const parts: string[] = [];
    if (model) {
      parts.push(`${compact(model.graph.order)} actors`, `${compact(model.followCount)} follows`);
      if (model.drawnEdges < model.followCount) parts.push(`${compact(model.drawnEdges)} drawn`);
    }
    if (this.phase === 'layout') parts.push('arranging…');
    if (this.phase === 'ready' && this.timings.loadToReadyMs !== undefined) parts.push(`ready in ${(this.timings.loadToReadyMs / 1000).toFixed(1)} s`);
    if (this.truncated && model) parts.push('truncated by the server');
    this.el.status.textContent = parts.join(' · ');
  }

  private showOverlay(text: string, kind: 'busy' | 'info' | 'error'): void {
    clear(this.el.overlay);
    this.el.overlay.append(h('div', { class: `message ${kind === 'error' ? 'error' : ''}`, testid: `overlay-${kind}` }, kind === 'busy' ? h('span', { class: 'spinner' }) : null, text));
    this.el.overlay.hidden = false;
  }

  private hideOverlay(): void {
    this.el.overlay.hidden = true;
  }

  private toast(text: string): void {
    this.el.toast.textContent = text;
    this.el.toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.el.toast.hidden = true), 6000);
  }
}
