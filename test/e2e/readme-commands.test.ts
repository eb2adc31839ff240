/**
 * The README's main command, exactly as written, on a fresh `git clone`: it must install, build,
 * start its own Neo4j, crawl the devnet and serve the graph view at /, GraphQL and Neo4j Browser;
 * Ctrl-C (SIGINT to the process group, as a terminal sends it) must stop everything it started.
 * Nothing here is built by the test: whatever the user's command does not build is missing.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ports.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The first command of the README's first sh block (comments dropped). */
export function readmeMainCommand(readme: string): string {
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const line = block.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  return line.replace(/\s+#.*$/, '').trim();
}


function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

let clone: string | null = null;
let child: ChildProcess | null = null;

afterAll(() => {
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (clone) {
    try {
      execFileSync('bash', ['neo4j/neo4jctl', 'stop'], { cwd: clone, env: { ...process.env, ...cloneEnv }, stdio: 'ignore' });
    } catch {
      /* not started */
    }
    rmSync(clone, { recursive: true, force: true });
  }
});

let cloneEnv: Record<string, string> = {};

describe("the README's main command on a fresh clone", () => {
  it('installs, builds, serves the graph view, GraphQL and Browser, and Ctrl-C stops everything', async () => {
    const command = readmeMainCommand(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(command).toMatch(/npm run demo/);
    clone = mkdtempSync(join(tmpdir(), 'bsky-graph-clone-'));
    execFileSync('git', ['clone', '--quiet', ROOT, clone]);

    const [bolt, http, app] = [await freePort(), await freePort(), await freePort()];
    cloneEnv = {
      NEO4J_BOLT_PORT: String(bolt),
      NEO4J_HTTP_PORT: String(http),
      NEO4J_URI: `bolt://127.0.0.1:${bolt}`,
      NEO4J_HEAP_MAX: '1g',
      NEO4J_PAGECACHE: '256m',
      PORT: String(app),
    };
    const env: Record<string, string | undefined> = { ...process.env, ...cloneEnv, NODE_OPTIONS: '', CI: 'true' };
    for (const name of ['NEO4J_PASSWORD', 'BSKY_NEO4J_HOME', 'NEO4J_HOME', 'npm_config_prefix']) delete env[name];

    const started = Date.now();
    child = spawn('bash', ['-c', command], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<string>((resolve) => child!.once('exit', (code, signal) => resolve(signal ?? String(code))));

    const deadline = Date.now() + 12 * 60_000;
    while (!out.includes('Ctrl-C stops everything')) {
      if (child.exitCode !== null) throw new Error(`the command exited ${child.exitCode} before serving:\n${out.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`not ready after 12 min:\n${out.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const readySeconds = Math.round((Date.now() - started) / 1000);

    const viewUrl = /Graph view\s+(http:\/\/\S+)/.exec(out)?.[1];
    expect(viewUrl).toBe(`http://127.0.0.1:${app}/`);
    const page = await fetch(viewUrl!, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('bsky-graph · community view');
    expect(html).toMatch(/<script type="module"[^>]*src="\.?\/assets\/index-[\w-]+\.js"/);

    const gql = await fetch(`http://127.0.0.1:${app}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hashtags { name members } }' }),
    });
    const body = (await gql.json()) as { data?: { hashtags: Array<{ name: string; members: number }> } };
    expect(body.data?.hashtags).toEqual([{ name: 'databs', members: 1500 }]);

    const browser = await fetch(`http://127.0.0.1:${http}/browser/`);
    expect(browser.status).toBe(200);
    expect(await browser.text()).toMatch(/Neo4j Browser/i);

    // The totals the demo printed agree with what the API serves.
    expect(out).toMatch(/Ingested 1500 members/);

    process.kill(-child.pid!, 'SIGINT');
    const ended = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000))]);
    // As in a terminal: the demo stops cleanly and npm (then the shell) end as interrupted (130).
    expect(['0', '130', 'SIGINT']).toContain(ended);
    for (const port of [app, bolt, http]) expect({ port, listening: await listening(port) }).toEqual({ port, listening: false });
    console.log(JSON.stringify({ readmeMainCommand: { command, secondsToReady: readySeconds } }));
  }, 16 * 60_000);
});
