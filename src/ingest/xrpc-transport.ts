/**
 * A `fetch` for AtpAgent that owns the physics of talking to Bluesky: p-queue bounds concurrency
 * and holds the server's window as a hard cap, RateBudget spreads requests evenly and follows the
 * `ratelimit-*` headers, 429s wait for `ratelimit-reset`, and 5xx / timeouts / resets retry with
 * exponential backoff and jitter a bounded number of times. Everything is counted for progress.
 * Each attempt reads its whole body under the same deadline and a byte cap before handing a
 * buffered Response on: AtpAgent reads bodies itself, outside any timeout, so a server that sends
 * headers and then drips (or streams gigabytes) would otherwise hang the run and its cancellation.
 */
import PQueue from 'p-queue';
import { readRateLimitHeaders, type RateBudget } from './rate-budget.js';

export interface TransportEvents {
  request?(e: { method: string; status: number; ms: number }): void;
  retry?(e: { method: string; attempt: number; reason: string; delayMs: number }): void;
  wait?(e: { method: string; ms: number; reason: string }): void;
}

export interface XrpcTransportOptions {
  readonly budget: RateBudget;
  readonly concurrency: number;
  readonly maxRetries: number;
  /** Whole attempt, headers and body. */
  readonly timeoutMs: number;
  /** Largest response body accepted (after decompression). Default 16 MiB. */
  readonly maxBodyBytes?: number;
  /** Upper bound on consecutive 429s for one call before the run fails. */
  readonly maxRateLimitWaits?: number;
  readonly events?: TransportEvents;
  readonly signal?: AbortSignal;
  readonly baseFetch?: typeof fetch;
  readonly random?: () => number;
}

export class XrpcRetriesExhaustedError extends Error {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  constructor(method: string, attempts: number, reason: string) {
    super(`${method} failed after ${attempts} attempts: ${reason}`);
    this.name = 'XrpcRetriesExhaustedError';
  }
}

/** A response larger than any real XRPC answer: retrying would only download it again. */
export class XrpcBodyTooLargeError extends Error {
  readonly code = 'UPSTREAM_BODY_TOO_LARGE';
  constructor(method: string, limit: number, declared?: number) {
    const size = declared === undefined ? `more than ${limit} bytes` : `${declared} bytes (Content-Length)`;
    super(`${method} response body is ${size}; the limit is ${limit} bytes (BSKY_MAX_BODY_BYTES)`);
    this.name = 'XrpcBodyTooLargeError';
  }
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Search is sequential (cursor after cursor): let it jump the queue of parallel follow fetches. */
const PRIORITY: Record<string, number> = {
  'com.atproto.server.createSession': 3,
  'com.atproto.server.refreshSession': 3,
  'app.bsky.feed.searchPosts': 2,
  'app.bsky.actor.getProfiles': 1,
};

const SESSION_METHODS = new Set(['com.atproto.server.createSession', 'com.atproto.server.refreshSession']);

const RETRYABLE_STATUS = new Set([500, 502, 503, 504, 408]);
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 30_000;

export interface TransportStats {
  requests: number;
  waits: number;
  retries: number;
  rateLimited: number;
  byMethod: Record<string, number>;
}

export class XrpcTransport {
  readonly stats: TransportStats = { requests: 0, waits: 0, retries: 0, rateLimited: 0, byMethod: {} };
  private readonly queue: PQueue;
  private inFlight = 0;
  private readonly baseFetch: typeof fetch;
  private readonly random: () => number;

  constructor(private readonly options: XrpcTransportOptions) {
    const window = options.budget.limit;
    this.queue = new PQueue({
      concurrency: options.concurrency,
      intervalCap: window.requests,
      interval: window.seconds * 1000,
      strict: true,
    });
    this.baseFetch = options.baseFetch ?? globalThis.fetch;
    this.random = options.random ?? Math.random;
  }

  /** Bound for AtpAgent's `fetch` option. */
  readonly fetch: typeof fetch = (input, init) => this.send(input, init);

