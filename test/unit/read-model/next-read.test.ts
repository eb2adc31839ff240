import { describe, expect, it } from '@jest/globals';
import { NextRead } from '../../../src/read-model/next-read.js';

/** A read whose answer is the number of reads started when it finishes, released by hand. */
function controlledReads() {
  let started = 0;
  const pending: Array<() => void> = [];
  const read = () => {
    const n = ++started;
    return new Promise<number>((resolve) => pending.push(() => resolve(n)));
  };
  return { read, started: () => started, release: () => pending.shift()!() };
}

describe('NextRead', () => {
  it('never gives a caller a read that started before it asked, and shares the next one', async () => {
    const reads = controlledReads();
    const next = new NextRead(reads.read);
    const first = next.get();
    const second = next.get(); // asked while read 1 is in flight: must get read 2
    const third = next.get(); // shares read 2
    expect(reads.started()).toBe(1);
    reads.release();
    expect(await first).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(reads.started()).toBe(2);
    reads.release();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
  });

  it('starts the next read even when the one in flight fails, and passes on failures of its own read', async () => {
    let calls = 0;
    const next = new NextRead(async () => {
      calls++;
      if (calls === 1) throw new Error('down');
      return calls;
    });
    const first = next.get();
    const second = next.get();
    await expect(first).rejects.toThrow('down');
    expect(await second).toBe(2);
    expect(await next.get()).toBe(3);
  });
});
