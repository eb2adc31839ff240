/**
 * The real crawler against Bluesky's own reference stack (@atproto/dev-env: PLC, PDS, AppView),
 * over real HTTP, into real Neo4j. The community is seeded through the PDS; the expected graph is
 * computed from what was seeded (with Bluesky's own tag parser), never from the crawl.
 *
 * Needs PostgreSQL: `sudo bash scripts/postgres.sh` (DB_POSTGRES_URL defaults to what it prints).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AtpAgent } from '@atproto/api';
import type { Config } from '../../src/config/config.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { BlueskyClient } from '../../src/ingest/bsky-client.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { devenvCrawlConfig, startDevenv, type Devenv } from '../support/devenv.js';
import { expectedGraph, findableBySearch, HUB, LONER, planCommunity, SUBSTRING_ONLY, tagsCarried, type ExpectedGraph } from '../support/devenv-community.js';
import { observedGraph } from '../support/devenv-graph.js';
import { addPost, changeHandle, deletePost, seedCommunity, unfollow, updateProfile, type SeededCommunity } from '../support/devenv-seed.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const TAG = 'databs';
const logLines: string[] = [];
const logger = createLogger('warn', 'devenv-test', (line) => logLines.push(line));
const timings: Record<string, number> = {};

let db: GraphDatabase;
let devenv: Devenv;
let community: SeededCommunity;
let requestsSeen = '';
/** The member who stops posting the tag before the re-ingest. */
let leaver = '';

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[label] = Math.round(performance.now() - started);
  }
}

function configFor(extra: Record<string, string> = {}): Config {
  return devenvCrawlConfig(devenv, community.crawler, extra);
}

function nameOf(did: string): string {
  if (did === community.crawler.did) return 'crawler';
  return community.accounts.find((a) => a.did === did)?.name ?? did;
}

const expected = (): ExpectedGraph => expectedGraph(community.accounts, TAG);

/** Everything dev-env's search returns for q, across its pages. */
async function searchAll(agent: AtpAgent, q: string): Promise<Array<{ author: string; text: string }>> {
  const out: Array<{ author: string; text: string }> = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await agent.app.bsky.feed.searchPosts({ q, limit: 100, cursor });
    for (const p of res.data.posts) out.push({ author: p.author.did, text: (p.record as { text: string }).text });
    cursor = res.data.cursor;
    if (!cursor || res.data.posts.length === 0) break;
  }
  return out;
}

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devenv = await timed('TestNetwork.create', () => startDevenv());
  const plans = planCommunity();
  community = await timed('seed (accounts + applyWrites)', () => seedCommunity(devenv.pdsUrl, plans));
  Object.assign(timings, { 'seed: createAccount': community.timings.createAccounts, 'seed: applyWrites': community.timings.applyWrites });
  await timed('AppView indexing (processAll)', () => devenv.processAll());
}, 180_000);

afterAll(async () => {
  await timed('teardown', async () => {
    await devenv?.close();
  });
  await db?.close();
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`\n[devenv-ingest] timings (ms): ${JSON.stringify(timings)}; accounts: ${community?.accounts.length ?? 0}; crawl 1: ${requestsSeen}; peak RSS ${rssMb} MB\n`);
}, 120_000);

