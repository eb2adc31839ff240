/**
 * The live community's history as Jetstream events: append-only, `time_us` strictly increasing
 * (wall clock in µs, bumped by one when two events share a microsecond), so a cursor is exact.
 */
import type { JetstreamEvent } from './jetstream-events.js';

export type EventListener = (event: JetstreamEvent) => void;

export class EventLog {
  private readonly events: JetstreamEvent[] = [];
  private readonly listeners = new Set<EventListener>();
  private lastUs = 0;
  private seq = 0;

  constructor(private readonly clockMs: () => number) {}

  /** The next event time: never earlier than the clock, always after the previous event. */
  nextTimeUs(): number {
    this.lastUs = Math.max(Math.floor(this.clockMs() * 1000), this.lastUs + 1);
    return this.lastUs;
  }

  /** Firehose sequence number for identity and account events. */
  nextSeq(): number {
    return ++this.seq;
  }

  append(event: JetstreamEvent): JetstreamEvent {
    if (event.time_us <= (this.events.at(-1)?.time_us ?? 0)) throw new RangeError('event times must increase');
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events with `time_us >= cursorUs` (Jetstream replays from the cursor inclusive). */
  since(cursorUs: number): JetstreamEvent[] {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.events[mid] as JetstreamEvent).time_us < cursorUs) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }

  get length(): number {
    return this.events.length;
  }

  /** Time of the newest event, 0 when there is none. */
  get lastTimeUs(): number {
    return this.events.at(-1)?.time_us ?? 0;
  }

  /** Called synchronously on every append; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
