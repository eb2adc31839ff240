/**
 * The load the latency benchmarks offer: HDR histograms, an open loop (requests on a fixed
 * schedule, latency from the scheduled instant), one closed-loop client, and POST /graphql with
 * the wire size measured. bench/open-loop-worker.ts runs the open loop on its own thread and heap.
 */
import { Agent, request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as hdr from 'hdr-histogram-js';
import { round } from './support.js';
// ---------------------------------------------------------------------------------------------
// Histograms and the three ways of issuing load

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Nanoseconds, 3 significant digits: sub-microsecond in-memory reads and multi-second queues alike. */
export class LatencyHistogram {
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000_000, numberOfSignificantValueDigits: 3 });
  recordMs(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * 1e6)));
  }
  recordNs(ns: bigint): void {
    this.h.recordValue(Math.max(1, Number(ns)));
  }
  get count(): number {
    return this.h.totalCount;
  }
  summary(): LatencySummary {
    const ms = (ns: number) => round(ns / 1e6, ns < 1e5 ? 4 : 2);
    if (this.h.totalCount === 0) return { count: 0, p50Ms: NaN, p90Ms: NaN, p99Ms: NaN, maxMs: NaN, meanMs: NaN };
    return {
      count: this.h.totalCount,
      p50Ms: ms(this.h.getValueAtPercentile(50)),
      p90Ms: ms(this.h.getValueAtPercentile(90)),
      p99Ms: ms(this.h.getValueAtPercentile(99)),
      maxMs: ms(this.h.maxValue),
      meanMs: ms(this.h.mean),
    };
  }
}

export interface LoadResult extends LatencySummary {
  offeredRate: number;
  seconds: number;
  /** Answered requests per second, from the first scheduled send to the last answer. */
  achievedRate: number;
  errors: number;
  timeouts: number;
  /** How late the scheduler sent the latest request (the bench's own lag, included in latency). */
  maxSendLagMs: number;
  sendLagP50Ms: number;
  sendLagP99Ms: number;
  firstError?: string;
}

export class TimeoutError extends Error {}

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`no answer in ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Open loop: request i leaves at start + i / rate, whatever happened to the earlier ones; its latency
 * runs from that scheduled instant, so a server that falls behind shows its queue in the figures.
 * Requests still unanswered `timeoutMs` after their schedule count as timeouts.
 */
export async function openLoop(rate: number, seconds: number, timeoutMs: number, send: (i: number) => Promise<void>): Promise<LoadResult> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const histogram = new LatencyHistogram();
  let errors = 0;
  let timeouts = 0;
  let maxSendLagMs = 0;
  const sendLag = new LatencyHistogram();
  let lastAnswer = 0;
  let firstError: string | undefined;
  const start = performance.now() + 2;
  const inFlight: Promise<void>[] = [];
  const fire = async (i: number, scheduled: number) => {
    try {
      await withTimeout(send(i), timeoutMs);
      const done = performance.now();
      histogram.recordMs(done - scheduled);
      lastAnswer = Math.max(lastAnswer, done);
    } catch (err) {
      if (err instanceof TimeoutError) timeouts++;
      else errors++;
      firstError ??= (err as Error).message.slice(0, 300);
    }
  };
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        const scheduled = start + next * interval;
        maxSendLagMs = Math.max(maxSendLagMs, now - scheduled);
        sendLag.recordMs(now - scheduled);
        inFlight.push(fire(next++, scheduled));
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    setTimeout(tick, 2);
  });
  await Promise.all(inFlight);
  const elapsed = Math.max(interval * total, lastAnswer - start) / 1000;
  return {
    ...histogram.summary(),
    offeredRate: rate,
    seconds,
    achievedRate: round(histogram.count / elapsed, 1),
    errors,
    timeouts,
    maxSendLagMs: round(maxSendLagMs, 2),
    // How late the generator's timer sent (included in the latencies above, which run from the schedule).
    sendLagP50Ms: sendLag.summary().p50Ms,
    sendLagP99Ms: sendLag.summary().p99Ms,
    ...(firstError ? { firstError } : {}),
  };
}

export interface ClosedLoopResult extends LatencySummary {
  requests: number;
  errors: number;
  firstError?: string;
}

/** One client: `requests` requests one after the other (fewer, but at least 3, past `maxSeconds`). */
export async function oneClient(requests: number, timeoutMs: number, send: (i: number) => Promise<void>, maxSeconds = Infinity): Promise<ClosedLoopResult> {
  const histogram = new LatencyHistogram();
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    if (i >= 3 && performance.now() - started > maxSeconds * 1000) {
      requests = i;
      break;
    }
    const t = performance.now();
    try {
      await withTimeout(send(i), timeoutMs);
      histogram.recordMs(performance.now() - t);
    } catch (err) {
      errors++;
      firstError ??= (err as Error).message.slice(0, 300);
    }
  }
  return { ...histogram.summary(), requests, errors, ...(firstError ? { firstError } : {}) };
}

// ---------------------------------------------------------------------------------------------
// GraphQL over HTTP

export interface GraphQLAnswer {
  status: number;
  /** Bytes received (compressed when the server compressed). */
  wireBytes: number;
  encoding: string | null;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string }> };
}

/** POST /graphql on a keep-alive agent; the body is decompressed here so the wire size is known. */
export function postGraphQL(agent: Agent, url: URL, payload: string, acceptEncoding: string | null, timeoutMs: number): Promise<GraphQLAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const raw = Buffer.concat(chunks);
            const encoding = (res.headers['content-encoding'] as string | undefined) ?? null;
            const text = (encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
            resolve({ status: res.statusCode ?? 0, wireBytes: raw.length, encoding, body: JSON.parse(text) as GraphQLAnswer['body'] });
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new TimeoutError(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
