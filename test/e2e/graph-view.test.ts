/**
 * The graph view end to end: real Neo4j seeded with devnet communities, the real server
 * (`startServer`, as `bsky-graph serve` wires it), the production build of web/, and headless
 * Chromium clicking through it. Expected values come from the devnet's ground truth, and the
 * panel's mutual follows are compared with an independent GraphQL request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CentralityService } from '../../src/analytics/centrality-service.js';
import { CommunityInsights } from '../../src/analytics/community-insights.js';
import { loadConfig } from '../../src/config/config.js';
import { ExportService } from '../../src/export/export-service.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { startServer, type RunningServer } from '../../src/server/create-server.js';
import { launchChromium } from '../support/e2e-browser.js';
import { mutualMembers, seedCommunity, type ExpectedCommunity } from '../support/e2e-community.js';
import { ensureWebBuild, WEB_DIST } from '../support/e2e-web-build.js';
import { graphql } from '../support/graphql-client.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const ARTIFACTS = 'test-artifacts';

/** What the page's test hook answers (see web/src/view/test-hook.ts). */
interface Hook {
  ready: boolean;
  phase: string;
  error: string | null;
  timings: Record<string, number>;
  sizedBy: string | null;
  diagnostics: Record<string, unknown>;
  nodeCount(): number;
  renderedNodeCount(): number;
  edgeCount(): number;
  nodePosition(did: string): { x: number; y: number; radius: number } | null;
  nodes(): string[];
  sizeOf(did: string): number | null;
  selected(): string | null;
  cameraAnimating(): boolean;
  layoutSettled: boolean;
  communityNames: string;
  communityOf(did: string): number | null;
}
declare const window: { __graphView?: Hook };

let db: GraphDatabase;
let server: RunningServer;
let browser: Browser;
let page: Page;
let big: ExpectedCommunity;
let small: ExpectedCommunity;
const consoleErrors: string[] = [];

async function waitUntilReady(p: Page, hashtag: string, timeout = 120_000): Promise<void> {
  await p.waitForFunction(
    (tag) => {
      const v = (window as unknown as { __graphView?: Hook & { hashtag: string } }).__graphView;
      return (v?.ready && v.hashtag === tag) || v?.phase === 'error';
    },
    hashtag,
    { timeout, polling: 100 },
  );
  const error = await p.evaluate(() => window.__graphView?.error ?? null);
  expect(error).toBeNull();
}

/** The server's community names (and partition) arrived and were drawn. */
async function namesApplied(): Promise<void> {
  await page.waitForFunction(() => ['loaded', 'error'].includes(window.__graphView!.communityNames), null, { timeout: 120_000 });
  expect(await page.evaluate(() => window.__graphView!.communityNames)).toBe('loaded');
}

beforeAll(async () => {
  const build = ensureWebBuild();
  db = openTestDatabase();
  await resetGraph(db);
  // 1,500 members, as dense as a lively hashtag: ~100 follows each, half of them inside it.
  big = await seedCommunity(db, { members: 1500, outsiders: 1500, meanFollows: 100, seed: 11, hashtag: 'databs' });
  small = await seedCommunity(db, { members: 40, seed: 5, hashtag: 'tinytag' });

  const config = loadConfig({ NEO4J_URI: process.env.NEO4J_URI, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD, PORT: '0', LOG_LEVEL: 'warn' });
  const logger = createLogger('warn', 'e2e', () => {});
  const centrality = new CentralityService(db);
  server = await startServer({
    config,
    db,
    ingest: new IngestService({ db, config, logger }),
    centrality,
    insights: new CommunityInsights(db, centrality),
    exports: new ExportService(db, mkdtempSync(join(tmpdir(), 'exports-'))),
    logger,
    host: '127.0.0.1',
    port: 0,
    webDir: WEB_DIST,
  });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // Devnet avatars live on a host that does not exist; the validation 400 is the page probing for communityGraph.
    if (msg.type() === 'error' && !/ERR_NAME_NOT_RESOLVED|status of 400/.test(msg.text())) consoleErrors.push(msg.text());
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  if (build.built) console.log(`[e2e] built web/ in ${build.ms} ms`);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.close();
});

