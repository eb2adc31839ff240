/**
 * Injected trouble, decided per request from a seeded stream: the same seed and the same
 * request order give the same faults. Every request draws the same number of values whatever
 * is switched on, so enabling one fault does not reshuffle the others.
 *
 * The hostile-upstream faults below are not random: each names the requests it hits (a method,
 * member DIDs, the first N matching calls), so a test can assert exactly what the crawler did.
 * Their call counters restart with `set`.
 */
import { mulberry32, type Rng } from './prng.js';

export interface Faults {
  /** Share of requests answered 500/502/503 (after the rate limiter counted them). */
  errorRate?: number;
  /** Extra latency per request, uniform in [min, max] ms. */
  latencyMs?: [number, number];
  /** Share of requests whose socket is destroyed without any response. */
  resetRate?: number;
  /** Share of responses held back `stallMs` (default 2,000) before being sent. */
  stallRate?: number;
  stallMs?: number;
  /** Seed of the fault stream. Default 1. */
  seed?: number;
  /** Headers at once, then the body a few bytes at a time (a slow loris in reverse). */
  dripBody?: FaultTarget & { bytesPerTick?: number; tickMs?: number };
  /** The real JSON followed by whitespace up to `bytes` (default 32 MiB): valid, just huge. */
  oversizedBody?: FaultTarget & { bytes?: number; declareLength?: boolean };
  /** getFollows of these actors never ends: a fresh cursor on every page, past the list empty pages (or the first page again). */
  endlessFollows?: { actors: string[]; pages?: 'empty' | 'repeat' };
  /** getFollows of these actors answers page `atPage` (default 2) with the cursor it was asked for, looping. */
  repeatedCursor?: { actors: string[]; atPage?: number };
  /** getFollows of these actors answers page `atPage` (default 1) with no follows but a cursor; the real list follows. */
  emptyFollowsPage?: { actors: string[]; atPage?: number };
  /** getFollows of these actors fails from page `atPage` (default 2) with a 400, as when an account goes mid-crawl. */
  followsError?: { actors: string[]; atPage?: number; error?: 'InvalidRequest' | 'AccountDeactivated' | 'AccountTakedown' };
  /** searchPosts calls number `skip` .. `skip + calls - 1` (0-based) return no posts and no cursor. */
  emptySearch?: { calls: number; skip?: number };
}

export interface FaultTarget {
  /** NSID the fault applies to; default every method. */
  method?: string;
  /** Only requests naming one of these DIDs in `actor` / `actors`. */
  actors?: string[];
  /** Only the first N matching requests; default every one. */
  times?: number;
}

/** One page of a member's follows as served, after the list faults had their say. */
export type FollowsFault =
  | { kind: 'none' }
  | { kind: 'endless'; pages: 'empty' | 'repeat' }
  | { kind: 'repeat-cursor' }
  | { kind: 'empty-page' }
  | { kind: 'error'; error: string; message: string };

const GONE_MESSAGES: Record<string, string> = {
  InvalidRequest: 'Profile not found',
  AccountDeactivated: 'Account is deactivated',
  AccountTakedown: 'Account has been taken down',
};

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'reset'; latencyMs: number }
  | { kind: 'error'; latencyMs: number; status: 500 | 502 | 503 }
  | { kind: 'stall'; latencyMs: number; stallMs: number };

export class FaultPlan {
  private rng: Rng;
  private counts = new Map<string, number>();

  constructor(
    private faults: Faults = {},
    /** Told about every list or search fault the methods inject (for the server's stats). */
    private readonly onInject: (kind: 'lists' | 'emptySearches') => void = () => undefined,
  ) {
    this.rng = mulberry32(faults.seed ?? 1);
  }

  /** Replaces the fault settings and restarts the stream from their seed. */
  set(faults: Faults): void {
    this.faults = faults;
    this.rng = mulberry32(faults.seed ?? 1);
    this.counts.clear();
  }

  get current(): Faults {
    return this.faults;
  }

