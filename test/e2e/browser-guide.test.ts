/**
 * Neo4j Browser opens the guide: a Neo4j server started by neo4j/neo4jctl (its own home and ports,
 * auth off, the neo4j.conf users get), the real server serving /browser-guide with CORS for that
 * Browser's origin, and headless Chromium typing `:play <url>` into Browser. Browser fetches the
 * guide from its page, so this checks the allow-list setting, the CORS answer and the HTML shape
 * together.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.js';
import { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { readmeGuideSlides } from '../../src/server/browser-guide.js';
import { startServer, type RunningServer } from '../../src/server/create-server.js';
import { launchChromium } from '../support/e2e-browser.js';
import { freePort } from '../support/ports.js';

jest.setTimeout(300_000);

const NEO4JCTL = fileURLToPath(new URL('../../neo4j/neo4jctl', import.meta.url));
/** Fixed (not per run) so the jars are fetched once per machine, as in neo4jctl.test.ts. */
const HOME = '/tmp/bsky-graph-browser-guide-e2e-home';
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');


let env: Record<string, string>;
function neo4jctl(command: string): void {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NEO4J_') && !k.startsWith('BSKY_NEO4J_')));
  const r = spawnSync('bash', [NEO4JCTL, command], { env: { ...clean, ...env } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`neo4jctl ${command} exited ${r.status}: ${r.stdout}${r.stderr}`);
}

let boltPort: number;
let httpPort: number;
let db: GraphDatabase;
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  boltPort = await freePort();
  httpPort = await freePort();
  env = {
    BSKY_NEO4J_HOME: HOME,
    BSKY_NEO4J_AUTH: 'off',
    NEO4J_BOLT_PORT: String(boltPort),
    NEO4J_HTTP_PORT: String(httpPort),
    NEO4J_HEAP_MAX: '1g',
    NEO4J_PAGECACHE: '256m',
    NEO4J_TX_MAX: '512m',
  };
  neo4jctl('start');
  const uri = `bolt://127.0.0.1:${boltPort}`;
  const config = loadConfig({ NEO4J_URI: uri, PORT: '0' });
  const logger = createLogger('warn');
  db = new GraphDatabase({ uri, user: 'neo4j', queryTimeoutMs: 30_000 });
  server = await startServer({ config, db, ingest: new IngestService({ db, config, logger }), logger, webDir: null, neo4jBrowserOrigins: [`http://127.0.0.1:${httpPort}`] });
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.close();
  if (env) neo4jctl('stop');
});

describe('Neo4j Browser and /browser-guide', () => {
  it('shows the guide after :play <url>, its slides holding the README queries', async () => {
    await page.goto(`http://127.0.0.1:${httpPort}/browser/?dbms=bolt://127.0.0.1:${boltPort}&preselectAuthMethod=NO_AUTH`);
    // Auth off: Browser connects by itself, then runs browser.post_connect_cmd (the guide on port 4000).
    await page.getByText('You have a working connection').waitFor({ timeout: 60_000 });
    const url = `${server.url}/browser-guide`;
    await page.locator('[data-testid="activeEditor"] textarea').first().click({ force: true });
    await page.keyboard.type(`:play ${url}`);
    await page.keyboard.press('Enter');

    const frame = page.locator('[data-testid="frame"]').filter({ has: page.locator('[data-testid="frameCommand"]', { hasText: url }) });
    await frame.getByText('bsky-graph: a Bluesky hashtag community').waitFor({ timeout: 30_000 });
    const slides = readmeGuideSlides(README);
    await expect(frame.getByText(`1 / ${slides.length + 1}`).count()).resolves.toBe(1);

    await frame.locator('[data-testid="nextSlide"]').click();
    const code = frame.locator('pre.runnable');
    await code.first().waitFor();
    // Browser prepends a play icon; the text is what a click puts into the editor.
    expect((await code.first().textContent())!.trim()).toBe(slides[0]!.cypher);
  });
});
