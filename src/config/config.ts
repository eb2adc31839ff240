/**
 * The one place that reads the environment. Everything else receives a frozen `Config`.
 * Each malformed value raises a ConfigError that names the variable, so a typo in a shell
 * profile fails at start-up instead of surfacing as a strange crawl an hour later.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface RateLimit {
  readonly requests: number;
  readonly seconds: number;
}

export interface Config {
  readonly neo4j: {
    readonly uri: string;
    readonly user: string;
    readonly password: string | undefined;
    readonly database: string | undefined;
    /** Where the project's own local server lives (neo4j/home by default). */
    readonly home: string;
    readonly queryTimeoutMs: number;
  };
  readonly bsky: {
    readonly service: string;
    readonly identifier: string | undefined;
    readonly appPassword: string | undefined;
    readonly appView: string | undefined;
    readonly rateLimit: RateLimit;
    readonly concurrency: number;
    readonly maxRetries: number;
    /** Whole request, headers and body: a server that drips its body times out too. */
    readonly requestTimeoutMs: number;
    /** Largest response body accepted; anything bigger fails the request without a retry. */
    readonly maxBodyBytes: number;
    /** Pages of one member's follows before the list counts as unreadable (an endless cursor). */
    readonly maxFollowPages: number;
    /** The live watcher's Jetstream subscribe URL. */
    readonly jetstream: string;
    /** Where the watcher reads events: Jetstream's JSON, or the relay firehose (subscribeRepos). */
    readonly watchSource: WatchSourceKind;
    /** The relay (or PDS) whose com.atproto.sync.subscribeRepos the firehose source reads. */
    readonly firehose: string;
    /** Check the signature of each graph-changing firehose commit. */
    readonly firehoseVerify: boolean;
    /** Where DID documents are resolved (members' PDS for listRecords). */
    readonly plc: string;
    /** Where members' follows are read: the AppView's getFollows, or listRecords on each member's PDS. */
    readonly followsFrom: FollowsFrom;
    /** Budget of each PDS host (and the PLC directory) in repo mode. */
    readonly pdsRateLimit: RateLimit;
  };
  readonly ingest: {
    /** Largest share (0..1) of a community's members or follows one run may remove without --allow-shrink. */
    readonly maxShrink: number;
    /** How long a run's lease on its hashtag outlives its last heartbeat (a dead run blocks that long). */
    readonly leaseTtlMs: number;
  };
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly apiKey: string | undefined;
    readonly apiKeyQueries: boolean;
    readonly production: boolean;
    readonly exportDir: string;
    /** Host header names (no port) the server answers; undefined: the default for the bind address (src/server/host-check.ts). */
    readonly allowedHosts: readonly string[] | undefined;
    /** Open connections at most; more are refused. */
    readonly maxConnections: number;
    /** Requests per minute per client (API key, else IP); 0 turns the limit off. */
    readonly rateLimitPerMinute: number;
    /** Requests a client may send at once before the per-minute rate applies. */
    readonly rateLimitBurst: number;
    /** Answer graph reads from the in-process read model (src/read-model/) when it matches the graph. */
    readonly readModel: boolean;
  };
  readonly logLevel: LogLevel;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

type Env = Readonly<Record<string, string | undefined>>;

export const WATCH_SOURCES = ['jetstream', 'firehose'] as const;
export type WatchSourceKind = (typeof WATCH_SOURCES)[number];

import type { FollowsFrom } from '../core/follows-source.js';

export type { FollowsFrom };
// Spelled out, not imported: jest's global setup loads this file as CommonJS, which resolves no
// `.js` value import to its `.ts` source. The type keeps it equal to core's list.
const FOLLOWS_FROM_CHOICES = { appview: true, repo: true } satisfies Record<FollowsFrom, true>;
const FOLLOWS_FROM = Object.keys(FOLLOWS_FROM_CHOICES) as FollowsFrom[];

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (!(values as readonly string[]).includes(value)) throw new ConfigError(name, `"${value}" is not one of ${values.join(', ')}`);
  return value as T;
}

