/**
 * The watcher on the relay firehose of Bluesky's own reference stack (@atproto/dev-env): its PDS
 * serves `com.atproto.sync.subscribeRepos` (CBOR frames, signed commits), its PLC the signing keys.
 * The community is seeded and crawled (AppView mode: edges without rkeys) into real Neo4j, then
 * changed through the PDS — follows made and deleted, a tagged post by a newcomer, a profile edit,
 * a handle change, a deactivated account — and the graph must follow each, exactly, computed from
 * what was written, never from the watcher. Needs PostgreSQL (scripts/postgres.sh).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { readWatchCursors } from '../../src/graph/watch-writes.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { FirehoseSource } from '../../src/watch/firehose-source.js';
import { HashtagWatcher } from '../../src/watch/hashtag-watcher.js';
import { RepoFollows } from '../../src/watch/repo-follows.js';
import { spawnCli, waitFor } from '../support/cli.js';
import { devenvCrawlConfig, startDevenv, type Devenv } from '../support/devenv.js';
import { expectedGraph, HUB, planCommunity } from '../support/devenv-community.js';
import { addPost, changeHandle, seedCommunity, unfollow, updateProfile, type SeededAccountWithAgent, type SeededCommunity } from '../support/devenv-seed.js';
import { killWatcher } from '../support/watch-kill.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const TAG = 'databs';
const logLines: string[] = [];
const logger = createLogger('warn', 'firehose-test', (line) => logLines.push(line));

let db: GraphDatabase;
let devenv: Devenv;
let community: SeededCommunity;
/** Members as the test's own model says: crawled ones plus those who posted the tag since. */
const members = new Set<string>();
const running: HashtagWatcher[] = [];

const nameOf = (did: string) => community.accounts.find((a) => a.did === did)?.name ?? did;
const firehoseUrl = () => devenv.pdsUrl.replace(/^http/, 'ws');

/** keysFrom: where the firehose resolves signing keys (the dev-env PLC unless a test says otherwise). */
function watcherFor(keysFrom = devenv.network.plc.url): { watcher: HashtagWatcher; source: FirehoseSource } {
  const repos = new RepoFollows({ plcUrl: devenv.network.plc.url });
  const source = new FirehoseSource({ service: firehoseUrl(), plcUrl: keysFrom, handleOf: (did) => repos.handleOf(did), forget: (did) => repos.forget(did), logger, timeoutMs: 2_000 });
  const watcher = new HashtagWatcher({ db, hashtag: TAG, source, repos, logger, batchMs: 50 });
  running.push(watcher);
  return { watcher, source };
}

async function follow(account: SeededAccountWithAgent, target: SeededAccountWithAgent): Promise<string> {
  const res = await account.agent.com.atproto.repo.createRecord({
    repo: account.did,
    collection: 'app.bsky.graph.follow',
    record: { $type: 'app.bsky.graph.follow', subject: target.did, createdAt: new Date().toISOString() },
  });
  account.follows.set(target.did, res.data.uri);
  return res.data.uri;
}

/** The model: every member's handle, name, bio and follows (names), from what was written to the PDS. */
function expected() {
  return [...members]
    .map((did) => community.accounts.find((a) => a.did === did)!)
    .map((a) => ({ name: a.name, handle: a.handle, displayName: a.displayName, description: a.description, follows: [...a.follows.keys()].map(nameOf).sort() }))
    .sort((x, y) => (x.name < y.name ? -1 : 1));
}

async function actual() {
  const rows = await db.read<{ did: string; handle: string; displayName: string; description: string; follows: string[] }>(
    `MATCH (a:Actor)-[:POSTED_WITH]->(:Hashtag {name: $tag})
     RETURN a.did AS did, a.handle AS handle, a.displayName AS displayName, a.description AS description,
            [(a)-[:FOLLOWS]->(t:Actor) | t.did] AS follows`,
    { tag: TAG },
  );
  return rows
    .map((r) => ({ name: nameOf(r.did), handle: r.handle, displayName: r.displayName, description: r.description, follows: r.follows.map(nameOf).sort() }))
    .sort((x, y) => (x.name < y.name ? -1 : 1));
}

/** Polls until the graph equals the model (the firehose is asynchronous); the last difference fails the test. */
async function graphFollows(watcher: HashtagWatcher, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await actual();
  while (Date.now() < deadline) {
    if (watcher.status().idle && JSON.stringify(seen) === JSON.stringify(expected())) return;
    await new Promise((r) => setTimeout(r, 100));
    seen = await actual();
  }
  expect(seen).toEqual(expected());
}

