/**
 * The per-member stages with fake clients and writers: the follows crawler's evidence rules (only
 * a list read to its end without an error is complete) and the profile batcher's 25 per call.
 */
import { describe, expect, it } from '@jest/globals';
import { XRPCError, type AppBskyActorDefs } from '@atproto/api';
import { CrawlCounters } from '../../../src/ingest/crawl-counters.js';
import { crawlFollows, type FollowsCrawlerDeps } from '../../../src/ingest/follows-crawler.js';
import { memberProfiles } from '../../../src/ingest/profile-batcher.js';
import { createLogger } from '../../../src/logging/logger.js';
import { EMPTY_COUNTERS } from '../../../src/core/ingest-run.js';

const counters = () => new CrawlCounters(EMPTY_COUNTERS, () => ({ requests: 0, retries: 0, waits: 0 }), 'SEARCH');
const profile = (did: string): AppBskyActorDefs.ProfileView => ({ did, handle: `${did.slice(8)}.test` });

type Page = { follows: AppBskyActorDefs.ProfileView[]; cursor: string | undefined } | Error;

function follows(pages: Page[], maxFollowPages = 10) {
  const asked: Array<string | undefined> = [];
  const outcome = { complete: [] as string[], incomplete: [] as string[], edges: 0 };
  const c = counters();
  const deps: FollowsCrawlerDeps = {
    client: {
      async getFollows(_actor, cursor) {
        asked.push(cursor);
        const page = pages[asked.length - 1] ?? pages[pages.length - 1]!;
        if (page instanceof Error) throw page;
        return page;
      },
      async listFollowRecords() {
        throw new Error('appview mode reads no records');
      },
    },
    writer: {
      async addFollowsPage(_did, targets) {
        outcome.edges += targets.length;
      },
      async addFollowRecords() {
        throw new Error('appview mode writes no records');
      },
      completeMember: (did) => void outcome.complete.push(did),
      incompleteMember: (did) => void outcome.incomplete.push(did),
    },
    counters: c,
    logger: createLogger('silent'),
    followsFrom: 'appview',
    maxFollowPages,
    stopped: () => false,
  };
  return { run: () => crawlFollows(deps, 'did:plc:m'), asked, outcome, counters: c };
}

const page = (n: number, cursor?: string) => ({ follows: Array.from({ length: n }, (_, i) => profile(`did:plc:${cursor ?? 'end'}${i}`)), cursor });

describe('crawlFollows evidence', () => {
  it('a list that ends without a cursor is complete', async () => {
    const f = follows([page(100, 'c1'), page(100, 'c2'), page(7)]);
    await f.run();
    expect(f.asked).toEqual([undefined, 'c1', 'c2']);
    expect(f.outcome).toEqual({ complete: ['did:plc:m'], incomplete: [], edges: 207 });
  });

  it('an empty page that carries a cursor is followed', async () => {
    const f = follows([page(0, 'c1'), page(3)]);
    await f.run();
    expect(f.outcome.complete).toEqual(['did:plc:m']);
  });

  it.each([
    ['gone at once', [new XRPCError(400, 'InvalidRequest', 'Actor not found: did:plc:m')]],
    ['deactivated mid-list', [page(100, 'c1'), new XRPCError(400, 'AccountDeactivated', 'Account is deactivated')]],
    ['blocked', [new XRPCError(400, 'BlockedByActor', 'Requester is blocked by actor')]],
    ['a repeated cursor', [page(100, 'c1'), page(100, 'c1')]],
    ['an endless list', [page(1, 'c1'), page(1, 'c2'), page(1, 'c3'), page(1, 'c4')]],
  ] as Array<[string, Page[]]>)('%s is incomplete: the member keeps its stored edges', async (_name, pages) => {
    const f = follows(pages, 3);
    await f.run();
    expect(f.outcome.complete).toEqual([]);
    expect(f.outcome.incomplete).toEqual(['did:plc:m']);
    expect(f.counters.run.incompleteFollowLists).toBe(1);
    expect(f.asked.length).toBeLessThanOrEqual(3);
  });

  it('any other error fails the crawl and marks nothing', async () => {
    const f = follows([page(100, 'c1'), new XRPCError(400, 'InvalidRequest', 'limit must be at most 100')]);
    await expect(f.run()).rejects.toThrow('limit must be at most 100');
    expect(f.outcome).toMatchObject({ complete: [], incomplete: [] });
  });
});

describe('ProfileBatcher', () => {
  it('asks for 25 profiles a call, the rest at the flush, and records the ones not returned', async () => {
    const calls: string[][] = [];
    const written: Array<{ found: number; missing: string[] }> = [];
    const queued: Array<{ work: () => Promise<void>; priority: number }> = [];
    const c = counters();
    const batcher = memberProfiles({
      client: {
        async getProfiles(actors) {
          calls.push([...actors]);
          return actors.filter((d) => !d.endsWith('gone')).map((did) => ({ did, handle: `${did.slice(8)}.test`, followsCount: 1 }));
        },
      },
      writer: { addProfiles: (rows, missing) => void written.push({ found: rows.length, missing }) },
      counters: c,
      tasks: { add: (work, priority = 0) => void queued.push({ work, priority }) },
    });
    for (let i = 0; i < 60; i++) batcher.add(`did:plc:p${i}${i === 59 ? 'gone' : ''}`);
    expect(queued).toHaveLength(2);
    batcher.flush(true);
    batcher.flush(true);
    expect(queued).toHaveLength(3);
    for (const q of queued) await q.work();
    expect(calls.map((c) => c.length)).toEqual([25, 25, 10]);
    expect(queued.every((q) => q.priority > 0)).toBe(true);
    expect(written.at(-1)).toEqual({ found: 9, missing: ['did:plc:p59gone'] });
    expect(c.run.profiles).toBe(59);
  });
});
