/**
 * Bluesky's own reference stack (@atproto/dev-env: PLC, PDS, AppView, Ozone) inside a jest test,
 * on PostgreSQL from scripts/postgres.sh. Each start gets fresh Postgres schemas, dropped on stop,
 * so parallel runs and crashed runs never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { TestNetwork } from '@atproto/dev-env';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/config.js';

/** What scripts/postgres.sh prints; override with DB_POSTGRES_URL. */
export const DEFAULT_POSTGRES_URL = 'postgresql://bsky:bsky@127.0.0.1:5432/postgres';

export interface Devenv {
  readonly network: TestNetwork;
  /** The PDS: where the crawler signs in; it proxies app.bsky reads to the AppView. */
  readonly pdsUrl: string;
  /** Suffix of the Postgres schemas this network owns (`appview_<schema>`, `ozone_<schema>`). */
  readonly schema: string;
  readonly postgresUrl: string;
  /** Indexes everything written so far (PDS → firehose → AppView). */
  processAll(): Promise<void>;
  close(): Promise<void>;
}

/** Postgres schema names: letters and underscores only, so the suffix is random letters. */
function freshSchemaName(): string {
  const letters = [...randomBytes(10)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
  return `bskygraph_${letters}`;
}

export async function startDevenv(): Promise<Devenv> {
  const postgresUrl = process.env.DB_POSTGRES_URL || DEFAULT_POSTGRES_URL;
  // dev-env asserts a Redis host exists but (with these settings) never connects to it.
  process.env.REDIS_HOST ||= 'localhost';
  const schema = freshSchemaName();
  let network: TestNetwork;
  try {
    network = await TestNetwork.create({ dbPostgresUrl: postgresUrl, dbPostgresSchema: schema });
  } catch (err) {
    await dropSchemas(postgresUrl, schema).catch(() => undefined);
    throw explainStartFailure(err as Error, postgresUrl);
  }
  let closed = false;
  return {
    network,
    pdsUrl: network.pds.url,
    schema,
    postgresUrl,
    processAll: () => network.processAll(60_000),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await network.close();
      } finally {
        await dropSchemas(postgresUrl, schema);
      }
    },
  };
}

/** The crawler's configuration against a dev-env: its PDS, signed in with the seeded crawler's app password. */
export function devenvCrawlConfig(devenv: Devenv, crawler: { readonly handle: string; readonly appPassword: string }, extra: Record<string, string> = {}): Config {
  return loadConfig({
    NEO4J_URI: process.env.NEO4J_URI,
    NEO4J_USER: process.env.NEO4J_USER,
    NEO4J_PASSWORD: process.env.NEO4J_PASSWORD,
    BSKY_SERVICE: devenv.pdsUrl,
    BSKY_IDENTIFIER: crawler.handle,
    BSKY_APP_PASSWORD: crawler.appPassword,
    BSKY_RATE_LIMIT: '3000/300',
    LOG_LEVEL: 'warn',
    ...extra,
  });
}

/** Drops every schema dev-env made for this network (`appview_<s>`, `ozone_<s>`, and any other `*_<s>`). */
export async function dropSchemas(postgresUrl: string, schema: string): Promise<string[]> {
  if (!/^[a-z_]+$/.test(schema)) throw new Error(`refusing to drop schemas for suspicious name "${schema}"`);
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const res = await client.query<{ name: string }>(
      `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name = $1 OR right(schema_name, $2) = $3`,
      [schema, schema.length + 1, `_${schema}`],
    );
    const names = res.rows.map((r) => r.name);
    // One statement each: a failure names the schema, and each drop holds its own locks briefly.
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    return names;
  } finally {
    await client.end();
  }
}

function explainStartFailure(err: Error, postgresUrl: string): Error {
  if (/ECONNREFUSED|password authentication|role .* does not exist/i.test(`${err.message} ${(err as { code?: string }).code}`)) {
    const safeUrl = postgresUrl.replace(/:[^:@/]*@/, ':***@');
    return new Error(`dev-env could not use PostgreSQL at ${safeUrl} (${err.message}); run \`sudo bash scripts/postgres.sh\` and export the DB_POSTGRES_URL it prints`);
  }
  return err;
}
