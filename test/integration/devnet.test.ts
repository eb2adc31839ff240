/**
 * The devnet over real HTTP, driven by the real `@atproto/api` client (which validates every
 * response against the lexicons, so shapes are checked too).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AtpAgent } from '@atproto/api';
import {
  followsOf,
  generateCommunity,
  groundTruth,
  carriesTag,
  mulberry32,
  renameHandles,
  searchPagesFor,
  searchResultCount,
  startDevnet,
  type Devnet,
  type DevnetActor,
} from '../../devnet/index.js';

const community = generateCommunity({ members: 120, seed: 21 });

async function loggedIn(devnet: Devnet): Promise<AtpAgent> {
  const agent = new AtpAgent({ service: devnet.url });
  await agent.login({ identifier: devnet.credentials.identifier, password: devnet.credentials.password });
  return agent;
}

function xrpc(devnet: Devnet, nsid: string, query = '', init: RequestInit = {}): Promise<Response> {
  return fetch(`${devnet.url}/xrpc/${nsid}${query ? `?${query}` : ''}`, init);
}

describe('devnet over HTTP with AtpAgent', () => {
  let devnet: Devnet;
  let agent: AtpAgent;

  beforeAll(async () => {
    devnet = await startDevnet({ community, searchCap: 250, accessTtlSec: 1 });
    agent = await loggedIn(devnet);
  });
  afterAll(() => devnet.close());

  it('logs in by handle or DID, rejects a wrong password, and refreshes an expired access token', async () => {
    expect(agent.session?.did).toBe(community.crawler.did);
    expect(agent.session?.active).toBe(true);
    const byDid = new AtpAgent({ service: devnet.url });
    await byDid.login({ identifier: devnet.credentials.did, password: devnet.credentials.password });
    await expect(new AtpAgent({ service: devnet.url }).login({ identifier: devnet.credentials.identifier, password: 'nope' })).rejects.toMatchObject({
      status: 401,
    });

    const token = agent.session?.accessJwt;
    await new Promise((r) => setTimeout(r, 2100));
    const before = devnet.stats();
    const res = await agent.app.bsky.actor.getProfile({ actor: community.actors[0]!.did });
    expect(res.data.did).toBe(community.actors[0]!.did);
    expect(devnet.stats().refreshSessionCalls).toBe(before.refreshSessionCalls + 1);
    expect(agent.session?.accessJwt).not.toBe(token);
    const session = await agent.com.atproto.server.getSession();
    expect(session.data.handle).toBe('crawler.devnet.test');
  });

  it('pages getFollows to exactly the generated set, cursor absent at the end', async () => {
    const byDegree = community.actors.slice(0, community.memberCount).slice().sort((a, b) => b.followsCount - a.followsCount);
    for (const member of [byDegree[0]!, byDegree[byDegree.length - 1]!]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await agent.app.bsky.graph.getFollows({ actor: member.handle, limit: 100, cursor });
        expect(res.data.subject.did).toBe(member.did);
        seen.push(...res.data.follows.map((f) => f.did));
        cursor = res.data.cursor;
        pages++;
      } while (cursor);
      const expected = Array.from(followsOf(community.follows, member.index), (t) => community.actors[t]!.did);
      expect(seen).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(member.followsCount / 100)));
    }
    expect(byDegree[0]!.followsCount).toBeGreaterThan(250);
    expect(byDegree[byDegree.length - 1]!.followsCount).toBe(0);
  });

  it('serves followers consistent with followersCount', async () => {
    const target = community.actors.find((a) => a.followersCount > 30) as DevnetActor;
    let count = 0;
    let cursor: string | undefined;
    do {
      const res = await agent.app.bsky.graph.getFollowers({ actor: target.did, limit: 100, cursor });
      count += res.data.followers.length;
      cursor = res.data.cursor;
    } while (cursor);
    expect(count).toBe(target.followersCount);
  });

  it('serves getProfiles for up to 25 actors and rejects more', async () => {
    const actors = community.actors.slice(0, 26);
    const ok = await agent.app.bsky.actor.getProfiles({ actors: actors.slice(0, 25).map((a, i) => (i % 2 ? a.did : a.handle)) });
    expect(ok.data.profiles).toHaveLength(25);
    expect(ok.data.profiles[0]).toMatchObject({ did: actors[0]!.did, followsCount: actors[0]!.followsCount, followersCount: actors[0]!.followersCount, postsCount: actors[0]!.postsCount });
    await expect(agent.app.bsky.actor.getProfiles({ actors: actors.map((a) => a.did) })).rejects.toMatchObject({ status: 400, error: 'InvalidRequest' });
  });

  it('resolves handles', async () => {
    const a = community.actors[3]!;
    expect((await agent.com.atproto.identity.resolveHandle({ handle: a.handle })).data.did).toBe(a.did);
    await expect(agent.com.atproto.identity.resolveHandle({ handle: 'nobody.devnet.test' })).rejects.toMatchObject({ status: 400 });
  });

  it('stops the cursor at the search cap, so the crawler must continue with until', async () => {
    const truth = groundTruth(community, { searchCap: 250 });
    const total = searchResultCount(community, { searchCap: 250 });
    expect(total).toBeGreaterThan(250);
    devnet.resetStats();
    const uris = new Set<string>();
    const authors = new Set<string>();
    let until: string | undefined;
    let windows = 0;
    for (;;) {
      let cursor: string | undefined;
      let inWindow = 0;
      let oldest: string | undefined;
      do {
        const res = await agent.app.bsky.feed.searchPosts({ q: '#databs', limit: 100, sort: 'latest', cursor, until });
        for (const post of res.data.posts) {
          expect(uris.has(post.uri)).toBe(false);
          uris.add(post.uri);
          const record = post.record as { text: string; facets?: [] };
          if (carriesTag(record, 'databs')) authors.add(post.author.did);
          oldest = post.indexedAt;
          inWindow++;
        }
        cursor = res.data.cursor;
      } while (cursor);
      windows++;
      if (inWindow === 0) break;
      expect(inWindow).toBeLessThanOrEqual(250);
      until = oldest;
    }
    expect(windows).toBe(Math.ceil(total / 250) + 1);
    expect(uris.size).toBe(total);
    expect(new Set(authors)).toEqual(new Set(truth.members));
    expect(devnet.stats().byMethod['app.bsky.feed.searchPosts']).toBe(searchPagesFor(total, { searchCap: 250 }));
  });

  it('answers 401 AuthMissing without a session', async () => {
    const anonymous = new AtpAgent({ service: devnet.url });
    await expect(anonymous.app.bsky.feed.searchPosts({ q: '#databs' })).rejects.toMatchObject({ status: 401, error: 'AuthMissing' });
    await expect(anonymous.app.bsky.graph.getFollows({ actor: community.actors[0]!.did })).rejects.toMatchObject({ status: 401 });
    const res = await xrpc(devnet, 'app.bsky.feed.searchPosts', 'q=%23databs', { headers: { authorization: 'Bearer not.a.jwt' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'InvalidToken' });
  });

  it('serves a renamed community: old handles stop resolving, DIDs stay', async () => {
    const renamed = renameHandles(community, 5, mulberry32(1));
    const changed = renamed.actors.find((a, i) => a.handle !== community.actors[i]!.handle)!;
    devnet.setCommunity(renamed);
    try {
      const profile = await agent.app.bsky.actor.getProfile({ actor: changed.did });
      expect(profile.data.handle).toBe(changed.handle);
      await expect(agent.com.atproto.identity.resolveHandle({ handle: community.actors[changed.index]!.handle })).rejects.toMatchObject({ status: 400 });
    } finally {
      devnet.setCommunity(community);
    }
  });
});

describe('devnet rate limits', () => {
  it('announces the budget on every response and answers 429 past it', async () => {
    const devnet = await startDevnet({ members: 20, seed: 1, rateLimit: { requests: 5, seconds: 60 } });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 7; i++) {
        last = await xrpc(devnet, 'com.atproto.server.describeServer');
        statuses.push(last.status);
        if (i === 0) {
          expect(last.headers.get('ratelimit-limit')).toBe('5');
          expect(last.headers.get('ratelimit-remaining')).toBe('4');
          expect(last.headers.get('ratelimit-policy')).toBe('5;w=60');
        }
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(await last!.json()).toMatchObject({ error: 'RateLimitExceeded' });
      expect(last!.headers.get('ratelimit-remaining')).toBe('0');
      const reset = Number(last!.headers.get('ratelimit-reset'));
      expect(reset).toBeGreaterThan(Date.now() / 1000 + 50);
      expect(devnet.stats().rateLimited).toBe(2);
      await expect(loggedIn(devnet)).rejects.toMatchObject({ status: 429 });
      devnet.resetRateLimits();
      expect((await xrpc(devnet, 'com.atproto.server.describeServer')).status).toBe(200);
    } finally {
      await devnet.close();
    }
  });

  it('limits createSession separately, like the PDS', async () => {
    const devnet = await startDevnet({ members: 20, seed: 1, createSessionLimits: [{ requests: 2, seconds: 300 }] });
    try {
      await loggedIn(devnet);
      await loggedIn(devnet);
      await expect(loggedIn(devnet)).rejects.toMatchObject({ status: 429, error: 'RateLimitExceeded' });
      expect(devnet.stats().createSessionCalls).toBe(3);
    } finally {
      await devnet.close();
    }
  });

  it('gives unauthenticated reads their own budget in search-only mode', async () => {
    const devnet = await startDevnet({ members: 20, seed: 1, auth: 'search-only', rateLimit: { requests: 3, seconds: 60 }, publicRateLimit: { requests: 10, seconds: 60 } });
    try {
      const anonymous = new AtpAgent({ service: devnet.url });
      const member = devnet.community.actors[0]!;
      for (let i = 0; i < 5; i++) {
        const res = await anonymous.app.bsky.graph.getFollows({ actor: member.did, limit: 100 });
        expect(res.data.follows).toHaveLength(member.followsCount);
        expect(res.headers['ratelimit-limit']).toBe('10');
      }
      await expect(anonymous.app.bsky.feed.searchPosts({ q: '#databs' })).rejects.toMatchObject({ status: 401 });
      const agent = await loggedIn(devnet);
      expect((await agent.app.bsky.feed.searchPosts({ q: '#databs' })).headers['ratelimit-limit']).toBe('3');
    } finally {
      await devnet.close();
    }
  });
});

describe('devnet faults', () => {
  let devnet: Devnet;
  beforeAll(async () => {
    devnet = await startDevnet({ members: 20, seed: 1, rateLimit: false });
  });
  afterAll(() => devnet.close());

  it('injects 5xx at the configured rate, deterministically', async () => {
    const run = async (): Promise<number[]> => {
      devnet.setFaults({ errorRate: 0.3, seed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) statuses.push((await xrpc(devnet, 'com.atproto.server.describeServer')).status);
      return statuses;
    };
    devnet.resetStats();
    const first = await run();
    expect(await run()).toEqual(first);
    const errors = first.filter((s) => s >= 500);
    expect(errors.length).toBeGreaterThan(5);
    expect(new Set(errors).size).toBeGreaterThan(1);
    expect(devnet.stats().faultsInjected.errors).toBe(errors.length * 2);

    const agent = await (async () => {
      devnet.setFaults({});
      return loggedIn(devnet);
    })();
    devnet.setFaults({ errorRate: 1 });
    await expect(agent.app.bsky.actor.getProfile({ actor: devnet.community.actors[0]!.did })).rejects.toMatchObject({
      status: expect.any(Number),
    });
    const status = (await xrpc(devnet, 'com.atproto.server.describeServer')).status;
    expect([500, 502, 503]).toContain(status);
    devnet.setFaults({});
  });

  it('resets sockets, stalls and delays responses', async () => {
    devnet.resetStats();
    devnet.setFaults({ resetRate: 1 });
    await expect(xrpc(devnet, 'com.atproto.server.describeServer')).rejects.toThrow();
    expect(devnet.stats().faultsInjected.resets).toBe(1);

    devnet.setFaults({ stallRate: 1, stallMs: 300 });
    let started = Date.now();
    expect((await xrpc(devnet, 'com.atproto.server.describeServer')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(devnet.stats().faultsInjected.stalls).toBe(1);

    devnet.setFaults({ latencyMs: [40, 60] });
    started = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => xrpc(devnet, 'com.atproto.server.describeServer').then((r) => r.arrayBuffer())));
    expect(Date.now() - started).toBeGreaterThanOrEqual(38);
    expect(devnet.stats().maxConcurrent).toBeGreaterThanOrEqual(5);
    devnet.setFaults({});
  });

  it('reports unknown methods and wrong HTTP verbs like XRPC', async () => {
    const unknown = await xrpc(devnet, 'app.bsky.feed.getTimeline');
    expect(unknown.status).toBe(501);
    expect(await unknown.json()).toMatchObject({ error: 'MethodNotImplemented' });
    const wrongVerb = await xrpc(devnet, 'com.atproto.server.createSession');
    expect(wrongVerb.status).toBe(400);
  });
});