  private async send(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
    // AtpAgent hands over a Request (headers, method, body inside); keep it whole and clone per attempt.
    const request = input instanceof Request ? input : new Request(input, init);
    const url = request.url;
    const method = methodOf(url);
    const maxWaits = this.options.maxRateLimitWaits ?? 50;
    let failures = 0;
    let waits = 0;
    for (;;) {
      this.throwIfAborted();
      let outcome: Response | Error;
      try {
        outcome = await this.queue.add(() => this.attempt(request.clone(), method), { priority: PRIORITY[method] ?? 0 });
      } catch (err) {
        outcome = err as Error;
      }
      if (outcome instanceof Response && outcome.status === 429) {
        this.stats.rateLimited++;
        if (++waits > maxWaits) throw new XrpcRetriesExhaustedError(method, failures + waits, `rate limited ${waits} times in a row`);
        const headers = readRateLimitHeaders(outcome.headers);
        const ms = SESSION_METHODS.has(method) ? this.backoff(waits) : this.options.budget.exhausted(headers, this.backoff(waits));
        await discard(outcome);
        this.stats.waits++;
        this.options.events?.wait?.({ method, ms, reason: '429 rate limited' });
        await this.sleep(ms);
        continue;
      }
      const reason = retryReason(outcome);
      if (reason === null) {
        if (outcome instanceof Error) throw outcome;
        return outcome;
      }
      if (outcome instanceof Response) await discard(outcome);
      failures++;
      if (failures > this.options.maxRetries) throw new XrpcRetriesExhaustedError(method, failures, reason);
      const delayMs = this.backoff(failures);
      this.stats.retries++;
      this.options.events?.retry?.({ method, attempt: failures, reason, delayMs });
      await this.sleep(delayMs);
    }
  }

  private async attempt(request: Request, method: string): Promise<Response> {
    for (let wait = this.options.budget.delayMs(this.inFlight); wait > 0; wait = this.options.budget.delayMs(this.inFlight)) {
      if (wait > 1000) {
        this.stats.waits++;
        this.options.events?.wait?.({ method, ms: wait, reason: 'rate budget' });
      }
      await this.sleep(wait);
    }
    // One controller per attempt, unhooked afterwards: AbortSignal.any would leave a listener on
    // the run's long-lived signal for every request.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const cancel = () => controller.abort();
    this.options.signal?.addEventListener('abort', cancel, { once: true });
    if (this.options.signal?.aborted) controller.abort();
    const started = performance.now();
    this.inFlight++;
    this.stats.requests++;
    this.stats.byMethod[method] = (this.stats.byMethod[method] ?? 0) + 1;
    try {
      const res = await this.baseFetch(request, { signal: controller.signal });
      // Session routes carry their own, much smaller per-route limits (30 per 5 min): not our budget.
      if (!SESSION_METHODS.has(method)) this.options.budget.observe(readRateLimitHeaders(res.headers));
      // 429s and retryable statuses are answered from their headers alone; their bodies go unread.
      const buffered = res.status === 429 || RETRYABLE_STATUS.has(res.status) ? res : await this.buffer(res, method, controller);
      this.options.events?.request?.({ method, status: res.status, ms: performance.now() - started });
      return buffered;
    } catch (err) {
      this.options.events?.request?.({ method, status: 0, ms: performance.now() - started });
      if (timedOut) throw new TimeoutError(method, this.options.timeoutMs);
      throw err;
    } finally {
      clearTimeout(timer);
      this.options.signal?.removeEventListener('abort', cancel);
      this.inFlight--;
    }
  }

  /** Reads the body under the attempt's deadline (its controller) and the byte cap. */
  private async buffer(res: Response, method: string, controller: AbortController): Promise<Response> {
    const limit = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const init = { status: res.status, statusText: res.statusText, headers: res.headers };
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > limit) {
      controller.abort();
      throw new XrpcBodyTooLargeError(method, limit, declared);
    }
    if (!res.body) return new Response(null, init);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        controller.abort();
        await reader.cancel().catch(() => undefined);
        throw new XrpcBodyTooLargeError(method, limit);
      }
      chunks.push(value);
    }
    // Decoded bytes: the stored headers may still name an encoding that no longer applies.
    const headers = new Headers(res.headers);
    headers.delete('content-encoding');
    headers.delete('content-length');
    const body = res.status === 204 || res.status === 304 ? null : Buffer.concat(chunks);
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const signal = this.options.signal;
      if (signal?.aborted) return reject(abortError());
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private throwIfAborted(): void {
    if (this.options.signal?.aborted) throw abortError();
  }
}

export class TimeoutError extends Error {
  constructor(method: string, ms: number) {
    super(`${method} timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

function abortError(): Error {
  const err = new Error('the ingest was cancelled');
  err.name = 'AbortError';
  return err;
}

/** Null when the outcome is final (success, or a client error the caller must see). */
function retryReason(outcome: Response | Error): string | null {
  if (outcome instanceof Response) return RETRYABLE_STATUS.has(outcome.status) ? `HTTP ${outcome.status}` : null;
  if (outcome.name === 'AbortError') return null;
  if (outcome instanceof TimeoutError) return outcome.message;
  // undici reports resets and refused connections as TypeError('fetch failed') with a cause.
  const cause = (outcome as { cause?: { code?: string; message?: string } }).cause;
  if (outcome instanceof TypeError || cause) return `network error: ${cause?.code ?? cause?.message ?? outcome.message}`;
  return null;
}

function methodOf(url: string): string {
  const m = /\/xrpc\/([^?]+)/.exec(url);
  return m ? m[1]! : 'unknown';
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    /* already consumed */
  }
}