function text(env: Env, name: string, fallback?: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.trim();
}

function url(env: Env, name: string, protocols: readonly string[], fallback?: string): string | undefined {
  const value = text(env, name, fallback);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `"${value}" is not a URL (expected e.g. ${protocols[0]}//host:port)`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `protocol ${parsed.protocol} is not one of ${protocols.join(', ')}`);
  }
  return value.replace(/\/+$/, '');
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(name, `"${value}" is not a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(name, `${n} is outside ${min}..${max}`);
  return n;
}

function share(env: Env, name: string, fallback: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const n = /^\d+(\.\d+)?%$/.test(value) ? Number(value.slice(0, -1)) / 100 : /^\d*\.?\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 1)) throw new ConfigError(name, `"${value}" is not a share from 0 to 1 (or 0% to 100%)`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new ConfigError(name, `"${value}" is not true or false`);
}

/** `localhost,graph.example.org,[::1]`: lower-cased host names without ports. */
function hostList(env: Env, name: string): readonly string[] | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  const hosts = value.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  for (const h of hosts) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(h)) throw new ConfigError(name, `"${h}" is not a host name (no port, no scheme; IPv6 in brackets)`);
  }
  if (hosts.length === 0) throw new ConfigError(name, 'lists no host');
  return hosts;
}

/**
 * The password neo4j/neo4jctl generated for the project's own server (`<home>/auth/password`), used
 * only when NEO4J_URI is unset or names that server (loopback, NEO4J_BOLT_PORT or 7687), so it is
 * never sent to another server. Undefined when the file is absent or BSKY_NEO4J_AUTH=off.
 */
function localServerPassword(env: Env): string | undefined {
  if (/^(off|false|0)$/i.test(text(env, 'BSKY_NEO4J_AUTH') ?? '')) return undefined;
  const uri = text(env, 'NEO4J_URI');
  if (uri !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(uri);
    } catch {
      return undefined; // reported as a malformed NEO4J_URI
    }
    const localPort = text(env, 'NEO4J_BOLT_PORT', '7687');
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
    if (!['bolt:', 'neo4j:'].includes(parsed.protocol) || !loopback || (parsed.port || '7687') !== localPort) return undefined;
  }
  const file = join(text(env, 'BSKY_NEO4J_HOME', 'neo4j/home')!, 'auth', 'password');
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[0].trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError('NEO4J_PASSWORD', `unset, and ${file} cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** `3000/300` = 3000 requests per 300 seconds, as the PDS announces in `ratelimit-policy`. */
export function parseRateLimit(value: string, name = 'BSKY_RATE_LIMIT'): RateLimit {
  const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(value.trim());
  if (!m) throw new ConfigError(name, `"${value}" is not REQUESTS/SECONDS (e.g. 3000/300)`);
  const requests = Number(m[1]);
  const seconds = Number(m[2]);
  if (requests < 1 || seconds <= 0) throw new ConfigError(name, `"${value}" must allow at least 1 request in a positive window`);
  return { requests, seconds };
}

export function loadConfig(env: Env = process.env): Config {
  const identifier = text(env, 'BSKY_IDENTIFIER');
  const appPassword = env.BSKY_APP_PASSWORD === undefined || env.BSKY_APP_PASSWORD === '' ? undefined : env.BSKY_APP_PASSWORD;
  if ((identifier === undefined) !== (appPassword === undefined)) {
    throw new ConfigError(
      identifier === undefined ? 'BSKY_IDENTIFIER' : 'BSKY_APP_PASSWORD',
      'BSKY_IDENTIFIER and BSKY_APP_PASSWORD go together: set both or neither',
    );
  }
  const logLevel = (text(env, 'LOG_LEVEL', 'info') as string).toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError('LOG_LEVEL', `"${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const apiKey = env.API_KEY === undefined || env.API_KEY === '' ? undefined : env.API_KEY;
  if (apiKey !== undefined && apiKey.length < 16) {
    throw new ConfigError('API_KEY', 'must be at least 16 characters');
  }
  const password = env.NEO4J_PASSWORD === undefined || env.NEO4J_PASSWORD === '' ? undefined : env.NEO4J_PASSWORD;
  if (password !== undefined && password.length < 8) {
    throw new ConfigError('NEO4J_PASSWORD', 'Neo4j requires at least 8 characters');
  }

  const config: Config = {
    neo4j: {
      uri: url(env, 'NEO4J_URI', ['bolt:', 'neo4j:', 'bolt+s:', 'neo4j+s:', 'bolt+ssc:', 'neo4j+ssc:'], 'bolt://127.0.0.1:7687')!,
      user: text(env, 'NEO4J_USER', 'neo4j')!,
      password: password ?? localServerPassword(env),
      database: text(env, 'NEO4J_DATABASE'),
      home: text(env, 'BSKY_NEO4J_HOME', 'neo4j/home')!,
      queryTimeoutMs: integer(env, 'NEO4J_QUERY_TIMEOUT_MS', 30_000, 100, 3_600_000),
    },
    bsky: {
      service: url(env, 'BSKY_SERVICE', ['https:', 'http:'], 'https://bsky.social')!,
      identifier,
      appPassword,
      appView: url(env, 'BSKY_APPVIEW', ['https:', 'http:']),
      rateLimit: parseRateLimit(text(env, 'BSKY_RATE_LIMIT', '3000/300')!),
      concurrency: integer(env, 'BSKY_CONCURRENCY', 16, 1, 256),
      maxRetries: integer(env, 'BSKY_MAX_RETRIES', 6, 0, 50),
      requestTimeoutMs: integer(env, 'BSKY_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
      maxBodyBytes: integer(env, 'BSKY_MAX_BODY_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxFollowPages: integer(env, 'BSKY_MAX_FOLLOW_PAGES', 2_000, 1, 1_000_000),
      jetstream: url(env, 'BSKY_JETSTREAM', ['wss:', 'ws:'], 'wss://jetstream2.us-east.bsky.network/subscribe')!,
      watchSource: oneOf(env, 'BSKY_WATCH_SOURCE', WATCH_SOURCES, 'jetstream'),
      firehose: url(env, 'BSKY_FIREHOSE', ['wss:', 'ws:'], 'wss://bsky.network')!,
      firehoseVerify: oneOf(env, 'BSKY_FIREHOSE_VERIFY', ['true', 'false'] as const, 'true') === 'true',
      plc: url(env, 'BSKY_PLC', ['https:', 'http:'], 'https://plc.directory')!,
      followsFrom: oneOf(env, 'BSKY_FOLLOWS_FROM', FOLLOWS_FROM, 'appview'),
      pdsRateLimit: parseRateLimit(text(env, 'BSKY_PDS_RATE_LIMIT', '3000/300')!, 'BSKY_PDS_RATE_LIMIT'),
    },
    ingest: {
      maxShrink: share(env, 'INGEST_MAX_SHRINK', 0.5),
      leaseTtlMs: integer(env, 'INGEST_LEASE_TTL_MS', 60_000, 1_000, 3_600_000),
    },
    server: {
      host: text(env, 'HOST', '127.0.0.1')!,
      port: integer(env, 'PORT', 4000, 0, 65535),
      apiKey,
      apiKeyQueries: bool(env, 'API_KEY_QUERIES', false),
      production: text(env, 'NODE_ENV') === 'production',
      exportDir: text(env, 'EXPORT_DIR', '.bsky-graph/exports')!,
      allowedHosts: hostList(env, 'ALLOWED_HOSTS'),
      maxConnections: integer(env, 'MAX_CONNECTIONS', 256, 1, 1_000_000),
      rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 10_000_000),
      rateLimitBurst: integer(env, 'RATE_LIMIT_BURST', 300, 1, 10_000_000),
      readModel: bool(env, 'READ_MODEL', true),
    },
    logLevel: logLevel as LogLevel,
  };
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(value);
}
