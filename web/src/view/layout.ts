/**
 * ForceAtlas2 in a web worker (graphology's supervisor) on every follow: the main thread only
 * receives positions, copies them to the drawn graph, and stays responsive while thousands of
 * nodes settle. The run stops by itself after a budget of a few seconds; FA2 has no convergence
 * signal, and a settled graph only jitters.
 *
 * Two moments: `ready`, once the community-seeded start has had enough iterations that groups
 * and their bridges are where they will stay (what the user needs to start reading and clicking),
 * and `done`, when the budget is spent and the positions are final (what the layout cache keeps).
 * Between the two FA2 only refines: nodes drift by a few pixels.
 */
import forceAtlas2 from 'graphology-layout-forceatlas2';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import { seedPositions, syncPositions, type ViewModel } from '../graph/model.js';

export interface LayoutRun {
  /** Resolves with the iterations so far once the layout is usable (see READY_ITERATIONS), or at `done`. */
  readonly ready: Promise<number>;
  /** Resolves with the number of FA2 iterations applied when the run stopped (budget spent or `stop()`). */
  readonly done: Promise<number>;
  /** ms from the start to the worker's first iteration (spawn, graph transfer, a busy main thread); null before. */
  firstAnswerMs(): number | null;
  stop(): void;
  isRunning(): boolean;
}

/** Bigger graphs get a little longer, never more than a few seconds. */
export function layoutBudgetMs(order: number): number {
  return Math.round(Math.min(5000, Math.max(2000, 1500 + order * 1.5)));
}

/** At most this often the drawn graph gets new positions (≈ 30 fps). */
const MIN_SYNC_MS = 33;

/**
 * From community-seeded starting positions, about a hundred iterations separate the groups and
 * place the bridges between them (≈ 1 s for 1,500 nodes and 100,000 follows on a laptop core); later
 * iterations only tighten each group. After READY_MS, MIN_READY_ITERATIONS will do (the groups
 * stand apart by then); fewer are never called ready, however slow the machine (or the budget ends first).
 */
export const READY_ITERATIONS = 100;
export const MIN_READY_ITERATIONS = 40;
export const READY_MS = 1200;

export function runLayout(model: ViewModel, budgetMs: number): LayoutRun {
  const { graph, follows } = model;
  if (follows.order < 2 || budgetMs <= 0) {
    return { ready: Promise.resolve(0), done: Promise.resolve(0), stop() {}, isRunning: () => false, firstAnswerMs: () => null };
  }
  const started = performance.now();
  let firstAnswer: number | null = null;
  seedPositions(graph, follows);
  const inferred = forceAtlas2.inferSettings(follows);
  const layout = new FA2Layout(follows, {
    settings: {
      ...inferred,
      // LinLog + dissuade hubs: tighter, better separated communities in follow graphs.
      linLogMode: true,
      outboundAttractionDistribution: true,
      // Exact repulsion is n² but tight (≈ 8 ms an iteration for 1,500 nodes); graphology's
      // Barnes-Hut was ~80× slower than that on clustered starting positions. Worth it only beyond.
      barnesHutOptimize: follows.order > 4000,
      gravity: 1,
      scalingRatio: follows.order > 1000 ? 4 : 2,
      slowDown: 2,
    },
    getEdgeWeight: null,
  });
  let finish: (iterations: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  let declareReady: (iterations: number) => void = () => {};
  const ready = new Promise<number>((resolve) => (declareReady = resolve));
  let readyTimer: ReturnType<typeof setTimeout> | undefined;
  let isReady = false;
  let timeUp = false;
  const markReady = () => {
    clearTimeout(readyTimer);
    if (isReady) return;
    isReady = true;
    syncPositions(follows, graph);
    declareReady(iterations);
  };
  // Each worker iteration lands as one batch update of every node's x/y.
  //
  // The worker iterates again only once the main thread took its last answer, and every copy of
  // the positions into the drawn graph costs a frame: a few ms on a GPU, most of a second with
  // software WebGL (which also stalls on read-backs). So the gap after a copy is measured, and the
  // next copy waits twice that long: the worker keeps at least two thirds of the time.
  let iterations = 0;
  let lastSync = -Infinity;
  let lastMessage = performance.now();
  let syncedBefore = false;
  let frameCost = 0;
  const onIteration = () => {
    // The budget counts from the first answer: spawning the worker and the first frame (shader
    // compilation, label atlas) take seconds without a GPU and must not eat the layout itself.
    if (iterations === 0) {
      firstAnswer = performance.now() - started;
      clearTimeout(timer);
      timer = setTimeout(stop, budgetMs);
      readyTimer = setTimeout(() => {
        timeUp = true;
        if (iterations >= MIN_READY_ITERATIONS) markReady();
      }, READY_MS);
    }
    iterations++;
    if (iterations >= READY_ITERATIONS || (timeUp && iterations >= MIN_READY_ITERATIONS)) markReady();
    // Before layout-ready the first frame (community-seeded positions) stays up: a copy there would
    // cost a frame per iteration that the worker spends waiting (it iterates only once the main
    // thread took its answer), and the iterations to ready are what a first load waits for.
    if (!isReady) return;
    const now = performance.now();
    if (syncedBefore) frameCost = now - lastMessage;
    lastMessage = now;
    syncedBefore = now - lastSync >= Math.max(MIN_SYNC_MS, frameCost * 2);
    if (!syncedBefore) return;
    lastSync = now;
    syncPositions(follows, graph);
  };
  follows.on('eachNodeAttributesUpdated', onIteration);
  let running = true;
  const stop = () => {
    if (!running) return;
    running = false;
    clearTimeout(timer);
    layout.kill();
    follows.off('eachNodeAttributesUpdated', onIteration);
    syncPositions(follows, graph);
    markReady();
    finish(iterations);
  };
  // Until the first answer, a generous guard in case the worker never answers.
  let timer = setTimeout(stop, budgetMs * 4);
  layout.start();
  return { ready, done, stop, isRunning: () => running, firstAnswerMs: () => firstAnswer };
}
