/**
 * A watcher killed in-process, as kill -9 would leave it: it stops reading and writing at once
 * (nothing buffered is folded, an in-flight transaction is fenced off by the next claim), and its
 * claim on the hashtag lapses — here at once instead of after its TTL.
 */
import type { GraphDatabase } from '../../src/graph/database.js';
import type { HashtagWatcher } from '../../src/watch/hashtag-watcher.js';

export async function killWatcher(db: GraphDatabase, watcher: HashtagWatcher, hashtag: string): Promise<void> {
  await watcher.abandon();
  await db.write(`MATCH (c:WatchClaim {hashtag: $hashtag}) SET c.expiresAt = 0`, { hashtag });
}
