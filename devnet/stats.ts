/** Request accounting, for tests and benchmarks to compare a crawler with R_min. */
export interface DevnetStats {
  /** Every request that reached the server, including ones answered by faults or 429. */
  requests: number;
  /** Requests per NSID (or the path when it is not an XRPC call). */
  byMethod: Record<string, number>;
  /** Responses per HTTP status; sockets reset by a fault count under 'reset'. */
  statusCounts: Record<string, number>;
  rateLimited: number;
  /** `drips`, `oversized`: bodies sent slowly or padded; `lists`: follow pages bent; `emptySearches`: outages. */
  faultsInjected: { errors: number; resets: number; stalls: number; drips: number; oversized: number; lists: number; emptySearches: number; total: number };
  createSessionCalls: number;
  refreshSessionCalls: number;
  /** Most requests in flight at once (server side, from arrival to response end). */
  maxConcurrent: number;
  inFlight: number;
}

export class StatsRecorder {
  private s: DevnetStats = StatsRecorder.empty();

  private static empty(): DevnetStats {
    return {
      requests: 0,
      byMethod: {},
      statusCounts: {},
      rateLimited: 0,
      faultsInjected: { errors: 0, resets: 0, stalls: 0, drips: 0, oversized: 0, lists: 0, emptySearches: 0, total: 0 },
      createSessionCalls: 0,
      refreshSessionCalls: 0,
      maxConcurrent: 0,
      inFlight: 0,
    };
  }

  begin(method: string): void {
    const s = this.s;
    s.requests++;
    s.byMethod[method] = (s.byMethod[method] ?? 0) + 1;
    if (method === 'com.atproto.server.createSession') s.createSessionCalls++;
    if (method === 'com.atproto.server.refreshSession') s.refreshSessionCalls++;
    s.inFlight++;
    if (s.inFlight > s.maxConcurrent) s.maxConcurrent = s.inFlight;
  }

  end(status: number | 'reset'): void {
    const s = this.s;
    s.inFlight = Math.max(0, s.inFlight - 1);
    const key = String(status);
    s.statusCounts[key] = (s.statusCounts[key] ?? 0) + 1;
    if (status === 429) s.rateLimited++;
  }

  fault(kind: Exclude<keyof DevnetStats['faultsInjected'], 'total'>): void {
    this.s.faultsInjected[kind]++;
    this.s.faultsInjected.total++;
  }

  snapshot(): DevnetStats {
    return structuredClone(this.s);
  }

  /** Zeroes the counters; requests still in flight stay counted in `inFlight`. */
  reset(): void {
    const inFlight = this.s.inFlight;
    this.s = StatsRecorder.empty();
    this.s.inFlight = inFlight;
    this.s.maxConcurrent = inFlight;
  }
}
