/**
 * Settled layouts kept in the browser (localStorage), so a reload of an unchanged graph draws at
 * once instead of running ForceAtlas2 again. One slot per (hashtag, scope, limit); the slot holds
 * the `graphVersion` it was computed for, and only an equal version is a hit: the server's token
 * changes with any write to the graph. An older version's positions still seed the next layout
 * for the actors that remain.
 *
 * Compact on purpose: positions as a Float32Array and DIDs as 32-bit hashes (FNV-1a), both base64,
 * about 16 bytes of storage per node. The hashes also check that a hit holds exactly the actors
 * being drawn, in the same order; any mismatch, parse error or storage error reads as a miss, and
 * a write that does not fit evicts the other slots once and then gives up quietly: the cache may
 * only ever make a load faster, never break it.
 */
import { seedOf } from '../graph/random.js';

export interface LayoutKey {
  readonly hashtag: string;
  readonly scope: string;
  readonly limit: number;
  readonly graphVersion: string;
}

/** What a lookup found for the drawn actors (`ids`, in drawing order). */
export type CachedLayout =
  /** Same graph version and actors: x, y for every actor, in order. */
  | { readonly kind: 'exact'; readonly positions: Float32Array; readonly iterations: number; readonly settled: boolean }
  /** Another version of the slot: the positions of actors that are still drawn (NaN for new ones). */
  | { readonly kind: 'seed'; readonly positions: Float32Array; readonly known: number };

interface StoredLayout {
  readonly format: typeof FORMAT;
  readonly graphVersion: string;
  readonly savedAt: number;
  readonly iterations: number;
  /** false: stored at layout-ready, before ForceAtlas2 finished refining (the page was left early). */
  readonly settled: boolean;
  /** Uint32Array of seedOf(did), base64. */
  readonly ids: string;
  /** Float32Array x0, y0, x1, y1, …, base64. */
  readonly xy: string;
}

const PREFIX = 'bsky-graph:layout:';
const FORMAT = 1;

export interface LayoutCacheOptions {
  /** Slots kept; the least recently written go first. */
  readonly maxEntries?: number;
  /** Stored characters over all slots (localStorage holds ~5 M per origin, shared with others). */
  readonly maxChars?: number;
}

export class LayoutCache {
  private readonly maxEntries: number;
  private readonly maxChars: number;

  constructor(
    private readonly storage: Storage | null,
    options: LayoutCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 8;
    this.maxChars = options.maxChars ?? 1_500_000;
  }

  /** The browser's localStorage, or none where it is unavailable (privacy modes, sandboxed frames). */
  static local(options?: LayoutCacheOptions): LayoutCache {
    let storage: Storage | null;
    try {
      storage = window.localStorage;
    } catch {
      storage = null;
    }
    return new LayoutCache(storage, options);
  }

  read(key: LayoutKey, ids: readonly string[]): CachedLayout | null {
    const stored = this.load(slotOf(key));
    if (!stored) return null;
    try {
      const storedIds = new Uint32Array(fromBase64(stored.ids));
      const xy = new Float32Array(fromBase64(stored.xy));
      if (xy.length !== storedIds.length * 2 || !xy.every(Number.isFinite)) return null;
      const hashes = ids.map((id) => seedOf(id));
      if (stored.graphVersion === key.graphVersion) {
        if (storedIds.length !== ids.length || hashes.some((h, i) => storedIds[i] !== h)) return null;
        return { kind: 'exact', positions: xy, iterations: Number(stored.iterations) || 0, settled: stored.settled === true };
      }
      const at = new Map<number, number>();
      storedIds.forEach((h, i) => at.set(h, i));
      const positions = new Float32Array(ids.length * 2).fill(Number.NaN);
      let known = 0;
      hashes.forEach((h, i) => {
        const j = at.get(h);
        if (j === undefined) return;
        positions[2 * i] = xy[2 * j]!;
        positions[2 * i + 1] = xy[2 * j + 1]!;
        known++;
      });
      return known > 0 ? { kind: 'seed', positions, known } : null;
    } catch {
      return null;
    }
  }

  /** Stores the settled layout of `ids` (positions x, y in the same order); false when it could not. */
  write(key: LayoutKey, ids: readonly string[], positions: Float32Array, iterations: number, settled = true): boolean {
    if (!this.storage || positions.length !== ids.length * 2) return false;
    const slot = slotOf(key);
    const entry: StoredLayout = {
      format: FORMAT,
      graphVersion: key.graphVersion,
      savedAt: Date.now(),
      iterations,
      settled,
      ids: toBase64(new Uint8Array(Uint32Array.from(ids, (id) => seedOf(id)).buffer)),
      xy: toBase64(new Uint8Array(Float32Array.from(positions).buffer)),
    };
    const text = JSON.stringify(entry);
    if (text.length > this.maxChars) return false;
    this.evict(slot, text.length);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        this.storage.setItem(slot, text);
        return true;
      } catch {
        // QuotaExceededError (or storage switched off): make room once, by dropping every other slot.
        if (attempt === 0) this.evict(slot, Number.POSITIVE_INFINITY);
      }
    }
    return false;
  }

  /** Drops the oldest other slots until `incoming` more characters fit within the limits. */
  private evict(keep: string, incoming: number): void {
    const storage = this.storage;
    if (!storage) return;
    const slots: Array<{ slot: string; savedAt: number; chars: number }> = [];
    try {
      for (let i = 0; i < storage.length; i++) {
        const slot = storage.key(i);
        if (!slot?.startsWith(PREFIX) || slot === keep) continue;
        const text = storage.getItem(slot) ?? '';
        let savedAt = 0;
        try {
          savedAt = Number((JSON.parse(text) as Partial<StoredLayout>).savedAt) || 0;
        } catch {
          // Corrupt: oldest of all, goes first.
        }
        slots.push({ slot, savedAt, chars: slot.length + text.length });
      }
      slots.sort((a, b) => b.savedAt - a.savedAt);
      let chars = incoming;
      slots.forEach((s, i) => {
        chars += s.chars;
        if (i + 1 >= this.maxEntries || chars > this.maxChars) storage.removeItem(s.slot);
      });
    } catch {
      // Storage unavailable: nothing to evict.
    }
  }

  private load(slot: string): StoredLayout | null {
    try {
      const text = this.storage?.getItem(slot);
      if (!text) return null;
      const parsed = JSON.parse(text) as Partial<StoredLayout>;
      if (parsed.format !== FORMAT || typeof parsed.graphVersion !== 'string' || typeof parsed.ids !== 'string' || typeof parsed.xy !== 'string') return null;
      return parsed as StoredLayout;
    } catch {
      return null;
    }
  }
}

function slotOf(key: LayoutKey): string {
  return `${PREFIX}${JSON.stringify([key.hashtag, key.scope, key.limit])}`;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** An ArrayBuffer (4-byte aligned for the typed views); throws on malformed base64 or a ragged length. */
function fromBase64(text: string): ArrayBuffer {
  const raw = atob(text);
  if (raw.length % 4 !== 0) throw new Error('ragged layout entry');
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes.buffer;
}
