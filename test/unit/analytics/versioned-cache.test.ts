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
