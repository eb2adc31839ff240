/**
 * Stage 3, per member: its follows, page by page to the end, into the writer: from the AppView
 * (getFollows: followed profiles included, no record keys) or, with BSKY_FOLLOWS_FROM=repo, as
 * records from the member's own PDS (listRecords: rkey and createdAt, subjects by DID). Only a
 * list that ended without a cursor and without an error is evidence for deleting the member's
 * unseen edges; anything else (a gone or blocking account, an endless or repeating cursor) keeps them.
 */
import type { FollowsFrom } from '../core/follows-source.js';
import type { Logger } from '../logging/logger.js';
import type { BatchWriter } from './batch-writer.js';
import type { BlueskyClient } from './bsky-client.js';
import type { CrawlCounters } from './crawl-counters.js';
import { toTarget } from './profile-rows.js';
import { isGoneAccount } from './xrpc-errors.js';

export interface FollowsCrawlerDeps {
  readonly client: Pick<BlueskyClient, 'getFollows' | 'listFollowRecords'>;
  readonly writer: Pick<BatchWriter, 'addFollowsPage' | 'addFollowRecords' | 'completeMember' | 'incompleteMember'>;
  readonly followsFrom: FollowsFrom;
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
  // A member may follow one account twice (two records): the edge keeps the first record listed.
  const subjects = new Set<string>();
  const readPage = async (): Promise<string | undefined> => {
    if (deps.followsFrom === 'appview') {
      const page = await client.getFollows(did, cursor);
      await writer.addFollowsPage(did, page.follows.map(toTarget));
      return page.cursor;
    }
    const page = await client.listFollowRecords(did, cursor);
    const fresh = page.records.filter((r) => r.subject !== did && !subjects.has(r.subject) && (subjects.add(r.subject), true));
    await writer.addFollowRecords(did, fresh.map((r) => ({ subject: r.subject, rkey: r.rkey, createdAt: r.createdAt })));
    return page.cursor;
  };
  let why: string | null = null;
  for (let pages = 0; ; pages++) {
    if (pages >= deps.maxFollowPages) {
      why = `more than ${deps.maxFollowPages} pages`;
      break;
    }
    let next: string | undefined;
    try {
      next = await readPage();
    } catch (err) {
      if (!isGoneAccount(err)) throw err;
      why = pages === 0 ? 'account gone or blocked' : 'account gone or blocked mid-list';
      break;
    }
    if (stopped()) return;
    if (!next) break;
    if (cursorsSeen.has(next)) {
      why = 'the service repeated a cursor';
      break;
    }
    cursorsSeen.add(next);
    cursor = next;
  }
  if (stopped()) return;
  if (why === null) return writer.completeMember(did);
  deps.counters.run.incompleteFollowLists++;
  deps.logger.warn('follows not read to the end; the member keeps its stored follows', { did, reason: why });
  writer.incompleteMember(did);
}
