/**
 * The one counters object a crawl's stages share. Stages add what they found; request counts are
 * read from the client (this run's transport stats on top of what a resumed run had already spent),
 * so the progress bar, each batch's stored counters and the run's summary agree.
 */
import type { TransportStats } from './xrpc-transport.js';
import type { IngestCounters, IngestStage } from './types.js';

export class CrawlCounters {
  /** What each stage adds to; request counters are refreshed by `now()`. */
  readonly run: IngestCounters;
  stage: IngestStage;

  constructor(
    /** Counters the run had stored before this process took it up (zero for a new run). */
    private readonly stored: Readonly<IngestCounters>,
    private readonly stats: () => Pick<TransportStats, 'requests' | 'retries' | 'waits'>,
    stage: IngestStage,
    private readonly onProgress?: (counters: IngestCounters, stage: IngestStage) => void,
  ) {
    this.run = { ...stored };
    this.stage = stage;
  }

  now(): IngestCounters {
    const s = this.stats();
    this.run.requests = this.stored.requests + s.requests;
    this.run.retries = this.stored.retries + s.retries;
    this.run.waits = this.stored.waits + s.waits;
    return this.run;
  }

  /** A copy, for a batch to persist while the crawl goes on changing the live object. */
  snapshot(): Record<keyof IngestCounters, number> {
    return { ...this.now() };
  }

  report(): void {
    this.onProgress?.(this.now(), this.stage);
  }
}
