/**
 * ForceAtlas2 in a web worker (graphology's supervisor) on every follow: the main thread only
 * receives positions, copies them to the drawn graph, and stays responsive while thousands of
 * nodes settle. The run stops by itself after a budget of a few seconds; FA2 has no convergence
 * signal, and a settled graph only jitters.
 */
import forceAtlas2 from 'graphology-layout-forceatlas2';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import { seedPositions, syncPositions, type ViewModel } from '../graph/model.js';

export interface LayoutRun {
  /** Resolves with the number of FA2 iterations applied when the run stopped (budget spent or `stop()`). */
  readonly done: Promise<number>;
  stop(): void;
  isRunning(): boolean;
}

/** Bigger graphs get a little longer, never more than a few seconds. */
export function layoutBudgetMs(order: number): number {
  return Math.round(Math.min(5000, Math.max(2000, 1500 + order * 1.5)));
}

/** At most this often the drawn graph gets new positions (≈ 30 fps). */
const MIN_SYNC_MS = 33;

export function runLayout(model: ViewModel, budgetMs: number): LayoutRun {
  const { graph, follows } = model;
  if (follows.order < 2 || budgetMs <= 0) {
    return { done: Promise.resolve(0), stop() {}, isRunning: () => false };
  }
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
      clearTimeout(timer);
      timer = setTimeout(stop, budgetMs);
    }
    iterations++;
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
    finish(iterations);
  };
  // Until the first answer, a generous guard in case the worker never answers.
  let timer = setTimeout(stop, budgetMs * 4);
  layout.start();
  return { done, stop, isRunning: () => running };
}
