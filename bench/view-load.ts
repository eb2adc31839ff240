/**
 * The graph view's load time in headless Chromium with software WebGL (SwiftShader), on the demo's
 * graph: 1,500 members of #databs with the devnet's default density (~100,000 follows among them),
 * stored as an ingest stores them, scores written as the ingest's last step does, served by
 * `startApp` as `bsky-graph serve`/`demo` run it, and the production build of web/.
 *
 * Each run opens a fresh browser context (empty storage) at `/` and waits for layout-ready (the
 * test hook's phase 'ready': every node drawn at settled positions), then reloads the page (the
 * layout cache's path) and waits again. One more load after a change to the graph shows the
 * recompute. Times are the page's own navigation → layout-ready (performance.now()).
 *
 * Usage: node --import @swc-node/register/esm-register bench/view-load.ts [--runs N] [--members N]
 * Wipes NEO4J_URI (default bolt://127.0.0.1:7687): point it at a scratch server.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { writeScores } from '../src/analytics/centrality-service.js';
import { startApp } from '../src/cli/app.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { launchChromium } from '../test/support/e2e-browser.js';
import { seedCommunity } from '../test/support/e2e-community.js';
import { ensureWebBuild } from '../test/support/e2e-web-build.js';
import { openTestDatabase, resetGraph } from '../test/support/neo4j.js';
import { round, writeResult } from './support.js';

const HASHTAG = 'databs';

interface Hook {
  ready: boolean;
  phase: string;
  error: string | null;
  hashtag: string | null;
  layoutSource: string | null;
  graphVersion: string | null;
  timings: Record<string, number>;
  diagnostics: Record<string, unknown>;
  edgeCount(): number;
}
declare const window: { __graphView?: Hook };

interface Sample {
  navigationToReadyMs: number;
  layoutSource: string | null;
  timings: Record<string, number>;
  bytesOnWire: number;
  graphqlBytesOnWire: number;
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, members: { type: 'string', default: '1500' } } });
const runs = Number(values.runs);
const members = Number(values.members);
const log = (line: string) => process.stderr.write(`[view-load] ${line}\n`);

/** Bytes as they crossed the wire (compressed), per page load, from the DevTools protocol. */
async function wireCounter(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  let total = 0;
  let graphql = 0;
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    total += e.encodedDataLength;
    if (urls.get(e.requestId)?.endsWith('/graphql')) graphql += e.encodedDataLength;
  });
  return {
    take() {
      const out = { bytesOnWire: total, graphqlBytesOnWire: graphql };
      total = 0;
      graphql = 0;
      return out;
    },
  };
}

async function waitReady(page: Page, counter: { take(): { bytesOnWire: number; graphqlBytesOnWire: number } }): Promise<Sample> {
  await page.waitForFunction(
    (tag) => {
      const v = window.__graphView;
      return (v?.ready && v.hashtag === tag) || v?.phase === 'error';
    },
    HASHTAG,
    { timeout: 300_000, polling: 50 },
  );
  const seen = await page.evaluate(() => {
    const v = window.__graphView!;
    return { error: v.error, layoutSource: v.layoutSource, timings: v.timings };
  });
  if (seen.error) throw new Error(`the view failed: ${seen.error}`);
  // Let the last responses' loadingFinished events arrive.
  await page.waitForTimeout(200);
  return { navigationToReadyMs: seen.timings.navigationToReadyMs ?? Number.NaN, layoutSource: seen.layoutSource, timings: seen.timings, ...counter.take() };
}

function stats(xs: number[]) {
  const sorted = [...xs].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)]!, max: sorted[sorted.length - 1]!, runs: xs };
}

const build = ensureWebBuild();
if (build.built) log(`built web/ in ${build.ms} ms`);
const db = openTestDatabase();
const seedStarted = performance.now();
await resetGraph(db);
const community = await seedCommunity(db, { members, seed: 1, hashtag: HASHTAG });
await writeScores(db, HASHTAG);
log(`seeded ${community.members.length} members / ${community.edges} follows among them in ${Math.round(performance.now() - seedStarted)} ms`);

const config = loadConfig({ NEO4J_URI: process.env.NEO4J_URI, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
const app = await startApp(config, createLogger('warn', 'bench', () => {}));
const browser = await launchChromium();
const loadsBefore = loadavg();
const first: Sample[] = [];
const reload: Sample[] = [];
let changed: Sample | null = null;
try {
  // The server's first answers (Neo4j's page cache, the read model, PageRank) are the server's
  // business: warm it once the way the page asks, so the runs measure the view.
  const warm = await page0();
  log(`warm-up load (fresh browser, cold server): ${warm.navigationToReadyMs} ms`);
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const counter = await wireCounter(context, page);
    await page.goto(`${app.url}/`);
    first.push(await waitReady(page, counter));
    await page.reload();
    reload.push(await waitReady(page, counter));
    log(`run ${run + 1}: first load ${first.at(-1)!.navigationToReadyMs} ms (${first.at(-1)!.layoutSource}), reload ${reload.at(-1)!.navigationToReadyMs} ms (${reload.at(-1)!.layoutSource}), load ${loadavg()[0]!.toFixed(2)}`);
    if (run === runs - 1) {
      // One more follow between members: a new graphVersion, so the cached layout only seeds.
      const ms = community.members;
      const i = ms.findIndex((m, k) => !community.outOf.get(m)?.has(ms[(k + 1) % ms.length]!));
      const [a, b] = [ms[i]!, ms[(i + 1) % ms.length]!];
      await db.write('MATCH (a:Actor {did: $a}), (b:Actor {did: $b}) MERGE (a)-[f:FOLLOWS]->(b) SET f.seenAt = 0', { a, b });
      await page.reload();
      changed = await waitReady(page, counter);
      log(`after a change: ${changed.navigationToReadyMs} ms (${changed.layoutSource})`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await app.close();
  await db.close();
}

writeResult('view-load', {
  benchmark: 'view-load',
  graph: { members: community.members.length, followsAmongMembers: community.edges },
  browser: 'Debian chromium, headless, --disable-gpu (SwiftShader WebGL)',
  firstLoadMs: stats(first.map((s) => s.navigationToReadyMs)),
  reloadMs: stats(reload.map((s) => s.navigationToReadyMs)),
  changedGraphReloadMs: changed?.navigationToReadyMs ?? null,
  layoutSources: { first: first.map((s) => s.layoutSource), reload: reload.map((s) => s.layoutSource), changed: changed?.layoutSource ?? null },
  bytesOnWire: { firstLoad: first[0]?.bytesOnWire ?? null, firstLoadGraphql: first[0]?.graphqlBytesOnWire ?? null, reload: reload[0]?.bytesOnWire ?? null },
  firstLoadTimings: first.map((s) => s.timings),
  reloadTimings: reload.map((s) => s.timings),
  loadAverage: { before: loadsBefore.map((l) => round(l, 2)), after: loadavg().map((l) => round(l, 2)) },
  cpus: cpus().length,
});

/** One load in a throwaway context, to warm the server. */
async function page0(): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    const counter = await wireCounter(context, page);
    await page.goto(`${app.url}/`);
    return await waitReady(page, counter);
  } finally {
    await context.close();
  }
}
