/**
 * The graph view moves as the stream arrives: a living devnet crawled into real Neo4j, the real
 * server with a watcher on the devnet's Jetstream, and the built page in headless Chromium. A follow
 * made on the network appears in the drawn graph without a reload, an unfollow removes it, and an
 * account that posts the tag appears as a new node.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { startDevnet, type Devnet, type LiveCommunity } from '../../devnet/index.js';
import { CentralityService } from '../../src/analytics/centrality-service.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { startServer, type RunningServer } from '../../src/server/create-server.js';
import { WatchService } from '../../src/watch/watch-service.js';
import { configFor } from '../support/devnet-ingest.js';
import { launchChromium } from '../support/e2e-browser.js';
import { ensureWebBuild, WEB_DIST } from '../support/e2e-web-build.js';
import { graphql } from '../support/graphql-client.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

interface Hook {
  ready: boolean;
  hashtag: string;
  error: string | null;
  nodes(): string[];
  live(): { state: string; applied: number } | null;
  renderedNodeCount(): number;
  timeFilter: string | null;
  hasFollow(source: string, target: string): boolean;
  communityOf(did: string): number | null;
  colourOf(did: string): string | null;
}
declare const window: { __graphView?: Hook };

let db: GraphDatabase;
let devnet: Devnet;
let live: LiveCommunity;
let watch: WatchService;
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  ensureWebBuild();
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 40, seed: 12, live: true, rateLimit: false });
  live = devnet.live!;
  const config = configFor(devnet, { PORT: '0' });
  const logger = createLogger('warn');
  const ingest = new IngestService({ db, config, logger });
  expect((await ingest.run({ hashtag: live.hashtag })).status).toBe('SUCCEEDED');
  watch = new WatchService({ db, jetstreamUrl: devnet.jetstreamUrl, plcUrl: devnet.url, logger });
  server = await startServer({ config, db, ingest, watch, centrality: new CentralityService(db), logger, host: '127.0.0.1', port: 0, webDir: WEB_DIST });
  expect((await graphql(server.url, `mutation($h: String!) { startWatch(hashtag: $h) { state } }`, { h: live.hashtag })).errors).toBeUndefined();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${server.url}/?hashtag=${live.hashtag}`);
  await page.waitForFunction((tag) => window.__graphView?.ready === true && window.__graphView.hashtag === tag, live.hashtag, { timeout: 120_000 });
  await page.waitForFunction(() => window.__graphView!.live()?.state === 'live', null, { timeout: 30_000 });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await watch?.close();
  await server?.close();
  await devnet?.close();
  await db?.close();
});

describe('live view', () => {
  it('draws a follow made on the network, and removes it on unfollow, without a reload', async () => {
    const truth = live.truth();
    const drawn = new Set(await page.evaluate(() => window.__graphView!.nodes()));
    // The drawn member who follows the fewest, and a drawn member it does not follow yet.
    const follows = (did: string) => new Set((truth.follows.get(did) ?? []).map((r) => r.subject));
    const follower = truth.members.map((m) => m.did).filter((d) => drawn.has(d)).sort((a, b) => follows(a).size - follows(b).size)[0]!;
    const subject = [...drawn].find((d) => d !== follower && !follows(follower).has(d))!;
    expect(subject).toBeDefined();
    expect(await page.evaluate(([a, b]) => window.__graphView!.hasFollow(a!, b!), [follower, subject])).toBe(false);

    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    live.follow(follower, subject);
    await page.waitForFunction(([a, b]) => window.__graphView!.hasFollow(a!, b!), [follower, subject], { timeout: 30_000 });
    const rkey = live.followRecords(follower).find((r) => r.subject === subject)!.rkey;
    live.unfollow(follower, rkey);
    await page.waitForFunction(([a, b]) => !window.__graphView!.hasFollow(a!, b!), [follower, subject], { timeout: 30_000 });
    expect(navigations).toEqual([]);
  }, 90_000);

  it('adds an account that posts the tag as a new node, with its follows and the community most of them are in', async () => {
    // Three drawn members of the largest community and one of another: whom the newcomer follows.
    const drawn = await page.evaluate(() => window.__graphView!.nodes().map((did) => ({ did, community: window.__graphView!.communityOf(did)! })));
    const sizes = new Map<number, number>();
    for (const n of drawn) if (n.community >= 0) sizes.set(n.community, (sizes.get(n.community) ?? 0) + 1);
    const [largest] = [...sizes.entries()].sort((x, y) => y[1] - x[1])[0]!;
    const members = new Set(live.truth().members.map((m) => m.did));
    const inLargest = drawn.filter((n) => n.community === largest && members.has(n.did)).slice(0, 3).map((n) => n.did);
    const other = drawn.find((n) => n.community >= 0 && n.community !== largest && members.has(n.did))!.did;
    expect(inLargest).toHaveLength(3);

    const created = live.createAccount('newcomer-live.devnet.test', { displayName: 'New Comer' });
    for (const did of [...inLargest, other]) live.follow(created.did, did);
    live.post(created.did, `Hello #${live.hashtag} people`);
    await page.waitForFunction((did) => window.__graphView!.nodes().includes(did), created.did, { timeout: 30_000 });
    // Its follows come from the re-read of its repository, pushed like any other change.
    await page.waitForFunction(
      ({ did, targets }) => targets.every((t) => window.__graphView!.hasFollow(did, t)),
      { did: created.did, targets: [...inLargest, other] },
      { timeout: 30_000 },
    );
    await page.waitForFunction(({ did, c }) => window.__graphView!.communityOf(did) === c, { did: created.did, c: largest }, { timeout: 10_000 });
    const colours = await page.evaluate(([did, peer]) => [window.__graphView!.colourOf(did!), window.__graphView!.colourOf(peer!)], [created.did, inLargest[0]!]);
    expect(colours[0]).toBe(colours[1]);
    expect((await page.evaluate(() => window.__graphView!.live()))!.applied).toBeGreaterThanOrEqual(3);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('the time slider shows the graph of a past day, as communityGraph(asOf) answers it, and comes back to today', async () => {
    await page.locator('[data-testid=time-slider]').waitFor({ state: 'visible', timeout: 30_000 });
    const max = Number(await page.locator('[data-testid=time-slider]').getAttribute('max'));
    // The crawled posts fall on the devnet's first day(s); the newcomer above posted today.
    expect(max).toBeGreaterThanOrEqual(1);
    const growth = await graphql<{ growth: Array<{ start: string }> }>(server.url, `query($h: String!) { growth(hashtag: $h, interval: DAY) { start } }`, { h: live.hashtag });
    // The first day with changes: the newcomer above (who posted today) was not there yet.
    const step = 0;
    const day = growth.data!.growth[step]!.start;
    const then = await graphql<{ communityGraph: { nodes: Array<{ did: string }> } }>(
      server.url,
      `query($h: String!, $at: String!) { communityGraph(hashtag: $h, asOf: $at, includeUndated: true) { nodes { did } } }`,
      { h: live.hashtag, at: `${day}T23:59:59.999Z` },
    );
    const drawn = new Set(await page.evaluate(() => window.__graphView!.nodes()));
    const expected = then.data!.communityGraph.nodes.filter((n) => drawn.has(n.did)).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(drawn.size);
    const setSlider = (value: number) =>
      page.$eval('[data-testid=time-slider]', (el, v) => {
        (el as HTMLInputElement).value = String(v);
        el.dispatchEvent(new Event('change'));
      }, value);
    await setSlider(step);
    await page.waitForFunction((n) => window.__graphView!.renderedNodeCount() === n, expected, { timeout: 15_000 });
    expect(await page.evaluate(() => window.__graphView!.timeFilter)).toBe(day);
    expect(await page.locator('[data-testid=time-label]').textContent()).toContain(`As of ${day}`);
    await setSlider(max);
    await page.waitForFunction((n) => window.__graphView!.renderedNodeCount() === n, drawn.size, { timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
