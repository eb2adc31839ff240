/**
 * A live devnet over real HTTP and real WebSockets: listRecords and DID documents as a watcher
 * uses them, Jetstream replay, live tail, filters and faults, and the AppView reads following
 * the mutations.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AtpAgent } from '@atproto/api';
import { generateCommunity, mulberry32, startDevnet, type Devnet, type JetstreamEvent } from '../../devnet/index.js';
import { LiveCommunity, randomMutations } from '../../devnet/live/index.js';

const community = generateCommunity({ members: 40, seed: 33 });

interface Subscriber {
  events: JetstreamEvent[];
  socket: WebSocket;
  closed: Promise<void>;
  waitFor(pred: (events: JetstreamEvent[]) => boolean, ms?: number): Promise<JetstreamEvent[]>;
}

function subscribe(url: string): Promise<Subscriber> {
  const socket = new WebSocket(url);
  const events: JetstreamEvent[] = [];
  const waiters = new Set<() => void>();
  socket.addEventListener('message', (m) => {
    events.push(JSON.parse(String(m.data)) as JetstreamEvent);
    for (const w of waiters) w();
  });
  const closed = new Promise<void>((resolve) => socket.addEventListener('close', () => resolve()));
  const waitFor = (pred: (events: JetstreamEvent[]) => boolean, ms = 5000): Promise<JetstreamEvent[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pred(events)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(events);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out with ${events.length} events`));
      }, ms);
      waiters.add(check);
      void closed.then(() => setTimeout(check, 0));
      check();
    });
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve({ events, socket, closed, waitFor }));
    socket.addEventListener('error', () => reject(new Error('websocket error')));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = (e: JetstreamEvent) => `${e.time_us}:${e.did}`;

async function listAll(devnet: Devnet, repo: string, collection: string, extra = ''): Promise<Array<{ uri: string; value: { subject?: string } }>> {
  const out = [];
  let cursor = '';
  for (;;) {
    const res = await fetch(`${devnet.url}/xrpc/com.atproto.repo.listRecords?repo=${repo}&collection=${collection}&limit=7${extra}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).not.toBeNull();
    const body = (await res.json()) as { records: Array<{ uri: string; value: { subject?: string } }>; cursor?: string };
    if (body.records.length === 0) return out;
    out.push(...body.records);
    cursor = body.cursor as string;
  }
}

describe('live devnet', () => {
  let devnet: Devnet;
  let live: LiveCommunity;
  let agent: AtpAgent;

  beforeAll(async () => {
    live = new LiveCommunity(community);
    devnet = await startDevnet({ live, rateLimit: { requests: 5000, seconds: 60 } });
    agent = new AtpAgent({ service: devnet.url });
    await agent.login({ identifier: devnet.credentials.identifier, password: devnet.credentials.password });
  });
  afterAll(() => devnet.close());

  it('pages listRecords by rkey, newest first or reversed, equal to the truth', async () => {
    const member = community.actors.find((a) => live.followRecords(a.did).length > 20)!;
    const truth = live.followRecords(member.did).map((r) => `at://${member.did}/app.bsky.graph.follow/${r.rkey}`);
    const desc = await listAll(devnet, member.did, 'app.bsky.graph.follow');
    expect(desc.map((r) => r.uri)).toEqual([...truth].reverse());
    const asc = await listAll(devnet, member.handle, 'app.bsky.graph.follow', '&reverse=true');
    expect(asc.map((r) => r.uri)).toEqual(truth);
    expect(asc[0]!.value).toMatchObject({ $type: 'app.bsky.graph.follow', subject: live.followRecords(member.did)[0]!.subject });
    const posts = await listAll(devnet, member.did, 'app.bsky.feed.post');
    expect(posts.length).toBe(live.postsOf(member.did).length);

    const missing = await fetch(`${devnet.url}/xrpc/com.atproto.repo.listRecords?repo=did:plc:nobody&collection=app.bsky.graph.follow`);
    expect(missing.status).toBe(400);
    const tooMany = await fetch(`${devnet.url}/xrpc/com.atproto.repo.listRecords?repo=${member.did}&collection=app.bsky.graph.follow&limit=101`);
    expect(tooMany.status).toBe(400);
  });

  it('serves DID documents whose PDS is the devnet itself', async () => {
    const actor = community.actors[3]!;
    const res = await fetch(`${devnet.url}/${actor.did}`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { id: string; alsoKnownAs: string[]; service: Array<{ id: string; type: string; serviceEndpoint: string }> };
    expect(doc.id).toBe(actor.did);
    expect(doc.alsoKnownAs).toEqual([`at://${actor.handle}`]);
    expect(doc.service).toEqual([{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: devnet.url }]);
    expect((await fetch(`${devnet.url}/did:plc:aaaaaaaaaaaaaaaaaaaaaaaa`)).status).toBe(404);
  });

  it('replays the log from cursor 0, then tails new mutations live', async () => {
    randomMutations(live, mulberry32(1), 40);
    const logged = live.log.since(0);
    const sub = await subscribe(`${devnet.jetstreamUrl}?cursor=0`);
    await sub.waitFor((e) => e.length >= logged.length);
    expect(sub.events.map(key)).toEqual(logged.map(key));
    const later = randomMutations(live, mulberry32(2), 10).flatMap((m) => m.events);
    await sub.waitFor((e) => e.length >= logged.length + later.length);
    expect(sub.events.slice(logged.length).map(key)).toEqual(later.map(key));
    sub.socket.close();

    const fromMiddle = logged[Math.floor(logged.length / 2)]!;
    const mid = await subscribe(`${devnet.jetstreamUrl}?cursor=${fromMiddle.time_us}`);
    const expected = live.log.since(fromMiddle.time_us);
    await mid.waitFor((e) => e.length >= expected.length);
    expect(mid.events[0]!.time_us).toBe(fromMiddle.time_us);
    mid.socket.close();
  });

  it('filters by wantedDids and wantedCollections, and changes filters with options_update', async () => {
    const a = live.actor(live.createAccount('filter-a.devnet.test').did)!;
    const b = live.actor(live.createAccount('filter-b.devnet.test').did)!;
    const sub = await subscribe(`${devnet.jetstreamUrl}?wantedDids=${a.did}&wantedCollections=app.bsky.feed.post`);
    live.post(b.did, 'not for you #databs');
    live.updateProfile(a.did, { description: 'filtered out: a profile commit' });
    live.post(a.did, 'for you');
    live.changeHandle(a.did, 'a-renamed.devnet.test');
    await sub.waitFor((e) => e.length >= 2);
    await sleep(50);
    expect(sub.events.map((e) => [e.did, e.kind])).toEqual([
      [a.did, 'commit'],
      [a.did, 'identity'],
    ]);
    expect(sub.events[1]).toMatchObject({ identity: { did: a.did, handle: 'a-renamed.devnet.test' } });

    sub.socket.send(JSON.stringify({ type: 'options_update', payload: { wantedCollections: ['app.bsky.graph.*'], wantedDids: [b.did], maxMessageSizeBytes: 0 } }));
    await sleep(50);
    live.post(b.did, 'posts are filtered now');
    live.follow(b.did, a.did);
    live.deactivate(b.did);
    await sub.waitFor((e) => e.length >= 4);
    expect(sub.events.slice(2).map((e) => [e.did, e.kind])).toEqual([
      [b.did, 'commit'],
      [b.did, 'account'],
    ]);
    expect(sub.events[3]).toMatchObject({ account: { active: false, status: 'deactivated' } });
    live.reactivate(b.did);
    sub.socket.close();

    const refused = await fetch(`${devnet.url}/subscribe`);
    expect(refused.status).toBe(426);
  });

  it('keeps the AppView reads in step: follows, profiles, handles, gone accounts', async () => {
    const member = community.actors.find((a) => live.followRecords(a.did).length > 3 && live.actor(a.did)?.status === 'active')!;
    const followed = new Set(live.followRecords(member.did).map((r) => r.subject));
    const fresh = live.createAccount('newcomer.devnet.test', { displayName: 'New Comer' });
    live.post(fresh.did, 'hello #databs');
    live.follow(member.did, fresh.did);
    const dropped = live.followRecords(member.did)[0]!;
    live.unfollow(member.did, dropped.rkey);
    const sleeper = [...followed].find((d) => d !== dropped.subject && live.actor(d)?.status === 'active')!;
    live.deactivate(sleeper);

    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await agent.app.bsky.graph.getFollows({ actor: member.did, limit: 2, cursor });
      all.push(...page.data.follows.map((f) => f.did));
      cursor = page.data.cursor;
      // A follow made while paging must not shift the pages (keyset cursor).
      if (all.length === 2) live.follow(member.did, live.actors().find((a) => a.status === 'active' && a.did !== member.did && !live.followRecords(member.did).some((r) => r.subject === a.did))!.did);
    } while (cursor);
    const expected = live
      .followRecords(member.did)
      .filter((r) => live.actor(r.subject)?.status === 'active')
      .map((r) => r.subject)
      .reverse();
    expect(all[0]).toBe(fresh.did);
    expect(all).toEqual(expected.filter((d, i) => i !== 0));
    expect(all).not.toContain(sleeper);
    expect(all).not.toContain(dropped.subject);

    const profile = await agent.app.bsky.actor.getProfile({ actor: 'newcomer.devnet.test' });
    expect(profile.data).toMatchObject({ did: fresh.did, displayName: 'New Comer', followersCount: 1 });
    await expect(agent.app.bsky.actor.getProfile({ actor: sleeper })).rejects.toMatchObject({ error: 'AccountDeactivated' });
    const search = await agent.app.bsky.feed.searchPosts({ q: '#databs', limit: 5 });
    expect(search.data.posts[0]!.author.did).toBe(fresh.did);
    const resolved = await agent.com.atproto.identity.resolveHandle({ handle: 'newcomer.devnet.test' });
    expect(resolved.data.did).toBe(fresh.did);
    live.reactivate(sleeper);
  });
});

describe('live devnet with Jetstream faults', () => {
  let devnet: Devnet;

  beforeAll(async () => {
    devnet = await startDevnet({ community, live: true, jetstreamFaults: { disconnectEveryEvents: 25, duplicateRate: 0.2, reorderAcrossDids: true, seed: 4 } });
  });
  afterAll(() => devnet.close());

  it('drops the socket, duplicates and reorders across DIDs, and a rewound cursor loses nothing', async () => {
    const live = devnet.live!;
    randomMutations(live, mulberry32(7), 120);
    const truth = live.log.since(0);
    const seen = new Map<string, JetstreamEvent>();
    let deliveries = 0;
    let connections = 0;
    let cursor = 0;
    while (seen.size < truth.length && connections < 50) {
      connections++;
      const sub = await subscribe(`${devnet.jetstreamUrl}?cursor=${cursor}`);
      await Promise.race([sub.closed, sleep(400)]);
      sub.socket.close();
      deliveries += sub.events.length;
      for (const e of sub.events) seen.set(key(e), e);
      // Reordering means the newest time seen is not a safe resume point: rewind past the
      // reorder bound (2 × window = 8 events).
      const times = [...new Set(sub.events.map((e) => e.time_us))].sort((x, y) => y - x);
      cursor = Math.max(cursor, times[Math.min(8, times.length - 1)] ?? cursor);
      // Per DID, events arrive in log order even when reordered and duplicated.
      const lastOf = new Map<string, number>();
      const firstSeen = new Set<string>();
      for (const e of sub.events) {
        if (firstSeen.has(key(e))) continue;
        firstSeen.add(key(e));
        expect(e.time_us).toBeGreaterThan(lastOf.get(e.did) ?? 0);
        lastOf.set(e.did, e.time_us);
      }
    }
    expect(new Set(seen.keys())).toEqual(new Set(truth.map(key)));
    expect(connections).toBeGreaterThan(1);
    expect(deliveries).toBeGreaterThan(truth.length);
    expect(devnet.jetstreamStats().disconnects).toBeGreaterThan(0);
  });
});