describe('graph view', () => {
  let loadMs = 0;
  let legend: string[] = [];
  const legendText = () => page.locator('[data-testid=legend-community]').allTextContents();

  it('loads the biggest hashtag and draws every member and every follow among them', async () => {
    const started = Date.now();
    await page.goto(`${server.url}/`);
    await waitUntilReady(page, big.hashtag);
    loadMs = Date.now() - started;

    const seen = await page.evaluate(() => {
      const v = window.__graphView!;
      return { nodes: v.nodeCount(), rendered: v.renderedNodeCount(), edges: v.edgeCount(), timings: v.timings, diagnostics: v.diagnostics };
    });
    expect(seen.nodes).toBe(big.members.length);
    expect(seen.rendered).toBe(big.members.length);
    expect(seen.edges).toBe(big.edges);
    expect(seen.timings.layoutIterations).toBeGreaterThan(10);

    // The hashtag list is the API's: both tags, biggest first, with their member counts.
    const options = await page.$$eval('[data-testid=hashtag-select] option', (os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent })));
    expect(options.map((o) => o.value)).toEqual([big.hashtag, small.hashtag]);
    await page.locator('[data-testid=legend-community]').first().waitFor({ state: 'visible' });
    await namesApplied();
    legend = await legendText();
    expect(legend.length).toBeGreaterThan(1);

    const report = { members: big.members.length, follows: big.edges, wallMs: loadMs, ...seen.timings, ...seen.diagnostics };
    writeFileSync(join(ARTIFACTS, 'graph-view-timings.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`[e2e] ${big.members.length} nodes / ${big.edges} follows: navigation → layout-ready ${seen.timings.navigationToReadyMs} ms (test wall ${loadMs} ms)`, report);
    await page.screenshot({ path: join(ARTIFACTS, 'graph-view-overview.png') });
  }, 180_000);

  it('sizes nodes by the chosen centrality', async () => {
    const biggest = () =>
      page.evaluate(() => {
        const v = window.__graphView!;
        const sizes = v.nodes().map((did) => [did, v.sizeOf(did)!] as const);
        const max = Math.max(...sizes.map(([, s]) => s));
        return sizes.filter(([, s]) => s === max).map(([did]) => did);
      });
    // PageRank by default: the API's top actor is drawn biggest.
    const top = await graphql<{ centrality: Array<{ actor: { did: string } }> }>(
      server.url,
      'query($h: String) { centrality(metric: PAGERANK, hashtag: $h, scope: COMMUNITY, first: 1) { actor { did } } }',
      { h: big.hashtag },
    );
    expect(await biggest()).toContain(top.data!.centrality[0]!.actor.did);

    // Followers inside the community, counted from the ground truth.
    await page.selectOption('[data-testid=size-select]', 'IN_DEGREE');
    const followers = new Map(big.members.map((did) => [did, 0]));
    for (const m of big.members) for (const t of big.outOf.get(m) ?? []) if (followers.has(t)) followers.set(t, followers.get(t)! + 1);
    const most = Math.max(...followers.values());
    await page.waitForFunction(() => window.__graphView!.sizedBy === 'IN_DEGREE');
    const drawnBiggest = await biggest();
    expect(drawnBiggest.length).toBeGreaterThan(0);
    for (const did of drawnBiggest) expect(followers.get(did)).toBe(most);
    await page.selectOption('[data-testid=size-select]', 'PAGERANK');
    await page.waitForFunction(() => window.__graphView!.sizedBy === 'PAGERANK');
  }, 60_000);

  it('switches hashtag from the picker', async () => {
    await page.selectOption('[data-testid=hashtag-select]', small.hashtag);
    await waitUntilReady(page, small.hashtag);
    expect(await page.evaluate(() => window.__graphView!.nodeCount())).toBe(small.members.length);
    expect(await page.evaluate(() => window.__graphView!.edgeCount())).toBe(small.edges);
    expect(new URL(page.url()).searchParams.get('hashtag')).toBe(small.hashtag);

    await page.selectOption('[data-testid=hashtag-select]', big.hashtag);
    await waitUntilReady(page, big.hashtag);
    expect(await page.evaluate(() => window.__graphView!.nodeCount())).toBe(big.members.length);
    await namesApplied();
    // Same data, same communities and colours after switching away and back.
    expect(await legendText()).toEqual(legend);
  }, 180_000);

  it('finds an actor by handle, selects it with a click on the canvas, and lists its mutual follows as the API does', async () => {
    // A well-connected member (drawn big, so nothing covers it) with a handful of mutuals.
    const target = [...big.members]
      .map((did) => ({ did, mutuals: mutualMembers(big, did).length, followers: big.members.filter((m) => big.outOf.get(m)?.has(did)).length }))
      .filter((x) => x.mutuals >= 3 && x.mutuals <= 60)
      .sort((a, b) => b.followers - a.followers || (a.did < b.did ? -1 : 1))[0]!;
    const handle = big.handleOf.get(target.did)!;

    // Search: suggestions as you type, Enter picks the first one and the camera flies there.
    await page.fill('[data-testid=search-input]', handle.slice(0, -2));
    await page.locator('[data-testid=search-suggestion]').first().waitFor({ state: 'visible' });
    expect(await page.locator('[data-testid=search-suggestion]').first().getAttribute('data-did')).toBe(target.did);
    await page.press('[data-testid=search-input]', 'Enter');
    await page.waitForFunction(() => !window.__graphView!.cameraAnimating(), null, { timeout: 10_000 });
    expect(await page.evaluate(() => window.__graphView!.selected())).toBe(target.did);

    // Deselect, then select again by clicking the node where sigma drew it.
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => window.__graphView!.selected())).toBeNull();
    expect(await page.locator('[data-testid=profile-panel]').isHidden()).toBe(true);
    // ForceAtlas2 refines for a few seconds after layout-ready: click where the node stays.
    await page.waitForFunction(() => window.__graphView!.layoutSettled, null, { timeout: 30_000 });
    const at = await page.evaluate((did) => window.__graphView!.nodePosition(did), target.did);
    expect(at).not.toBeNull();
    await page.mouse.click(at!.x, at!.y);
    await page.waitForFunction((did) => window.__graphView!.selected() === did, target.did, { timeout: 10_000 });

    const panel = page.locator('[data-testid=profile-panel]');
    expect(await panel.locator('[data-testid=profile-handle]').textContent()).toBe(`@${handle}`);
    expect(await panel.locator('[data-testid=profile-link]').getAttribute('href')).toBe(`https://bsky.app/profile/${handle}`);
    await page.waitForFunction(() => document.querySelector('[data-testid=profile-panel]')?.getAttribute('data-mutuals-state') === 'loaded', null, { timeout: 20_000 });
    const shown = (await panel.locator('[data-testid=mutual-item]').evaluateAll((items) => items.map((i) => i.getAttribute('data-did')))).sort();

    const api = await graphql<{ mutualFollows: { totalCount: number; nodes: Array<{ did: string }> } }>(
      server.url,
      'query($a: String!, $h: String) { mutualFollows(actor: $a, hashtag: $h, first: 1000) { totalCount nodes { did } } }',
      { a: handle, h: big.hashtag },
    );
    expect(api.errors).toBeUndefined();
    expect(shown).toEqual(api.data!.mutualFollows.nodes.map((n) => n.did).sort());
    expect(shown).toEqual(mutualMembers(big, target.did));
    expect(await panel.locator('[data-testid=mutuals-count]').textContent()).toBe(String(api.data!.mutualFollows.totalCount));
    expect(Number(await panel.locator('[data-testid=profile-followers-here]').textContent())).toBe(target.followers);

    await page.waitForFunction(() => !window.__graphView!.cameraAnimating(), null, { timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'graph-view.png') });
  }, 120_000);

  it("names communities in the legend as the API does, recolours by Leiden on request, and suggests follows for a clicked member", async () => {
    const query = `query($h: String!, $a: CommunityAlgorithm) { communities(hashtag: $h, algorithm: $a) { id label memberDids } }`;
    const louvain = await graphql<{ communities: Array<{ id: number; label: string | null; memberDids: string[] }> }>(server.url, query, { h: big.hashtag, a: 'LOUVAIN' });
    expect(louvain.errors).toBeUndefined();
    const labelOf = new Map(louvain.data!.communities.map((c) => [c.id, c.label]));
    const entries = await page.locator('[data-testid=legend-community]').evaluateAll((items) =>
      items.map((i) => ({ id: Number(i.getAttribute('data-community')), label: i.querySelector('[data-testid=legend-label]')?.textContent ?? null })),
    );
    expect(entries.length).toBeGreaterThan(1);
    for (const e of entries) expect(e.label).toBe(labelOf.get(e.id) ?? null);
    expect(entries.some((e) => e.label !== null)).toBe(true);

    // Under the legend: how much of the profiles' follows the graph holds, from completeness(hashtag).
    const completeness = await graphql<{ completeness: { listedShare: number | null } }>(server.url, '{ completeness(hashtag: "databs") { listedShare } }');
    const share = Math.min(1, completeness.data!.completeness.listedShare!);
    await page.locator('[data-testid=completeness]').waitFor({ state: 'visible', timeout: 30_000 });
    const line = await page.locator('[data-testid=completeness]').textContent();
    expect(line).toMatch(/^Crawl: [\d.]+% of profiles' follows/);
    expect(Number(/([\d.]+)%/.exec(line!)![1])).toBeCloseTo(share * 100, 0);

    // Leiden: every drawn member is coloured by the server's Leiden community.
    await page.selectOption('[data-testid=community-algorithm]', 'LEIDEN');
    await page.waitForFunction(() => window.__graphView!.communityNames === 'loaded' && new URL(location.href).searchParams.get('communities') === 'leiden', null, { timeout: 120_000 });
    const leiden = await graphql<{ communities: Array<{ id: number; memberDids: string[] }> }>(server.url, query, { h: big.hashtag, a: 'LEIDEN' });
    const expected = new Map(leiden.data!.communities.flatMap((c) => c.memberDids.map((d) => [d, c.id] as [string, number])));
    const drawn = await page.evaluate((dids) => dids.map((d) => window.__graphView!.communityOf(d)), big.members.slice(0, 300));
    expect(drawn).toEqual(big.members.slice(0, 300).map((d) => expected.get(d)));
    await page.selectOption('[data-testid=community-algorithm]', 'LOUVAIN');
    await page.waitForFunction(() => window.__graphView!.communityNames === 'loaded' && !new URL(location.href).searchParams.has('communities'), null, { timeout: 60_000 });

    // The k-core filter hides the members outside the chosen core, as the API numbers them.
    const cores = await graphql<{ communities: Array<{ memberDids: string[]; coreNumbers: number[] }> }>(server.url, `{ communities(hashtag: "databs") { memberDids coreNumbers } }`);
    const coreOf = new Map(cores.data!.communities.flatMap((c) => c.memberDids.map((d, i) => [d, c.coreNumbers[i]!] as [string, number])));
    const maxCore = Math.max(...coreOf.values());
    const k = Math.ceil(maxCore / 2);
    await page.$eval('[data-testid=kcore-filter]', (el, value) => {
      (el as HTMLInputElement).value = String(value);
      el.dispatchEvent(new Event('change'));
    }, k);
    const kept = [...coreOf.values()].filter((c) => c >= k).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(big.members.length);
    await page.waitForFunction((n) => window.__graphView!.renderedNodeCount() === n, kept, { timeout: 10_000 });
    expect(await page.locator('[data-testid=kcore-label]').textContent()).toContain(`Core ≥ ${k}`);
    await page.$eval('[data-testid=kcore-filter]', (el) => {
      (el as HTMLInputElement).value = '0';
      el.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction((n) => window.__graphView!.renderedNodeCount() === n, big.members.length, { timeout: 10_000 });

    // Suggestions for the selected member: the API's, in its order.
    const selected = await page.evaluate(() => window.__graphView!.selected());
    expect(selected).not.toBeNull();
    await page.waitForFunction(() => document.querySelector('[data-testid=profile-panel]')?.getAttribute('data-suggestions-state') === 'loaded', null, { timeout: 30_000 });
    const shown = await page.locator('[data-testid=suggestion-item]').evaluateAll((items) => items.map((i) => i.getAttribute('data-did')));
    const api = await graphql<{ suggestFollows: Array<{ actor: { did: string } }> }>(
      server.url,
      'query($a: String!, $h: String!) { suggestFollows(actor: $a, hashtag: $h, first: 8) { actor { did } } }',
      { a: selected!, h: big.hashtag },
    );
    expect(api.errors).toBeUndefined();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(api.data!.suggestFollows.map((s) => s.actor.did));
    for (const did of shown) expect(big.outOf.get(selected!)?.has(did!) ?? false).toBe(false);
  }, 240_000);

  it('exports the community as CSV through the export mutation', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid=export-csv]')]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${big.hashtag}.*\\.csv$`));
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe('source,target,source_avatar_url,source_posts_count,source_followers_count,source_follows_count');
    expect(lines.length - 1).toBe(big.edges);
  }, 120_000);

  it('offers the ALL scope only when the server can send it as one graph', async () => {
    const all = page.locator('[data-testid=scope-all]');
    const fields = await graphql<{ __schema: { queryType: { fields: Array<{ name: string }> } } }>(server.url, '{ __schema { queryType { fields { name } } } }');
    const served = fields.data!.__schema.queryType.fields.some((f) => f.name === 'communityGraph');
    expect(await all.isDisabled()).toBe(!served);
    if (!served) return;
    await all.click();
    await waitUntilReady(page, big.hashtag);
    expect(await page.evaluate(() => window.__graphView!.nodeCount())).toBe(big.allActors);
    expect(await page.evaluate(() => window.__graphView!.edgeCount())).toBe(big.allEdges);
  }, 180_000);

  it('logged no errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
