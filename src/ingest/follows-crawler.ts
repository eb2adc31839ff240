/**
 * Stage 3, per member: its follows, page by page to the end, into the writer. Only a list that
 * ended without a cursor and without an error is evidence for deleting the member's unseen edges;
 * anything else (a gone or blocking account, an endless or repeating cursor) keeps them.
 */
import type { Logger } from '../logging/logger.js';
import type { BatchWriter } from './batch-writer.js';
import type { BlueskyClient } from './bsky-client.js';
import type { CrawlCounters } from './crawl-counters.js';
import { toTarget } from './profile-rows.js';
import { isGoneAccount } from './xrpc-errors.js';

export interface FollowsCrawlerDeps {
  readonly client: Pick<BlueskyClient, 'getFollows'>;
  readonly writer: Pick<BatchWriter, 'addFollowsPage' | 'completeMember' | 'incompleteMember'>;
  readonly counters: CrawlCounters;
  readonly logger: Logger;
  /** Pages of one member's follows before the list counts as unreadable (endless cursors). */
  readonly maxFollowPages: number;
  readonly stopped: () => boolean;
}

/** Reads one member's follows and tells the writer whether the list was complete. */
export async function crawlFollows(deps: FollowsCrawlerDeps, did: string): Promise<void> {
  const { client, writer, stopped } = deps;
  let cursor: string | undefined;
  const cursorsSeen = new Set<string>();
  let why: string | null = null;
  for (let pages = 0; ; pages++) {
    if (pages >= deps.maxFollowPages) {
      why = `more than ${deps.maxFollowPages} pages`;
      break;
    }
    let page;
    try {
      page = await client.getFollows(did, cursor);
    } catch (err) {
      if (!isGoneAccount(err)) throw err;
      why = pages === 0 ? 'account gone or blocked' : 'account gone or blocked mid-list';
      break;
    }
    await writer.addFollowsPage(did, page.follows.map(toTarget));
    if (stopped()) return;
    if (!page.cursor) break;
    if (cursorsSeen.has(page.cursor)) {
      why = 'the service repeated a cursor';
      break;
    }
    cursorsSeen.add(page.cursor);
    cursor = page.cursor;
  }
  if (stopped()) return;
  if (why === null) return writer.completeMember(did);
  deps.counters.incompleteMembers++;
  deps.logger.warn('follows not read to the end; the member keeps its stored follows', { did, reason: why });
  writer.incompleteMember(did);
}
