/**
 * neo4j/neo4jctl's security: it trusts no environment value (a `$(...)` or a newline is refused
 * with exit code 2 before anything runs), never clears a home it did not create, and the server it
 * starts has auth on (a generated password in auth/password, 0600), answers CORS only for its own
 * origin and loads no files or URLs from Cypher.
 *
 * The server cases run against a sandbox server this file starts on random free ports, never the
 * shared one. Its home stays in /tmp between runs so only the first run fetches the jars (~80 s);
 * data/, auth/ and conf/ are wiped first, so every run starts from a never-secured database.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j, { type Driver } from 'neo4j-driver';
import { loadConfig } from '../../src/config/config.js';
import { freePort } from '../support/ports.js';

const NEO4JCTL = fileURLToPath(new URL('../../neo4j/neo4jctl', import.meta.url));
/** Fixed (not under the per-run TMPDIR) so the 130 MB of jars are fetched once per machine. */
const SANDBOX_HOME = '/tmp/bsky-graph-neo4jctl-test-home';
const scratch = mkdtempSync(join('/tmp', 'neo4jctl-test-'));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** neo4jctl with none of the caller's NEO4J_* / BSKY_NEO4J_* variables, plus `env`. */
function neo4jctl(command: string, env: Record<string, string>, timeout = 30_000): Result {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('NEO4J_') && !k.startsWith('BSKY_NEO4J_')),
  );
  const r = spawnSync('bash', [NEO4JCTL, command], { env: { ...clean, ...env }, encoding: 'utf8', timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}


afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('neo4jctl refuses a hostile environment (exit code 2, nothing run)', () => {
  const pwned = join(scratch, 'pwned');
  const home = join(scratch, 'fresh-home');

  it.each([
    ['NEO4J_BOLT_PORT', `7687$(touch ${pwned})`],
    ['NEO4J_HTTP_PORT', `7474\`touch ${pwned}\``],
    ['NEO4J_BOLT_PORT', '70000'],
    ['NEO4J_URI', `bolt://127.0.0.1:7687$(touch ${pwned})`],
    ['NEO4J_URI', `bolt://$(touch ${pwned}):7687`],
    // Bash arithmetic evaluates array subscripts: `a[$(cmd)]` runs cmd.
    ['NEO4J_START_TIMEOUT', `a[$(touch ${pwned})]`],
    ['NEO4J_STOP_TIMEOUT', `a[$(touch ${pwned})]`],
    ['NEO4J_MVN_ARGS', `-o $(touch ${pwned})`],
    ['NEO4J_PAGECACHE', '2g; touch'],
    ['BSKY_NEO4J_AUTH', 'maybe'],
    ['NEO4J_PASSWORD', 'short'],
    ['BSKY_NEO4J_HOME', `${scratch}/home\nserver.default_listen_address=0.0.0.0`],
  ])('%s=%j', (name, value) => {
    const r = neo4jctl('start', { BSKY_NEO4J_HOME: home, [name]: value });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(name);
    expect(existsSync(pwned)).toBe(false);
    expect(existsSync(join(home, 'conf'))).toBe(false); // stopped before install
  });

  it('rejects a newline in NEO4J_HEAP_MAX and leaves neo4j.conf as it was', () => {
    const own = join(scratch, 'own-home');
    mkdirSync(join(own, 'conf'), { recursive: true });
    writeFileSync(join(own, '.bsky-graph-neo4j'), 'marker\n');
    writeFileSync(join(own, 'conf', 'neo4j.conf'), 'server.default_listen_address=127.0.0.1\n');
    const r = neo4jctl('install', {
      BSKY_NEO4J_HOME: own,
      NEO4J_HEAP_MAX: '1g\nserver.default_listen_address=0.0.0.0',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('NEO4J_HEAP_MAX');
    expect(readFileSync(join(own, 'conf', 'neo4j.conf'), 'utf8')).toBe('server.default_listen_address=127.0.0.1\n');
  });
});

describe('neo4jctl only manages a home it created', () => {
  function foreignHome(): string {
    const dir = mkdtempSync(join(scratch, 'foreign-'));
    mkdirSync(join(dir, 'lib'));
    mkdirSync(join(dir, 'plugins'));
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'lib', 'neo4j-kernel-5.26.0.jar'), 'not a jar');
    writeFileSync(join(dir, 'plugins', 'apoc-5.26.0-core.jar'), 'not a jar');
    writeFileSync(join(dir, 'conf', 'neo4j.conf'), 'theirs\n');
    return dir;
  }
  function expectUntouched(dir: string): void {
    expect(readFileSync(join(dir, 'lib', 'neo4j-kernel-5.26.0.jar'), 'utf8')).toBe('not a jar');
    expect(readFileSync(join(dir, 'plugins', 'apoc-5.26.0-core.jar'), 'utf8')).toBe('not a jar');
    expect(readFileSync(join(dir, 'conf', 'neo4j.conf'), 'utf8')).toBe('theirs\n');
    expect(existsSync(join(dir, '.bsky-graph-neo4j'))).toBe(false);
  }

  it.each(['install', 'start', 'stop', 'status'])('refuses `%s` in an existing Neo4j install without the marker', (command) => {
    const dir = foreignHome();
    const r = neo4jctl(command, { BSKY_NEO4J_HOME: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not created by neo4jctl');
    expectUntouched(dir);
  });

  it('ignores NEO4J_HOME (Neo4j’s own variable): a foreign install there is not touched', () => {
    const dir = foreignHome();
    const own = join(scratch, 'status-home');
    const r = neo4jctl('status', { NEO4J_HOME: dir, BSKY_NEO4J_HOME: own });
    expect(r.status).toBe(3); // not running, in its own (new, marked) home
    expect(r.stdout).toContain(own);
    expect(existsSync(join(own, '.bsky-graph-neo4j'))).toBe(true);
    expectUntouched(dir);
  });
});

describe('a server neo4jctl starts (sandbox, auth on by default)', () => {
  let boltPort: number;
  let httpPort: number;
  let env: Record<string, string>;
  let password: string;
  let driver: Driver | undefined;
  const passwordFile = join(SANDBOX_HOME, 'auth', 'password');

  beforeAll(async () => {
    boltPort = await freePort();
    do httpPort = await freePort();
    while (httpPort === boltPort);
    env = {
      BSKY_NEO4J_HOME: SANDBOX_HOME,
      NEO4J_BOLT_PORT: String(boltPort),
      NEO4J_HTTP_PORT: String(httpPort),
      NEO4J_HEAP_INITIAL: '256m',
      NEO4J_HEAP_MAX: '1g',
      NEO4J_PAGECACHE: '256m',
      NEO4J_TX_MAX: '256m',
      NEO4J_START_TIMEOUT: '300',
    };
    neo4jctl('stop', env, 150_000); // a run that was killed may have left it running
    // A never-secured database and no password yet: what a first `install` / `start` meets.
    for (const sub of ['data', 'auth', 'conf']) rmSync(join(SANDBOX_HOME, sub), { recursive: true, force: true });
    const r = neo4jctl('start', env, 580_000);
    if (r.status !== 0) throw new Error(`neo4jctl start failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    password = readFileSync(passwordFile, 'utf8').trim();
  }, 600_000);

  afterAll(async () => {
    await driver?.close();
    neo4jctl('stop', env, 150_000);
  }, 160_000);

  const boltUri = () => `bolt://127.0.0.1:${boltPort}`;
  const http = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${httpPort}${path}`, init);
  const basic = () => `Basic ${Buffer.from(`neo4j:${password}`).toString('base64')}`;

  async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
    try {
      await promise;
    } catch (err) {
      return (err as { code?: string }).code;
    }
    return undefined;
  }

  it('generated a password of at least 16 characters, readable by its owner only', () => {
    expect(password).toMatch(/^[A-Za-z0-9]{16,}$/);
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(SANDBOX_HOME, 'auth')).mode & 0o777).toBe(0o700);
  });

  it('refuses Bolt without a password or with a wrong one', async () => {
    for (const auth of [undefined, neo4j.auth.basic('neo4j', 'wrong-password-123')]) {
      const anonymous = neo4j.driver(boltUri(), auth);
      try {
        expect(await errorCode(anonymous.verifyConnectivity())).toBe('Neo.ClientError.Security.Unauthorized');
      } finally {
        await anonymous.close();
      }
    }
  });

  it('accepts Bolt with the generated password, which loadConfig finds for the local URI', async () => {
    const config = loadConfig({ BSKY_NEO4J_HOME: SANDBOX_HOME, NEO4J_URI: boltUri(), NEO4J_BOLT_PORT: String(boltPort) });
    expect(config.neo4j.password).toBe(password);
    // ...and never for another server.
    expect(loadConfig({ BSKY_NEO4J_HOME: SANDBOX_HOME, NEO4J_URI: 'bolt://db.example:7687' }).neo4j.password).toBeUndefined();
    driver = neo4j.driver(config.neo4j.uri, neo4j.auth.basic(config.neo4j.user, config.neo4j.password!));
    const { records } = await driver.executeQuery('RETURN gds.version() AS gds, apoc.version() AS apoc');
    expect(records[0].get('gds')).toMatch(/^2\.13\./);
    expect(records[0].get('apoc')).toMatch(/^5\.26\./);
  });

  it('answers HTTP Cypher only with credentials', async () => {
    const body = JSON.stringify({ statements: [{ statement: 'RETURN 1' }] });
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    expect((await http('/db/neo4j/tx/commit', { method: 'POST', headers, body })).status).toBe(401);
    const ok = await http('/db/neo4j/tx/commit', { method: 'POST', headers: { ...headers, Authorization: basic() }, body });
    expect(ok.status).toBe(200);
  });

  it('gives a CORS preflight from another origin neither * nor that origin', async () => {
    const res = await http('/db/neo4j/tx', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    const allowed = res.headers.get('access-control-allow-origin');
    expect(allowed).not.toBe('*');
    expect(allowed).not.toBe('http://evil.example');
    expect([null, `http://127.0.0.1:${httpPort}`]).toContain(allowed);
  });

  it('loads no files or URLs from Cypher (LOAD CSV, apoc.load.*)', async () => {
    driver ??= neo4j.driver(boltUri(), neo4j.auth.basic('neo4j', password));
    expect(await errorCode(driver.executeQuery("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row LIMIT 1"))).toBe(
      'Neo.ClientError.Statement.ExternalResourceFailed',
    );
    // A URL of this very machine: the IP blocklist stops requests to local services.
    expect(
      await errorCode(driver.executeQuery(`LOAD CSV FROM 'http://127.0.0.1:${httpPort}/' AS row RETURN row LIMIT 1`)),
    ).toBe('Neo.ClientError.Statement.ExternalResourceFailed');
    expect(await errorCode(driver.executeQuery("CALL apoc.load.json('file:///etc/passwd')"))).toBe(
      'Neo.ClientError.Procedure.ProcedureNotFound',
    );
    const { records } = await driver.executeQuery(
      "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc.load.' OR name STARTS WITH 'apoc.export.' RETURN count(*) AS n",
    );
    expect(records[0].get('n').toNumber()).toBe(0);
  });

  it('writes the settings that keep it local and quiet', () => {
    const conf = readFileSync(join(SANDBOX_HOME, 'conf', 'neo4j.conf'), 'utf8');
    for (const line of [
      'server.default_listen_address=127.0.0.1',
      'dbms.security.auth_enabled=true',
      `dbms.security.http_access_control_allow_origin=http://127.0.0.1:${httpPort}`,
      'dbms.security.allow_csv_import_from_file_urls=false',
      'dbms.usage_report.enabled=false',
      'client.allow_telemetry=false',
    ]) {
      expect(conf.split('\n')).toContain(line);
    }
    const apoc = readFileSync(join(SANDBOX_HOME, 'conf', 'apoc.conf'), 'utf8').split('\n');
    expect(apoc).toContain('apoc.import.file.enabled=false');
    expect(apoc).toContain('apoc.export.file.enabled=false');
  });

  it('keeps the old behaviour with BSKY_NEO4J_AUTH=off (config only; no second start)', () => {
    const r = neo4jctl('install', { ...env, BSKY_NEO4J_AUTH: 'off' });
    expect(r.status).toBe(0);
    const conf = readFileSync(join(SANDBOX_HOME, 'conf', 'neo4j.conf'), 'utf8').split('\n');
    expect(conf).toContain('dbms.security.auth_enabled=false');
    expect(readFileSync(passwordFile, 'utf8').trim()).toBe(password); // the password stays for later
    expect(
      loadConfig({ BSKY_NEO4J_HOME: SANDBOX_HOME, BSKY_NEO4J_AUTH: 'off', NEO4J_URI: boltUri(), NEO4J_BOLT_PORT: String(boltPort) })
        .neo4j.password,
    ).toBeUndefined();
    // Back to the running server's own settings.
    expect(neo4jctl('install', env).status).toBe(0);
  });
});
