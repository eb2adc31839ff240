/**
 * Seeded randomness for the devnet. Everything the devnet generates must be a pure function of
 * a seed, so tests and benchmarks in any language can rely on the same community.
 */
import { mulberry32 as baseMulberry32 } from '../src/random/mulberry32.js';

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: 32-bit state, fast, good enough for synthetic data (not for cryptography). */
export function mulberry32(seed: number): Rng {
  return baseMulberry32(seed);
}

/** FNV-1a over a string: turns a seed label ("follows", "posts:17") into a 32-bit seed. */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${part}\u0000`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  // A final avalanche so nearby labels do not give nearby mulberry32 streams.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** An independent stream for one purpose, so adding draws in one place never shifts another. */
export function rngFor(seed: number | string, ...label: Array<string | number>): Rng {
  return mulberry32(hashSeed(seed, ...label));
}

/** Integer in [min, max] inclusive. */
export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

/** Fisher–Yates in place. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}