describe('dev-env as the reference the truth rests on', () => {
  it('its AppView reports the seeded profiles and counts', async () => {
    const agent = community.accounts[0]!.agent;
    const truth = expected();
    expect(truth.members.length).toBeGreaterThanOrEqual(30);
    const members = new Map(truth.members.map((m) => [community.byName.get(m.name)!.did, m]));
    const dids = [...members.keys()];
    for (let i = 0; i < dids.length; i += 25) {
      const chunk = dids.slice(i, i + 25);
      const res = await agent.app.bsky.actor.getProfiles({ actors: chunk });
      expect(res.data.profiles.map((p) => p.did).sort()).toEqual([...chunk].sort());
      for (const p of res.data.profiles) {
        const m = members.get(p.did)!;
        expect({ name: m.name, handle: p.handle, displayName: p.displayName, description: p.description, followersCount: p.followersCount, followsCount: p.followsCount, postsCount: p.postsCount }).toEqual({
          name: m.name,
          handle: m.handle,
          displayName: m.displayName,
          description: m.description,
          followersCount: m.followersCount,
          followsCount: m.followsCount,
          postsCount: m.postsCount,
        });
      }
    }
  });

  it('its search is a case-sensitive substring match on the text (so #DataBS-only posts are unfindable)', async () => {
    const agent = community.accounts[0]!.agent;
    const lower = await searchAll(agent, `#${TAG}`);
    const authors = new Set(lower.map((p) => nameOf(p.author)));
    // Decoys come back (substring), the hidden accounts do not (only #DataBS / ＃databs / outline tags).
    expect(authors.has('decoy01')).toBe(true);
    expect(authors.has('hidden01')).toBe(false);
    expect(authors.has('hidden02')).toBe(false);
    // What it returns is exactly the seeded posts whose text contains the lower-case `#databs`.
    const seededFindable = community.accounts.flatMap((a) => [...a.posts.values()].filter((p) => findableBySearch(p, TAG)).map((p) => `${a.name}: ${p.text}`));
    expect(lower.map((p) => `${nameOf(p.author)}: ${p.text}`).sort()).toEqual(seededFindable.sort());
    // The mixed-case spelling is only found by asking in that case.
    const mixed = await searchAll(agent, '#DataBS');
    expect(new Set(mixed.map((p) => nameOf(p.author))).has('hidden01')).toBe(true);
    // The hidden accounts do carry the tag the Bluesky way: a production search would find them.
    for (const name of ['hidden01', 'hidden02']) {
      expect([...community.byName.get(name)!.posts.values()].some((p) => tagsCarried(p).has(TAG))).toBe(true);
    }
  });
});

