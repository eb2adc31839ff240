/**
 * Secrets never reach logs or errors: every log line and error of a refused sign-in and of a full
 * ingest (with API_KEY set) is searched for the app password and the API key.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startDevnet, type Devnet } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { runCli } from '../support/cli.js';
import { configFor } from '../support/devnet-ingest.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

jest.setTimeout(120_000);

const APP_PASSWORD = 'sEcReT-app-pass-4242';
const API_KEY = 'api-key-0123456789-SECRET';
let devnet: Devnet;
let db: GraphDatabase;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 30, seed: 3, password: APP_PASSWORD, rateLimit: false });
});

afterAll(async () => {
  await devnet?.close();
  await db?.close();
});

describe('secrets', () => {
  it('a refused sign-in says so clearly and never prints the password', async () => {
    const lines: string[] = [];
    const config = configFor(devnet, { BSKY_APP_PASSWORD: `${APP_PASSWORD}-wrong`, API_KEY, LOG_LEVEL: 'debug' });
    const service = new IngestService({ db, config, logger: createLogger('debug', 'test', (l) => lines.push(l)) });
    const run = await service.run({ hashtag: 'databs' });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/sign-in to the Bluesky service was refused/);
    // Clients are not told who tried to sign in; the log (for the operator) says what happened.
    expect(run.error).not.toContain(devnet.credentials.identifier);
    expect(JSON.stringify(await service.get(run.id))).not.toContain(devnet.credentials.identifier);
    expect(lines.join('\n')).toMatch(/sign-in to .* was refused/);
    const everything = [...lines, run.error!, JSON.stringify(await service.get(run.id))].join('\n');
    expect(everything).not.toContain(APP_PASSWORD);
    expect(everything).not.toContain(API_KEY);
  });

  it('a full ingest through the CLI never prints the password or the API key', async () => {
    const result = await runCli(['ingest', 'databs'], {
      NEO4J_URI: process.env.NEO4J_URI,
      BSKY_SERVICE: devnet.url,
      BSKY_IDENTIFIER: devnet.credentials.identifier,
      BSKY_APP_PASSWORD: APP_PASSWORD,
      BSKY_RATE_LIMIT: '500/1',
      API_KEY,
      LOG_LEVEL: 'debug',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/SUCCEEDED/);
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(APP_PASSWORD);
      expect(text).not.toContain(API_KEY);
    }
    const stored = await db.read<{ r: unknown }>('MATCH (r:IngestRun) RETURN properties(r) AS r');
    expect(JSON.stringify(stored)).not.toContain(APP_PASSWORD);
  });

  it('a wrong password through the CLI exits 1 without echoing it', async () => {
    const wrong = `${APP_PASSWORD}-nope`;
    const result = await runCli(['ingest', 'databs'], {
      NEO4J_URI: process.env.NEO4J_URI,
      BSKY_SERVICE: devnet.url,
      BSKY_IDENTIFIER: devnet.credentials.identifier,
      BSKY_APP_PASSWORD: wrong,
      LOG_LEVEL: 'debug',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused/);
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });
});