  next(): FaultDecision {
    const [uLatency, uReset, uError, uKind, uStall] = [this.rng(), this.rng(), this.rng(), this.rng(), this.rng()];
    const f = this.faults;
    const [min, max] = f.latencyMs ?? [0, 0];
    const latencyMs = max > 0 ? min + uLatency * (max - min) : 0;
    if (uReset < (f.resetRate ?? 0)) return { kind: 'reset', latencyMs };
    if (uError < (f.errorRate ?? 0)) {
      const status = uKind < 0.5 ? 500 : uKind < 0.75 ? 502 : 503;
      return { kind: 'error', latencyMs, status };
    }
    if (uStall < (f.stallRate ?? 0)) return { kind: 'stall', latencyMs, stallMs: f.stallMs ?? 2000 };
    return { kind: 'none', latencyMs };
  }

  /** How the body of this response goes out: whole, dripped, or padded past any sane size. */
  body(nsid: string, params: URLSearchParams): BodyFault {
    const f = this.faults;
    if (f.dripBody && this.hits('drip', f.dripBody, nsid, params)) {
      return { kind: 'drip', bytesPerTick: f.dripBody.bytesPerTick ?? 1, tickMs: f.dripBody.tickMs ?? 200 };
    }
    if (f.oversizedBody && this.hits('oversized', f.oversizedBody, nsid, params)) {
      return { kind: 'oversized', bytes: f.oversizedBody.bytes ?? 32 * 1024 * 1024, declareLength: f.oversizedBody.declareLength ?? true };
    }
    return { kind: 'none' };
  }

  /** The list fault for one getFollows page (1-based) of `actor`; `resumed`: the page after an injected empty one. */
  follows(actor: string, page: number, resumed = false): FollowsFault {
    const fault = this.followsFault(actor, page, resumed);
    if (fault.kind !== 'none') this.onInject('lists');
    return fault;
  }

  private followsFault(actor: string, page: number, resumed: boolean): FollowsFault {
    const f = this.faults;
    if (f.followsError?.actors.includes(actor) && page >= (f.followsError.atPage ?? 2)) {
      const error = f.followsError.error ?? 'InvalidRequest';
      return { kind: 'error', error, message: GONE_MESSAGES[error] ?? 'Profile not found' };
    }
    if (f.endlessFollows?.actors.includes(actor)) return { kind: 'endless', pages: f.endlessFollows.pages ?? 'empty' };
    if (f.repeatedCursor?.actors.includes(actor) && page === (f.repeatedCursor.atPage ?? 2)) return { kind: 'repeat-cursor' };
    if (!resumed && f.emptyFollowsPage?.actors.includes(actor) && page === (f.emptyFollowsPage.atPage ?? 1)) return { kind: 'empty-page' };
    return { kind: 'none' };
  }

  /** True when this searchPosts call is one the search outage swallows. */
  emptySearch(): boolean {
    const f = this.faults.emptySearch;
    if (!f) return false;
    const call = this.bump('search');
    const skip = f.skip ?? 0;
    const empty = call >= skip && call < skip + f.calls;
    if (empty) this.onInject('emptySearches');
    return empty;
  }

  private hits(key: string, target: FaultTarget, nsid: string, params: URLSearchParams): boolean {
    if (target.method !== undefined && target.method !== nsid) return false;
    if (target.actors !== undefined) {
      const named = [...params.getAll('actor'), ...params.getAll('actors')];
      if (!named.some((a) => target.actors!.includes(a))) return false;
    }
    return this.bump(key) < (target.times ?? Infinity);
  }

  /** Returns the count before this call (0-based). */
  private bump(key: string): number {
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    return n;
  }
}

export type BodyFault =
  | { kind: 'none' }
  | { kind: 'drip'; bytesPerTick: number; tickMs: number }
  | { kind: 'oversized'; bytes: number; declareLength: boolean };

/**
 * Fault settings from text (the devnet command's `--faults`): JSON, checked only as far as
 * telling a typo from a setting, since every field is optional.
 */
export function parseFaults(text: string): Faults {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`faults are not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('faults must be a JSON object');
  const known = new Set(['errorRate', 'latencyMs', 'resetRate', 'stallRate', 'stallMs', 'seed', 'dripBody', 'oversizedBody', 'endlessFollows', 'repeatedCursor', 'emptyFollowsPage', 'followsError', 'emptySearch']);
  const unknown = Object.keys(value).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`unknown fault ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  for (const key of ['endlessFollows', 'repeatedCursor', 'emptyFollowsPage', 'followsError'] as const) {
    const f = (value as Faults)[key];
    if (f !== undefined && !Array.isArray(f.actors)) throw new Error(`${key}.actors must be a list of DIDs`);
  }
  return value as Faults;
}