describe('ingest of #databs from dev-env', () => {
  it('builds exactly the seeded community: members, follows, profiles, targets', async () => {
    const service = new IngestService({ db, config: configFor(), logger });
    const run = await timed('crawl 1', () => service.run({ hashtag: TAG }));
    expect({ status: run.status, error: run.error }).toEqual({ status: 'SUCCEEDED', error: null });

    const truth = expected();
    const observed = await observedGraph(db, TAG, nameOf);
    expect(observed.members).toEqual(truth.members);
    expect(observed.targets).toEqual(truth.targets);
    expect(observed.strayEdges).toEqual([]);
    expect(observed.duplicateDids).toEqual([]);

    const edges = truth.members.reduce((n, m) => n + m.follows.length, 0);
    expect(run.counters.members).toBe(truth.members.length);
    expect(run.counters.follows).toBe(edges);
    expect(run.counters.actors).toBe(truth.members.length + truth.targets.length);

    // Requests: one sign-in, the search pages, profiles 25 a call, every member's follows to the end.
    // dev-env returns a cursor after every non-empty page (keyset pagination), so each follow list
    // and the search end with one empty page, and the crawler's `until` window gets page 1 again.
    const findable = community.accounts.reduce((n, a) => n + [...a.posts.values()].filter((p) => findableBySearch(p, TAG)).length, 0);
    const searchPages = Math.ceil(findable / 100) + 2;
    const followPages = truth.members.reduce((n, m) => n + (m.follows.length === 0 ? 1 : Math.ceil(m.follows.length / 100) + 1), 0);
    const bound = 1 + searchPages + Math.ceil(truth.members.length / 25) + followPages;
    const rMin = Math.ceil(findable / 100) + Math.ceil(truth.members.length / 25) + truth.members.reduce((n, m) => n + Math.max(1, Math.ceil(m.follows.length / 100)), 0);
    requestsSeen = `${run.counters.requests} requests (bound ${bound}, DESIGN R_min ${rMin}), ${run.counters.searchPages} search pages`;
    expect(run.counters.searchPages).toBeLessThanOrEqual(searchPages);
    expect(run.counters.requests).toBeLessThanOrEqual(bound);
    expect(run.counters.retries).toBe(0);
  }, 120_000);

  it('covers the edge cases: the 0-follow member, the >100-follow member, a member found only through #databsx', async () => {
    const truth = expected();
    const loner = truth.members.find((m) => m.name === LONER)!;
    const hub = truth.members.find((m) => m.name === HUB)!;
    expect(loner.follows).toEqual([]);
    expect(hub.follows.length).toBeGreaterThan(100);
    expect(truth.members.some((m) => m.name === SUBSTRING_ONLY)).toBe(true);
    expect(truth.members.some((m) => m.name.startsWith('decoy') || m.name.startsWith('hidden'))).toBe(false);

    const rows = await db.read<{ name: string; follows: number; fetched: boolean }>(
      `MATCH (a:Actor) WHERE a.did IN $dids
       RETURN a.did AS name, COUNT { (a)-[:FOLLOWS]->() } AS follows, a.followsFetchedAt IS NOT NULL AS fetched`,
      { dids: [LONER, HUB].map((n) => community.byName.get(n)!.did) },
    );
    const byName = Object.fromEntries(rows.map((r) => [nameOf(r.name), { follows: r.follows, fetched: r.fetched }]));
    expect(byName).toEqual({ [LONER]: { follows: 0, fetched: true }, [HUB]: { follows: hub.follows.length, fetched: true } });
  });

  it('a re-ingest reflects the present: unfollow, profile edit, handle changes, a member leaving, a member joining', async () => {
    const { byName } = community;
    const hub = byName.get(HUB)!;
    const unfollowed = byName.get('member03')!;
    await unfollow(hub, unfollowed.did);
    await updateProfile(byName.get('member04')!, { displayName: 'Four, renamed', description: 'a new bio' });
    const renamed = byName.get('member06')!;
    const oldHandle = renamed.handle;
    await changeHandle(renamed, 'member06-renamed');
    await changeHandle(byName.get('outsider01')!, 'outsider01-renamed');
    // A member whose one findable tag post goes away is no longer a member.
    const leaving = expected().members.find((m) => m.tagPosts === 1 && ![LONER, HUB, SUBSTRING_ONLY, 'member03', 'member04', 'member06'].includes(m.name))!;
    leaver = leaving.name;
    const leavingAccount = byName.get(leaving.name)!;
    const tagPost = [...leavingAccount.posts].find(([, p]) => findableBySearch(p, TAG) && tagsCarried(p).has(TAG))![0];
    await deletePost(leavingAccount, tagPost);
    // A crowd account posts the tag for the first time (with a trailing comma, no facet).
    const joining = byName.get('crowd007')!;
    await addPost(joining, { text: 'first time here #databs, hello' });
    await devenv.processAll();

    const service = new IngestService({ db, config: configFor(), logger });
    const run = await timed('crawl 2 (re-ingest)', () => service.run({ hashtag: TAG }));
    expect({ status: run.status, error: run.error }).toEqual({ status: 'SUCCEEDED', error: null });

    const truth = expected();
    expect(truth.members.some((m) => m.name === leaving.name)).toBe(false);
    expect(truth.members.some((m) => m.name === 'crowd007')).toBe(true);
    const observed = await observedGraph(db, TAG, nameOf);
    expect(observed.members).toEqual(truth.members);
    expect(observed.targets).toEqual(truth.targets);
    expect(observed.duplicateDids).toEqual([]);

    // Spelled out, for whoever reads a failure here.
    const hubRow = observed.members.find((m) => m.name === HUB)!;
    expect(hubRow.follows).not.toContain('member03');
    const member06 = await db.read<{ handle: string }>('MATCH (a:Actor {did: $did}) RETURN a.handle AS handle', { did: renamed.did });
    expect(member06).toEqual([{ handle: 'member06-renamed.test' }]);
    expect(await db.read('MATCH (a:Actor {handle: $h}) RETURN a.did', { h: oldHandle })).toEqual([]);
  }, 120_000);

  it('a member who left every community keeps none of the FOLLOWS edges crawled while a member', async () => {
    // Nobody refreshes a non-member's follows, so edges kept from its member days go stale
    // (unfollows never disappear) and leak into anything that reads FOLLOWS among the crawled actors.
    const observed = await observedGraph(db, TAG, nameOf);
    // Only meaningful once the re-ingest above has really removed the leaver from the community.
    expect(leaver).not.toBe('');
    expect(observed.members.map((m) => m.name)).not.toContain(leaver);
    expect(observed.strayEdges).toEqual([]);
  });

  it('a wrong app password fails the run as refused sign-in, without the password in the error', async () => {
    const before = await observedGraph(db, TAG, nameOf);
    const wrong = 'wrong-app-password-5k2q';
    const config = configFor({ BSKY_APP_PASSWORD: wrong });
    await expect(new BlueskyClient({ bsky: config.bsky }).login()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    const service = new IngestService({ db, config, logger });
    const run = await service.run({ hashtag: TAG });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/sign-in .* refused/i);
    // Clients are not told who signed in; the operator's log says who and why.
    expect(run.error).not.toContain(community.crawler.handle);
    expect(logLines.join('\n')).toContain(community.crawler.handle);
    expect(run.error).not.toContain(wrong);
    expect(logLines.join('\n')).not.toContain(wrong);
    // The failed run did not touch the community.
    expect(await observedGraph(db, TAG, nameOf)).toEqual(before);
  });
});
