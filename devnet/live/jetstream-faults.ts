/**
 * Trouble on a Jetstream socket, seeded per connection: what an at-least-once consumer must
 * survive. Reordering only swaps events of different DIDs (Jetstream keeps one repo's events
 * in order); duplicates re-send a short run of recent events in their original order, the way
 * a rewound cursor replays them, so an idempotent fold still ends right.
 */
import { hashSeed, mulberry32, randInt, type Rng } from '../prng.js';
import type { JetstreamEvent } from './jetstream-events.js';

export interface JetstreamFaults {
  /** Close the socket abruptly (no close frame) after every N events sent on it. */
  disconnectEveryEvents?: number;
  /** Share of events followed by a redelivery of the last 1-3 events sent. */
  duplicateRate?: number;
  /**
   * Hold up to `reorderWindow` events and release them out of order across DIDs. No event is
   * delivered more than 2 × reorderWindow places late, so rewinding that many events is safe.
   */
  reorderAcrossDids?: boolean;
  /** Default 4. */
  reorderWindow?: number;
  /** Default 1. */
  seed?: number;
}

const RECENT = 3;

export function checkJetstreamFaults(f: JetstreamFaults): JetstreamFaults {
  if (f.disconnectEveryEvents !== undefined && !(Number.isInteger(f.disconnectEveryEvents) && f.disconnectEveryEvents > 0)) {
    throw new RangeError('disconnectEveryEvents must be a positive integer');
  }
  if (f.duplicateRate !== undefined && !(f.duplicateRate >= 0 && f.duplicateRate <= 1)) throw new RangeError('duplicateRate must be in [0, 1]');
  if (f.reorderWindow !== undefined && !(Number.isInteger(f.reorderWindow) && f.reorderWindow >= 2)) throw new RangeError('reorderWindow must be an integer >= 2');
  return f;
}

/** Turns the events a subscriber should get into what its socket actually carries. */
export class DeliveryPlan {
  private readonly rng: Rng;
  private readonly held: Array<{ event: JetstreamEvent; waited: number }> = [];
  private readonly recent: JetstreamEvent[] = [];

  constructor(
    private readonly faults: JetstreamFaults,
    connection: number,
  ) {
    this.rng = mulberry32(hashSeed(faults.seed ?? 1, 'jetstream', connection));
  }

  /** Events to send now (possibly none while the reorder window fills). */
  push(event: JetstreamEvent): JetstreamEvent[] {
    if (!this.faults.reorderAcrossDids) return this.deliver(event);
    this.held.push({ event, waited: 0 });
    return this.held.length >= (this.faults.reorderWindow ?? 4) ? this.deliver(this.release()) : [];
  }

  /** Everything still held (when the stream goes quiet). */
  flush(): JetstreamEvent[] {
    const out: JetstreamEvent[] = [];
    while (this.held.length > 0) out.push(...this.deliver(this.release()));
    return out;
  }

  get holding(): boolean {
    return this.held.length > 0;
  }

  /**
   * A held event with no earlier held event of the same DID, chosen at random; the oldest one
   * once it has waited a full window (it is always eligible: nothing of its DID is before it).
   */
  private release(): JetstreamEvent {
    const window = this.faults.reorderWindow ?? 4;
    const eligible: number[] = [];
    const seen = new Set<string>();
    this.held.forEach(({ event }, i) => {
      if (!seen.has(event.did)) eligible.push(i);
      seen.add(event.did);
    });
    const oldest = this.held[0] as { waited: number };
    const at = oldest.waited >= window ? 0 : (eligible[Math.floor(this.rng() * eligible.length)] as number);
    const [chosen] = this.held.splice(at, 1);
    for (const h of this.held) h.waited++;
    return (chosen as { event: JetstreamEvent }).event;
  }

  private deliver(event: JetstreamEvent): JetstreamEvent[] {
    const out = [event];
    this.recent.push(event);
    if (this.recent.length > RECENT) this.recent.shift();
    if (this.faults.duplicateRate && this.rng() < this.faults.duplicateRate) {
      out.push(...this.recent.slice(-randInt(this.rng, 1, this.recent.length)));
    }
    return out;
  }
}
