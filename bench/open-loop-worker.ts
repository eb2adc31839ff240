/**
 * The open loop on a thread of its own: its own event loop and heap, so the benchmark process's
 * garbage collections (it holds a million-edge index and the raw Cypher answers) never delay a
 * scheduled send or the reading of an answer. It is given the request bodies up front and checks
 * each answer (HTTP 200, data, no errors); latency is from the scheduled instant, as in openLoop.
 */
import { Agent } from 'node:http';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { openLoop, postGraphQL, type LoadResult } from './load-generator.js';

export interface OpenLoopSpec {
  readonly url: string;
  readonly rate: number;
  readonly seconds: number;
  readonly timeoutMs: number;
  readonly acceptEncoding: string | null;
  /** Request i sends payloads[i % payloads.length]. */
  readonly payloads: readonly string[];
}

export interface OpenLoopOutcome {
  readonly result: LoadResult;
  readonly wire: { meanBytes: number; maxBytes: number };
}

/** Runs one open loop in a new worker and returns what it measured. */
export function openLoopInWorker(spec: OpenLoopSpec): Promise<OpenLoopOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./open-loop-worker.ts', import.meta.url), { workerData: spec });
    worker.once('message', (m: OpenLoopOutcome) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`open-loop worker exited with ${code}`)));
  });
}

async function run(spec: OpenLoopSpec): Promise<OpenLoopOutcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const url = new URL(spec.url);
  let wireBytes = 0;
  let maxBytes = 0;
  let answers = 0;
  const result = await openLoop(spec.rate, spec.seconds, spec.timeoutMs, async (i) => {
    const res = await postGraphQL(agent, url, spec.payloads[i % spec.payloads.length]!, spec.acceptEncoding, spec.timeoutMs);
    if (res.status !== 200 || res.body.errors?.length || !res.body.data) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body.errors ?? res.body).slice(0, 300)}`);
    wireBytes += res.wireBytes;
    maxBytes = Math.max(maxBytes, res.wireBytes);
    answers++;
  });
  agent.destroy();
  return { result, wire: { meanBytes: Math.round(wireBytes / Math.max(1, answers)), maxBytes } };
}

if (parentPort && (workerData as OpenLoopSpec | undefined)?.payloads) parentPort.postMessage(await run(workerData as OpenLoopSpec));
