/** Who a watcher is, for the hashtag's watch claim (graph/watch-claim.ts), and when its holder is dead. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { WatchHolder } from '../graph/watch-claim.js';

/** This process, with a fresh id per watcher. */
export function thisWatcher(): WatchHolder {
  return { id: randomUUID(), host: hostname(), pid: process.pid };
}

/**
 * A holder that ran on this host and whose process is gone (killed): its claim is void at once.
 * A holder on another host, or a live process (a reused pid included), waits out its claim's TTL.
 */
export function holderDiedHere(holder: WatchHolder): boolean {
  if (holder.host !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
