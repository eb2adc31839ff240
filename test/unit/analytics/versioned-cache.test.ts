import { describe, expect, it } from '@jest/globals';
import { VersionedCache } from '../../../src/analytics/versioned-cache.js';

describe('VersionedCache', () => {
  it('computes once per key and version, and again after the version moves', async () => {
    const cache = new VersionedCache<number>();
    let runs = 0;
    const compute = async () => ++runs;
    expect(await cache.get('k', 1, compute)).toBe(1);
    expect(await cache.get('k', 1, compute)).toBe(1);
    expect(await cache.get('k', 2, compute)).toBe(2);
    expect(cache.computations).toBe(2);
  });

  it('shares one computation between concurrent callers', async () => {
    const cache = new VersionedCache<string>();
    let runs = 0;
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve(`run ${++runs}`), 10));
    const answers = await Promise.all([cache.get('k', 1, slow), cache.get('k', 1, slow), cache.get('k', 1, slow)]);
    expect(answers).toEqual(['run 1', 'run 1', 'run 1']);
  });

  it('does not remember failures', async () => {
    const cache = new VersionedCache<number>();
    await expect(cache.get('k', 1, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('k', 1, async () => 7)).toBe(7);
  });

  it('answers a caller holding an older version without caching it', async () => {
    const cache = new VersionedCache<string>();
    await cache.get('k', 5, async () => 'v5');
    expect(await cache.get('k', 4, async () => 'v4')).toBe('v4');
    expect(await cache.get('k', 5, async () => 'again')).toBe('v5');
  });
});

describe('VersionedCache capacity', () => {
  it('holds at most `capacity` answers, evicting the least recently used', async () => {
    const cache = new VersionedCache<string>(3);
    for (const k of ['a', 'b', 'c']) await cache.get(k, 1, async () => k);
    await cache.get('a', 1, async () => 'recomputed'); // a is now the most recent
    await cache.get('d', 1, async () => 'd'); // evicts b
    expect(cache.size).toBe(3);
    expect(cache.settled('b', 1)).toBeUndefined();
    expect(await cache.get('a', 1, async () => 'again')).toBe('a');
    expect(await cache.get('b', 1, async () => 'b2')).toBe('b2');
    for (let i = 0; i < 500; i++) await cache.get(`k${i}`, 1, async () => 'x');
    expect(cache.size).toBe(3);
  });

  it('knows which answers are settled, and takes offers only for absent keys of the current version', async () => {
    const cache = new VersionedCache<string>(4);
    let release!: (v: string) => void;
    const pending = cache.get('slow', 1, () => new Promise<string>((resolve) => (release = resolve)));
    expect(cache.settled('slow', 1)).toBeUndefined();
    release('done');
    await pending;
    expect(cache.settled('slow', 1)).toBe('done');
    cache.offer('slow', 1, 'other');
    cache.offer('old', 0, 'stale');
    cache.offer('new', 1, 'offered');
    expect(cache.settled('slow', 1)).toBe('done');
    expect(cache.settled('old', 0)).toBeUndefined();
    expect(await cache.get('new', 1, async () => 'computed')).toBe('offered');
  });
});
