/**
 * The transport's body reading, against an injected `baseFetch` whose bodies are streams that
 * honour the request's AbortSignal the way undici's do: caps, the whole-attempt deadline, and
 * cancellation of a download in progress.
 */
import { describe, expect, it } from '@jest/globals';
import { RateBudget } from '../../../src/ingest/rate-budget.js';
import { XrpcBodyTooLargeError, XrpcRetriesExhaustedError, XrpcTransport, type XrpcTransportOptions } from '../../../src/ingest/xrpc-transport.js';

const URL_ = 'http://upstream.test/xrpc/app.bsky.graph.getFollows?actor=did:plc:a';

interface Served {
  /** Bytes sent before the drip (or all of it when `tickMs` is absent). */
  body: Uint8Array;
  /** Then one byte every tickMs, forever. */
  tickMs?: number;
  headers?: Record<string, string>;
  status?: number;
}

/** A fake upstream: each call takes the next answer (the last one repeats) and records its signal. */
function upstream(answers: Served[]) {
  const signals: AbortSignal[] = [];
  let calls = 0;
  const baseFetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const a = answers[Math.min(calls, answers.length - 1)]!;
    calls++;
    const signal = init!.signal!;
    signals.push(signal);
    let timer: NodeJS.Timeout | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        signal.addEventListener('abort', () => {
          clearInterval(timer);
          try {
            controller.error(signal.reason);
          } catch {
            /* already closed */
          }
        });
        controller.enqueue(a.body);
        if (a.tickMs === undefined) return controller.close();
        timer = setInterval(() => controller.enqueue(new Uint8Array([0x20])), a.tickMs);
      },
      cancel() {
        clearInterval(timer);
      },
    });
    return new Response(stream, { status: a.status ?? 200, headers: { 'content-type': 'application/json', ...a.headers } });
  }) as typeof fetch;
  return { baseFetch, signals, calls: () => calls };
}

function transport(baseFetch: typeof fetch, extra: Partial<XrpcTransportOptions> = {}) {
  return new XrpcTransport({
    budget: new RateBudget({ requests: 1000, seconds: 1 }),
    concurrency: 4,
    maxRetries: 2,
    timeoutMs: 5_000,
    random: () => 0,
    baseFetch,
    ...extra,
  });
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('XrpcTransport body reading', () => {
  it('hands on a fully read body with the status and headers', async () => {
    const up = upstream([{ body: json({ follows: [], cursor: 'c1' }), headers: { 'ratelimit-limit': '3000' } }]);
    const res = await transport(up.baseFetch).fetch(URL_);
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe('3000');
    expect(await res.json()).toEqual({ follows: [], cursor: 'c1' });
  });

  it('refuses a declared Content-Length over the cap at once, without retrying', async () => {
    const up = upstream([{ body: json({ ok: true }), headers: { 'content-length': String(10 * 1024 * 1024) }, tickMs: 10 }]);
    const t = transport(up.baseFetch, { maxBodyBytes: 1024 * 1024 });
    const err = await t.fetch(URL_).catch((e: Error) => e);
    expect(err).toBeInstanceOf(XrpcBodyTooLargeError);
    expect((err as XrpcBodyTooLargeError).code).toBe('UPSTREAM_BODY_TOO_LARGE');
    expect((err as Error).message).toBe(
      'app.bsky.graph.getFollows response body is 10485760 bytes (Content-Length); the limit is 1048576 bytes (BSKY_MAX_BODY_BYTES)',
    );
    expect(up.calls()).toBe(1);
    expect(up.signals[0]!.aborted).toBe(true);
    expect(t.stats.retries).toBe(0);
  });

  it('counts the bytes of a body without Content-Length and stops at the cap', async () => {
    const up = upstream([{ body: new Uint8Array(2000).fill(0x20), tickMs: 1 }]);
    const t = transport(up.baseFetch, { maxBodyBytes: 2048 });
    const err = await t.fetch(URL_).catch((e: Error) => e);
    expect(err).toBeInstanceOf(XrpcBodyTooLargeError);
    expect((err as Error).message).toMatch(/more than 2048 bytes; the limit is 2048 bytes \(BSKY_MAX_BODY_BYTES\)/);
    expect(up.calls()).toBe(1);
    expect(up.signals[0]!.aborted).toBe(true);
  });

  it('times a dripping body out like any timeout: retried with backoff, then the run fails', async () => {
    const up = upstream([{ body: json({}).subarray(0, 1), tickMs: 20 }]);
    const retries: string[] = [];
    const t = transport(up.baseFetch, { timeoutMs: 200, maxRetries: 2, events: { retry: (e) => retries.push(e.reason) } });
    const started = performance.now();
    const err = await t.fetch(URL_).catch((e: Error) => e);
    const ms = performance.now() - started;
    expect(err).toBeInstanceOf(XrpcRetriesExhaustedError);
    expect((err as Error).message).toBe('app.bsky.graph.getFollows failed after 3 attempts: app.bsky.graph.getFollows timed out after 200 ms');
    expect(retries).toEqual(['app.bsky.graph.getFollows timed out after 200 ms', 'app.bsky.graph.getFollows timed out after 200 ms']);
    expect(up.calls()).toBe(3);
    expect(up.signals.every((s) => s.aborted)).toBe(true);
    // Three 200 ms attempts and backoffs of 125 + 250 ms (random() = 0): bounded, not hung.
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(2_000);
  });

  it('succeeds on the retry after one dripping body', async () => {
    const up = upstream([{ body: json({}).subarray(0, 1), tickMs: 20 }, { body: json({ follows: [] }) }]);
    const t = transport(up.baseFetch, { timeoutMs: 200 });
    const res = await t.fetch(URL_);
    expect(await res.json()).toEqual({ follows: [] });
    expect(t.stats.retries).toBe(1);
    expect(t.stats.requests).toBe(2);
  });

  it('stops a download in progress within a second of the run being cancelled', async () => {
    const up = upstream([{ body: json({}).subarray(0, 1), tickMs: 50 }]);
    const run = new AbortController();
    const t = transport(up.baseFetch, { timeoutMs: 60_000, signal: run.signal });
    const pending = t.fetch(URL_).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 300));
    expect(up.calls()).toBe(1);
    const cancelledAt = performance.now();
    run.abort();
    const err = await pending;
    const ms = performance.now() - cancelledAt;
    expect((err as Error).name).toBe('AbortError');
    expect(ms).toBeLessThan(1_000);
    expect(up.signals[0]!.aborted).toBe(true);
    expect(up.calls()).toBe(1);
  });

  it('does not read the bodies of 5xx answers it will retry', async () => {
    const up = upstream([{ status: 503, body: json({ error: 'NotEnoughResources' }), tickMs: 20 }, { body: json({ ok: 1 }) }]);
    const t = transport(up.baseFetch, { timeoutMs: 10_000 });
    const started = performance.now();
    const res = await t.fetch(URL_);
    expect(await res.json()).toEqual({ ok: 1 });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
