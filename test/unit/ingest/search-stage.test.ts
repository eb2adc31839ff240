/**
 * The hashtag search's windowing against a fake searchPosts: a capped index served newest first,
 * with `until` exclusive (as the devnet) or inclusive, or ignored (as Bluesky's dev stack does).
 */
import { describe, expect, it } from '@jest/globals';
import type { AppBskyFeedDefs } from '@atproto/api';
import { initialSearchState, searchHashtag, type SearchCheckpoint, type SearchOptions } from '../../../src/ingest/search-stage.js';

type Post = AppBskyFeedDefs.PostView;

/** Posts newest first, one second apart unless `at` says otherwise. */
function posts(n: number, at: (i: number) => number = (i) => 1_000 - i, text = (_i: number) => 'hello #databs'): Post[] {
  return Array.from({ length: n }, (_, i) => ({
    uri: `at://did:plc:a${i % 7}/app.bsky.feed.post/${i}`,
    cid: `cid${i}`,
    author: { did: `did:plc:a${i % 7}`, handle: `a${i % 7}.test` },
    record: { $type: 'app.bsky.feed.post', text: text(i), createdAt: iso(at(i)) },
    indexedAt: iso(at(i)),
  }));
}

const iso = (sec: number) => new Date(Date.UTC(2025, 0, 1) + sec * 1000).toISOString();

interface FakeOptions {
  cap: number;
  pageSize: number;
  until?: 'exclusive' | 'inclusive' | 'ignored';
}

/** searchPosts over `index` (newest first): one query reaches at most `cap` results, then no cursor. */
function fakeSearch(index: Post[], o: FakeOptions) {
  const calls: Array<{ cursor?: string; until?: string }> = [];
  const client = {
    async searchPosts(params: { q: string; cursor?: string; until?: string }) {
      calls.push({ cursor: params.cursor, until: params.until });
      const until = params.until;
      const window = index.filter((p) => {
        if (until === undefined || o.until === 'ignored') return true;
        return o.until === 'inclusive' ? p.indexedAt <= until : p.indexedAt < until;
      });
      const reachable = Math.min(window.length, o.cap);
      const offset = params.cursor ? Number(params.cursor) : 0;
      const end = Math.min(reachable, offset + o.pageSize);
      return { posts: window.slice(offset, end), cursor: end < reachable ? String(end) : undefined };
    },
  };
  return { client, calls };
}

async function collect(client: ReturnType<typeof fakeSearch>['client'], options: SearchOptions, from?: SearchCheckpoint, stopAfter = Infinity) {
  const matched: Post[] = [];
  let state = from ?? initialSearchState(options);
  let pages = 0;
  for await (const page of searchHashtag(client, options, state)) {
    matched.push(...page.matching);
    state = page.state;
    if (++pages >= stopAfter) break;
  }
  return { matched, state };
}

const uris = (ps: Post[]) => ps.map((p) => p.uri);
const OPTIONS: SearchOptions = { hashtag: 'databs' };

describe('searchHashtag windowing', () => {
  it('opens until-windows past the search cap and finds every post once', async () => {
    const index = posts(55);
    const { client, calls } = fakeSearch(index, { cap: 20, pageSize: 10 });
    const { matched, state } = await collect(client, OPTIONS);
    expect(uris(matched)).toEqual(uris(index));
    // Windows of 20, 20 and 15, then one empty window says nothing is older.
    expect(calls.map((c) => c.until)).toEqual([undefined, undefined, index[19]!.indexedAt, index[19]!.indexedAt, index[39]!.indexedAt, index[39]!.indexedAt, index[54]!.indexedAt]);
    expect(calls.map((c) => c.cursor)).toEqual([undefined, '10', undefined, '10', undefined, '10', undefined]);
    expect(state).toMatchObject({ done: true, pages: 7, matched: 55 });
  });

  it('keeps posts that share the boundary instant: seen ones are skipped, unseen ones are found', async () => {
    // Posts 8..12 share one instant; the cap (10) cuts through them, and `until` is inclusive.
    const at = (i: number) => (i < 8 ? 1_000 - i : i <= 12 ? 900 : 800 - i);
    const index = posts(20, at);
    const { client } = fakeSearch(index, { cap: 10, pageSize: 10, until: 'inclusive' });
    const first = await collect(client, OPTIONS, undefined, 1);
    expect(first.state.oldestAt).toBe(iso(900));
    expect(first.state.boundaryUris).toEqual(uris(index.slice(8, 10)));
    const { matched, state } = await collect(client, OPTIONS, first.state);
    expect(uris([...first.matched, ...matched])).toEqual(uris(index));
    expect(state.matched).toBe(20);
  });

  it('stops when a whole page was already seen (a service that ignores until)', async () => {
    const index = posts(30);
    const { client, calls } = fakeSearch(index, { cap: 10, pageSize: 10, until: 'ignored' });
    const { matched, state } = await collect(client, OPTIONS);
    expect(uris(matched)).toEqual(uris(index.slice(0, 10)));
    expect(calls).toHaveLength(2);
    expect(state).toMatchObject({ done: true, pages: 2, matched: 10 });
  });

  it('stops at maxPosts without asking for another page', async () => {
    const index = posts(35);
    const { client, calls } = fakeSearch(index, { cap: 100, pageSize: 10 });
    const { matched, state } = await collect(client, { hashtag: 'databs', maxPosts: 25 });
    expect(uris(matched)).toEqual(uris(index.slice(0, 25)));
    expect(calls).toHaveLength(3);
    expect(state).toMatchObject({ done: true, matched: 25 });
  });

  it('counts only posts that really carry the tag toward maxPosts', async () => {
    const index = posts(20, undefined, (i) => (i % 2 ? 'about #databsx' : '#DataBS rocks'));
    const { client } = fakeSearch(index, { cap: 100, pageSize: 10 });
    const { matched, state } = await collect(client, { hashtag: 'databs', maxPosts: 7 });
    expect(matched.map((p) => (p.record as { text: string }).text)).toEqual(Array(7).fill('#DataBS rocks'));
    expect(state).toMatchObject({ done: true, matched: 7, pages: 2 });
  });

  it('resumes from a checkpoint: the same pages are not asked for again and no post comes twice', async () => {
    const index = posts(45);
    const whole = fakeSearch(index, { cap: 20, pageSize: 10 });
    const reference = await collect(whole.client, OPTIONS);

    const first = fakeSearch(index, { cap: 20, pageSize: 10 });
    const before = await collect(first.client, OPTIONS, undefined, 3); // into the second window
    // The checkpoint goes through JSON, as it does through Neo4j.
    const stored = JSON.parse(JSON.stringify(before.state)) as SearchCheckpoint;
    const second = fakeSearch(index, { cap: 20, pageSize: 10 });
    const after = await collect(second.client, OPTIONS, stored);

    expect(uris([...before.matched, ...after.matched])).toEqual(uris(index));
    expect([...first.calls, ...second.calls]).toEqual(whole.calls);
    expect(after.state).toEqual(reference.state);
  });

  it('a finished checkpoint asks for nothing', async () => {
    const { client, calls } = fakeSearch(posts(5), { cap: 10, pageSize: 10 });
    const done = { ...initialSearchState(OPTIONS), done: true, matched: 5, pages: 1 };
    const { matched } = await collect(client, OPTIONS, done);
    expect(matched).toEqual([]);
    expect(calls).toHaveLength(0);
  });
});
