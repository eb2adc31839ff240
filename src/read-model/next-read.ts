/**
 * Coalesces concurrent reads of one changing value without serving a stale one: a caller never
 * joins a read that started before it asked (a write may have committed in between), only the next
 * one, which starts when the read in flight ends. Under N concurrent callers that is at most two
 * reads per round trip instead of N, and every answer is at least as new as the question.
 */
export class NextRead<T> {
  private inFlight: Promise<T> | null = null;
  private next: Promise<T> | null = null;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.next) return this.next;
    if (!this.inFlight) return this.start();
    const after = this.inFlight.then(
      () => undefined,
      () => undefined,
    );
    this.next = after.then(() => {
      this.next = null;
      return this.start();
    });
    return this.next;
  }

  private start(): Promise<T> {
    const read = this.read();
    this.inFlight = read;
    const clear = () => {
      if (this.inFlight === read) this.inFlight = null;
    };
    read.then(clear, clear);
    return read;
  }
}