async function edge(sourceDid: string, targetDid: string) {
  return db.read<{ rkey: string | null; createdAt: string | null }>(`MATCH (:Actor {did: $s})-[e:FOLLOWS]->(:Actor {did: $t}) RETURN e.rkey AS rkey, e.createdAt AS createdAt`, { s: sourceDid, t: targetDid });
}

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devenv = await startDevenv();
  community = await seedCommunity(devenv.pdsUrl, planCommunity());
  await devenv.processAll();
  const run = await new IngestService({ db, config: devenvCrawlConfig(devenv, community.crawler), logger }).run({ hashtag: TAG });
  expect({ status: run.status, error: run.error }).toEqual({ status: 'SUCCEEDED', error: null });
  for (const m of expectedGraph(community.accounts, TAG).members) members.add(community.byName.get(m.name)!.did);
}, 240_000);

afterAll(async () => {
  for (const w of running) await w.stop().catch(() => undefined);
  await devenv?.close();
  await db?.close();
}, 120_000);

describe('bsky-graph watch --source firehose on dev-env', () => {
  let watcher: HashtagWatcher;
  let source: FirehoseSource;

  it('starts from the crawl: a change made after the crawl and before the watch is in the graph', async () => {
    // The crawl above read the AppView; these writes came after it.
    const hub = community.byName.get(HUB)!;
    await unfollow(hub, community.byName.get('member03')!.did);
    await updateProfile(community.byName.get('member04')!, { displayName: 'Four, before the watch' });
    ({ watcher, source } = watcherFor());
    await watcher.start();
    await graphFollows(watcher);
    expect(await edge(hub.did, community.byName.get('member03')!.did)).toEqual([]);
    const status = watcher.status();
    expect(status.source).toBe('firehose');
    expect(status.gaps).toBe(0);
    expect(status.invalidMessages).toBe(0);
  }, 60_000);

  it('folds follows made and deleted, with the record key and date, also deletes of edges the AppView crawl left without rkey', async () => {
    const a = community.byName.get('member07')!;
    const b = community.byName.get('crowd003')!;
    const uri = await follow(a, b);
    await graphFollows(watcher);
    const [made] = await edge(a.did, b.did);
    expect(made!.rkey).toBe(uri.split('/').pop());
    expect(Date.parse(made!.createdAt!)).toBeGreaterThan(Date.now() - 120_000);

    // A crawled edge (AppView: no rkey) deleted on the network: the unknown rkey re-reads the member.
    const member = community.byName.get('member08')!;
    const crawledTarget = [...member.follows.keys()][0]!;
    expect((await edge(member.did, crawledTarget))[0]!.rkey).toBeNull();
    const rereadsBefore = watcher.status().rereads;
    await unfollow(member, crawledTarget);
    // And the follow made a moment ago, whose rkey the graph knows.
    await unfollow(a, b.did);
    await graphFollows(watcher);
    expect(await edge(member.did, crawledTarget)).toEqual([]);
    expect(await edge(a.did, b.did)).toEqual([]);
    expect(watcher.status().rereads).toBeGreaterThan(rereadsBefore);
    // The re-read gave the member's remaining edges their record keys.
    const keys = await db.read<{ rkey: string | null }>(`MATCH (:Actor {did: $did})-[e:FOLLOWS]->() RETURN e.rkey AS rkey`, { did: member.did });
    expect(keys.length).toBe(member.follows.size);
    expect(keys.every((k) => typeof k.rkey === 'string')).toBe(true);
  }, 60_000);

  it('makes a newcomer who posts the tag a member, with profile and follows read from its repository', async () => {
    const newcomer = community.byName.get('crowd011')!;
    await follow(newcomer, community.byName.get('member09')!);
    await addPost(newcomer, { text: 'joining the #databs crowd today' });
    members.add(newcomer.did);
    await graphFollows(watcher);
    expect(watcher.status().newMembers).toBe(1);
    // A post without the tag makes nobody a member.
    const bystander = community.byName.get('crowd012')!;
    await addPost(bystander, { text: 'databs without the hash' });
    await graphFollows(watcher);
  }, 60_000);

  it('folds a profile edit and a handle change', async () => {
    const edited = community.byName.get('member10')!;
    await updateProfile(edited, { displayName: 'Ten, edited live', description: 'bio written while watched' });
    const renamed = community.byName.get('member11')!;
    await changeHandle(renamed, 'member11-live');
    await graphFollows(watcher);
    expect((await actual()).find((m) => m.name === 'member11')!.handle).toBe('member11-live.test');
  }, 60_000);

  it('marks a deactivated account (the documented policy) and keeps its edges', async () => {
    const quitting = community.byName.get('member12')!;
    await quitting.agent.com.atproto.server.deactivateAccount({});
    const deadline = Date.now() + 30_000;
    let status: string | null = null;
    while (Date.now() < deadline && status !== 'deactivated') {
      status = (await db.read<{ s: string | null }>(`MATCH (a:Actor {did: $did}) RETURN a.accountStatus AS s`, { did: quitting.did }))[0]!.s;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('deactivated');
    await graphFollows(watcher);
    await quitting.agent.com.atproto.server.activateAccount();
  }, 60_000);

  it('every graph-changing commit verified against its signing key', () => {
    expect(source.unverifiedOps).toBe(0);
    expect(watcher.status().invalidMessages).toBe(0);
  });

  it('a watcher that dies without flushing resumes from the stored sequence number: changes made meanwhile arrive', async () => {
    const stored = await readWatchCursors(db, TAG);
    expect(stored?.firehoseService).toBe(firehoseUrl());
    expect(stored!.firehose).toBeGreaterThan(0);
    // kill -9: the stream and the timer stop, nothing buffered is folded.
    await killWatcher(db, watcher, TAG);
    const a = community.byName.get('member13')!;
    await follow(a, community.byName.get('crowd020')!);
    await unfollow(community.byName.get('member14')!, [...community.byName.get('member14')!.follows.keys()][0]!);
    ({ watcher, source } = watcherFor());
    await watcher.start();
    expect(watcher.status().cursors!.firehose).toBeGreaterThanOrEqual(stored!.firehose!);
    await graphFollows(watcher);
    expect({ gaps: watcher.status().gaps, log: logLines.filter((l) => l.includes('gap')) }).toEqual({ gaps: 0, log: [] });
  }, 60_000);

  it('folds nothing it cannot verify: with signing keys unavailable, a follow on the network does not enter the graph', async () => {
    await watcher.stop();
    // Keys from a directory that does not answer: no commit can be checked against its author's key.
    ({ watcher, source } = watcherFor('http://127.0.0.1:9'));
    await watcher.start();
    const a = community.byName.get('member15')!;
    const b = community.byName.get('crowd030')!;
    await follow(a, b);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && source.unverifiedOps === 0) await new Promise((r) => setTimeout(r, 100));
    expect(source.unverifiedOps).toBeGreaterThan(0);
    expect(await edge(a.did, b.did)).toEqual([]);
    await watcher.stop();
    // The model and the graph meet again: the follow goes, and its (unknown) delete re-reads the member.
    ({ watcher, source } = watcherFor());
    await watcher.start();
    await unfollow(a, b.did);
    await graphFollows(watcher);
    expect(source.unverifiedOps).toBe(0);
  }, 90_000);

  it('a stored cursor the service never reached (a reset PDS: FutureCursor) resumes from now and re-reads every member', async () => {
    await watcher.stop();
    await db.autoCommit(`MATCH (w:WatchState {hashtag: $tag}) SET w.firehoseSeq = 1000000000000`, { tag: TAG });
    // Changed while nobody watched, and past any cursor the service can replay from: only the re-read sees it.
    const member = community.byName.get('member16')!;
    await unfollow(member, [...member.follows.keys()][0]!);
    ({ watcher, source } = watcherFor());
    await watcher.start();
    await graphFollows(watcher);
    const status = watcher.status();
    expect(status.gaps).toBe(1);
    expect(status.rereads).toBeGreaterThanOrEqual(members.size);
    expect(logLines.some((l) => l.includes('FutureCursor'))).toBe(true);
    // From then on the stored cursor is the service's own again, and new events fold as before.
    const stored = await readWatchCursors(db, TAG);
    expect(stored!.firehose).toBeLessThan(1000000000000);
    await follow(member, community.byName.get('crowd050')!);
    await unfollow(community.byName.get('member18')!, [...community.byName.get('member18')!.follows.keys()][0]!);
    await graphFollows(watcher);
  }, 90_000);

  it('bsky-graph watch databs --source firehose, as a user runs it: follows the network until SIGTERM, then exits 0', async () => {
    await watcher.stop();
    const child = spawnCli(['watch', TAG, '--source', 'firehose', '--status-every', '1'], {
      NEO4J_URI: process.env.NEO4J_URI,
      NEO4J_USER: process.env.NEO4J_USER,
      NEO4J_PASSWORD: process.env.NEO4J_PASSWORD,
      BSKY_FIREHOSE: firehoseUrl(),
      BSKY_PLC: devenv.network.plc.url,
      LOG_LEVEL: 'info',
    });
    const exited = waitFor(child, 120_000);
    try {
      let out = '';
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const started = Date.now();
      while (!out.includes('"watching"') && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('"source":"firehose"');
      const a = community.byName.get('member17')!;
      const b = community.byName.get('crowd040')!;
      const uri = await follow(a, b);
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (await edge(a.did, b.did)).length === 0) await new Promise((r) => setTimeout(r, 100));
      expect((await edge(a.did, b.did))[0]?.rkey).toBe(uri.split('/').pop());
    } finally {
      child.kill('SIGTERM');
    }
    const result = await exited;
    expect({ code: result.code, stopped: `${result.stdout}${result.stderr}`.includes('watch stopped') }).toEqual({ code: 0, stopped: true });
  }, 120_000);
});
