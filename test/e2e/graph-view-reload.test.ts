/**
 * The graph view's layout cache end to end: a first load computes the layout (ForceAtlas2) and
 * keeps it in the browser's storage; a reload of the unchanged graph draws the kept positions
 * without computing; a change to the graph (a new graphVersion) computes again. Real Neo4j, the
 * real server, the production build of web/, headless Chromium. Timings are printed, not asserted
 * (a shared 2-core box is too noisy for that); bench/view-load.ts measures them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CentralityService } from '../../src/analytics/centrality-service.js';
import { loadConfig } from '../../src/config/config.js';
import { ExportService } from '../../src/export/export-service.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { startServer, type RunningServer } from '../../src/server/create-server.js';
import { launchChromium } from '../support/e2e-browser.js';
import { seedCommunity, type ExpectedCommunity } from '../support/e2e-community.js';
import { ensureWebBuild, WEB_DIST } from '../support/e2e-web-build.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

interface Hook {
  ready: boolean;
  phase: string;
  error: string | null;
  hashtag: string | null;
  layoutSource: 'cache' | 'computed' | 'reseeded' | null;
  layoutSettled: boolean;
  graphVersion: string | null;
  timings: Record<string, number>;
  nodeCount(): number;
  edgeCount(): number;
  nodes(): string[];
  nodePosition(did: string): { x: number; y: number; radius: number } | null;
}
declare const window: { __graphView?: Hook };

let db: GraphDatabase;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let big: ExpectedCommunity;
const pageErrors: string[] = [];

async function waitUntilReady(p: Page, hashtag: string): Promise<{ layoutSource: Hook['layoutSource']; graphVersion: string | null; timings: Record<string, number> }> {
  await p.waitForFunction(
    (tag) => {
      const v = window.__graphView;
      return (v?.ready && v.hashtag === tag) || v?.phase === 'error';
    },
    hashtag,
    { timeout: 120_000, polling: 50 },
  );
  const seen = await p.evaluate(() => {
    const v = window.__graphView!;
    return { error: v.error, layoutSource: v.layoutSource, graphVersion: v.graphVersion, timings: v.timings };
  });
  expect(seen.error).toBeNull();
  return seen;
}

/** Graph coordinates of every drawn node, read through sigma's viewport (the same camera on both loads). */
const positions = (p: Page) => p.evaluate(() => window.__graphView!.nodes().map((did) => window.__graphView!.nodePosition(did)));

beforeAll(async () => {
  ensureWebBuild();
  db = openTestDatabase();
  await resetGraph(db);
  big = await seedCommunity(db, { members: 1500, outsiders: 1500, meanFollows: 100, seed: 11, hashtag: 'databs' });
  const config = loadConfig({ NEO4J_URI: process.env.NEO4J_URI, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD, PORT: '0', LOG_LEVEL: 'warn' });
  const logger = createLogger('warn', 'e2e', () => {});
  server = await startServer({
    config,
    db,
    ingest: new IngestService({ db, config, logger }),
    centrality: new CentralityService(db),
    exports: new ExportService(db, mkdtempSync(join(tmpdir(), 'exports-'))),
    logger,
    host: '127.0.0.1',
    port: 0,
    webDir: WEB_DIST,
  });
  browser = await launchChromium();
  // One context for the whole file: its localStorage is what the reloads share.
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.close();
});

describe('graph view layout cache', () => {
  let firstVersion: string | null = null;
  let settled: Array<{ x: number; y: number } | null> = [];

  it('computes the layout on a first load and keeps it', async () => {
    await page.goto(`${server.url}/`);
    const first = await waitUntilReady(page, big.hashtag);
    expect(first.layoutSource).toBe('computed');
    expect(await page.evaluate(() => window.__graphView!.edgeCount())).toBe(big.edges);
    firstVersion = first.graphVersion;
    expect(firstVersion).toEqual(expect.any(String));
    // The refinement after layout-ready ends by itself; then the kept layout is the final one.
    await page.waitForFunction(() => window.__graphView!.layoutSettled, null, { timeout: 60_000 });
    settled = await positions(page);
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('bsky-graph:layout:')));
    expect(stored).toHaveLength(1);
    console.log(`[e2e] first load (layout computed): navigation → layout-ready ${first.timings.navigationToReadyMs} ms, FA2 settled after ${(await page.evaluate(() => window.__graphView!.timings)).settleMs} ms; load average ${loadavg()[0]!.toFixed(2)}`, first.timings);
  }, 180_000);

  it('draws the kept positions on a reload of the unchanged graph, without computing', async () => {
    await page.reload();
    const again = await waitUntilReady(page, big.hashtag);
    expect(again.layoutSource).toBe('cache');
    expect(again.graphVersion).toBe(firstVersion);
    expect(again.timings.layoutIterations).toBe(0);
    expect(await page.evaluate(() => window.__graphView!.layoutSettled)).toBe(true);
    expect(await page.evaluate(() => window.__graphView!.nodeCount())).toBe(big.members.length);
    expect(await page.evaluate(() => window.__graphView!.edgeCount())).toBe(big.edges);
    // Same positions (Float32 in storage: equal to well under a pixel).
    const now = await positions(page);
    expect(now).toHaveLength(settled.length);
    let off = 0;
    now.forEach((p, i) => {
      const q = settled[i];
      if (!p || !q || Math.hypot(p.x - q.x, p.y - q.y) > 1) off++;
    });
    expect(off).toBe(0);
    console.log(`[e2e] reload (layout from cache): navigation → layout-ready ${again.timings.navigationToReadyMs} ms; load average ${loadavg()[0]!.toFixed(2)}`, again.timings);
  }, 120_000);

  it('computes again once the graph changed (a new graphVersion)', async () => {
    // One more follow between two members who did not follow each other.
    const ms = big.members;
    const i = ms.findIndex((m, k) => !big.outOf.get(m)?.has(ms[(k + 1) % ms.length]!));
    await db.write('MATCH (a:Actor {did: $a}), (b:Actor {did: $b}) MERGE (a)-[f:FOLLOWS]->(b) SET f.seenAt = 0', { a: ms[i]!, b: ms[(i + 1) % ms.length]! });
    await page.reload();
    const changed = await waitUntilReady(page, big.hashtag);
    expect(changed.graphVersion).not.toBe(firstVersion);
    // Seeded from the kept positions of the actors that are still there, then ForceAtlas2 again.
    expect(changed.layoutSource).toBe('reseeded');
    expect(changed.timings.layoutIterations).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.__graphView!.edgeCount())).toBe(big.edges + 1);
    console.log(`[e2e] reload after a change (layout recomputed from the kept one): navigation → layout-ready ${changed.timings.navigationToReadyMs} ms; load average ${loadavg()[0]!.toFixed(2)}`, changed.timings);
  }, 120_000);

  it('falls back to computing when the kept entry is corrupt', async () => {
    await page.waitForFunction(() => window.__graphView!.layoutSettled, null, { timeout: 60_000 });
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage)) if (k.startsWith('bsky-graph:layout:')) localStorage.setItem(k, '{"format":1,"graphVersion":"x');
    });
    await page.reload();
    const fresh = await waitUntilReady(page, big.hashtag);
    expect(fresh.layoutSource).toBe('computed');
  }, 120_000);

  it('logged no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
