/**
 * The queue every member's fetches run on (profile batches first, then follow crawls), and the
 * crawl's one failure: the first error any task throws stops the others, and is the one reported.
 */
import PQueue from 'p-queue';

export class MemberTasks {
  private readonly queue: PQueue;
  private readonly failure = new AbortController();
  private firstError: Error | null = null;

  constructor(
    private readonly concurrency: number,
    /** The run's own cancellation. */
    private readonly signal: AbortSignal,
  ) {
    this.queue = new PQueue({ concurrency });
  }

  /** Cancelled, or a task failed: stages stop at their next step. */
  get stopped(): boolean {
    return this.failure.signal.aborted || this.signal.aborted;
  }

  get cancelled(): boolean {
    return this.signal.aborted;
  }

  get error(): Error | null {
    return this.firstError;
  }

  fail(err: Error): void {
    this.firstError ??= err;
    this.failure.abort();
  }

  /** Queues `work` (higher priority first); once stopped, queued work is skipped. */
  add(work: () => Promise<void>, priority = 0): void {
    void this.queue.add(() => (this.stopped ? Promise.resolve() : work().catch((err: Error) => this.fail(err))), { priority });
  }

  /** Keeps the backlog (and so memory) bounded while search finds members faster than they are crawled. */
  async whileBacklogged(): Promise<void> {
    while (this.queue.size > this.concurrency * 4 && !this.stopped) await this.queue.onSizeLessThan(this.concurrency * 2);
  }

  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }

  /** Drops queued work and waits for what is running to notice the stop. */
  async abandon(): Promise<void> {
    this.queue.clear();
    await this.queue.onIdle().catch(() => undefined);
  }
}
