/**
 * The HTTP server: GraphQL at /graphql (Apollo Server on node:http, no framework), /healthz,
 * export downloads at /exports/:id, the Neo4j Browser guide at /browser-guide, and the graph view's
 * static files at /.
 *
 * In front of every route: a Host allow-list (DNS rebinding), a connection cap, timeouts for slow
 * senders and for clients that stop reading, and a per-client rate limit on /graphql and exports.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { EXAMPLE_DOCUMENT } from './example-queries.js';
import { ConfigError, type Config } from '../config/config.js';
import type { GraphDatabase } from '../graph/database.js';
import type { IngestController } from '../ingest/types.js';
import { redact, type Logger } from '../logging/logger.js';
import { createContext, type ApiContext, type ApiServices, type CentralityProvider, type ExportProvider } from '../resolvers/context.js';
import { buildApiSchema } from './build-schema.js';
import { MAX_COMPLEXITY } from '../schema/complexity.js';
import { ApiKey } from './api-key.js';
import { BROWSER_GUIDE_PATH, DEFAULT_BROWSER_ORIGINS, handleBrowserGuide } from './browser-guide.js';
import { createErrorFormatter } from './error-format.js';
import { handleExportDownload } from './export-download.js';
import { handleGraphQL } from './graphql-http.js';
import { allowedHostNames, hostAllowed, isLoopbackHost } from './host-check.js';
import { RateLimiter } from './rate-limit.js';
import { attachSubscriptions } from './subscriptions.js';
import { sendError, sendJson } from './http-responses.js';
import { depthLimit, MAX_DEPTH, operationGuards } from './query-limits.js';
import { isDirectory, serveStatic } from './static-files.js';
import { packagePath } from '../config/package-root.js';

export interface ServerLimits {
  /** Largest request body, bytes. Default 1 MiB. */
  readonly maxBodyBytes: number;
  /** Largest GraphQL document, characters. Default 20,000. */
  readonly maxQueryChars: number;
  /** Deepest field nesting. Default 12. */
  readonly maxDepth: number;
  /** Highest estimated cost (src/schema/complexity.ts). Default 100,000. */
  readonly maxComplexity: number;
  /** Most lexical tokens in a document, checked while parsing. Default 10,000. */
  readonly maxTokens: number;
  /** How long close() lets requests in flight finish before cutting them. Default 10 s. */
  readonly stopGraceMs: number;
  /** Time to receive a request's headers. Default 10 s. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included. Default 30 s. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. Default 5 s. */
  readonly keepAliveTimeoutMs: number;
  /**
   * A socket with no traffic either way for this long is destroyed: a client that stops reading
   * its response stalls our writes, and this cuts it. Default: the Neo4j query timeout + 30 s,
   * so a slow query's connection is not cut while it is still computing.
   */
  readonly socketTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxQueryChars: 20_000,
  maxDepth: MAX_DEPTH,
  maxComplexity: MAX_COMPLEXITY,
  maxTokens: 10_000,
  stopGraceMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  socketTimeoutMs: 60_000,
});

export interface StartServerOptions {
  readonly config: Config;
  readonly db: GraphDatabase;
  readonly ingest: IngestController;
  readonly centrality?: CentralityProvider;
  readonly insights?: ApiServices['insights'];
  readonly exports?: ExportProvider;
  /** Absent: every graph read goes to Neo4j. */
  readonly readModel?: ApiServices['readModel'];
  readonly watch?: ApiServices['watch'];
  readonly logger: Logger;
  /** Default config.server.port (0 = any free port). */
  readonly port?: number;
  /** Default config.server.host. */
  readonly host?: string;
  /** The graph view's build; default web/dist; served at / when it exists. null: serve none. */
  readonly webDir?: string | null;
  /** Base of export download URLs; default this server's own URL. */
  readonly publicUrl?: string;
  readonly limits?: Partial<ServerLimits>;
  /** Origins of Neo4j Browser that may read the guide at /browser-guide; default neo4jctl's http://127.0.0.1:7474 (and localhost). */
  readonly neo4jBrowserOrigins?: readonly string[];
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4000 (GraphQL at `${url}/graphql`). */
  readonly url: string;
  readonly port: number;
  /** Whether the graph view's build was found (served at /); otherwise / says how to build it. */
  readonly webView: boolean;
  /** Stops accepting connections, lets requests in flight finish (up to stopGraceMs), stops Apollo. Idempotent. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, db, logger } = options;
  const log = logger.child('server');
  const production = config.server.production;
  const limits: ServerLimits = { ...DEFAULT_LIMITS, socketTimeoutMs: config.neo4j.queryTimeoutMs + 30_000, ...options.limits };
  const host = options.host ?? config.server.host;
  if (!isLoopbackHost(host) && !config.server.apiKey) {
    // Anyone who can reach the address could start ingests and read exports.
    throw new ConfigError('API_KEY', `HOST=${host} is not a loopback address: set API_KEY (16+ characters) so mutations and export downloads need it, or listen on 127.0.0.1`);
  }
  const allowedHosts = allowedHostNames(host, config.server.allowedHosts);
  const rateLimiter = new RateLimiter({ perMinute: config.server.rateLimitPerMinute, burst: config.server.rateLimitBurst });
  const apiKey = new ApiKey(config.server.apiKey);
  redact(config.server.apiKey); // should the key ever reach an error message, the log shows [REDACTED]
  const services: ApiServices = { ingest: options.ingest, centrality: options.centrality, insights: options.insights, exports: options.exports, readModel: options.readModel, watch: options.watch };
  const webDir = options.webDir === null ? null : resolve(options.webDir ?? DEFAULT_WEB_DIR);
  const serveWeb = webDir !== null && (await isDirectory(webDir));

  const httpServer = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node checks headersTimeout/requestTimeout (default 30 s, longer than they are).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  });
  httpServer.maxConnections = config.server.maxConnections;
  // With no 'timeout' listener Node destroys the idle socket.
  httpServer.timeout = limits.socketTimeoutMs;
  httpServer.on('drop', (data?: { remoteAddress?: string }) => log.warn('connection refused: MAX_CONNECTIONS reached', { max: config.server.maxConnections, remote: data?.remoteAddress }));
  const schema = await buildApiSchema();
  const apollo = new ApolloServer<ApiContext>({
    schema,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    formatError: createErrorFormatter({ production, logger: log }),
    validationRules: [depthLimit(limits.maxDepth)],
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
    logger: { debug: (m) => log.debug(String(m)), info: (m) => log.info(String(m)), warn: (m) => log.warn(String(m)), error: (m) => log.error(String(m)) },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: limits.stopGraceMs }),
      // Nothing leaves this machine for Apollo's cloud, whatever APOLLO_* variables say.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      // We send no cache hints, and its hook on every resolved field costs ~10% of a large answer.
      ApolloServerPluginCacheControlDisabled(),
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, document: EXAMPLE_DOCUMENT }),
      ...(production ? [ApolloServerPluginDisableSuggestions() as ApolloServerPlugin<ApiContext>] : []),
      operationGuards({ maxComplexity: limits.maxComplexity, apiKeyQueries: config.server.apiKeyQueries }),
    ],
  });
  await apollo.start();

  let exportBase = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const exportUrl = (id: string) => `${exportBase}/exports/${encodeURIComponent(id)}`;
  const subscriptions = attachSubscriptions({
    httpServer,
    schema,
    apiKey,
    allowedHosts,
    maxDepth: limits.maxDepth,
    production,
    logger: log,
    context: (authenticated) => createContext({ db, services, authenticated, exportUrl }),
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendError(res, 400, 'BAD_USER_INPUT', 'malformed request URL', { reason: 'MALFORMED_PATH' });
    }
    const path = url.pathname;
    if (!hostAllowed(allowedHosts, req.headers.host)) {
      return sendError(res, 421, 'BAD_USER_INPUT', 'this server does not answer for that Host: add it to ALLOWED_HOSTS', { reason: 'HOST_NOT_ALLOWED', headers: { connection: 'close' } });
    }
    if ((path.startsWith('/graphql') || path.startsWith('/exports/')) && rateLimiter.enabled) {
      const decision = rateLimiter.take(clientKey(req, apiKey));
      if (!decision.allowed) {
        return sendError(res, 429, 'RATE_LIMITED', `too many requests: retry after ${decision.retryAfterSeconds} s`, {
          headers: { 'retry-after': String(decision.retryAfterSeconds) },
        });
      }
    }
    if (path === '/graphql' || path === '/graphql/') {
      const authenticated = apiKey.accepts(req.headers.authorization);
      return handleGraphQL(apollo, req, res, url, limits, async () => createContext({ db, services, authenticated, exportUrl }));
    }
    if (path === '/healthz') {
      const health = await db.health();
      const neo4j = production ? { ok: health.ok } : health;
      return sendJson(res, health.ok ? 200 : 503, { status: health.ok ? 'ok' : 'unavailable', neo4j });
    }
    if (path === BROWSER_GUIDE_PATH) return handleBrowserGuide(req, res, options.neo4jBrowserOrigins ?? DEFAULT_BROWSER_ORIGINS);
    if (path.startsWith('/exports/')) {
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/exports/'.length));
      } catch {
        return sendError(res, 400, 'BAD_USER_INPUT', 'malformed export id', { reason: 'INVALID_ID' });
      }
      return handleExportDownload(req, res, { id, exports: options.exports, apiKey, logger: log });
    }
    if (serveWeb && (await serveStatic(webDir!, req, res, path))) return;
    if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      // Never a page that looks like the product but is not: say what is missing and how to fix it.
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(VIEW_NOT_BUILT);
    }
    return sendError(res, 404, 'NOT_FOUND', `nothing at ${path}`);
  };

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    res.on('finish', () => log.debug('request', { method: req.method, path: (req.url ?? '').split('?')[0], status: res.statusCode, ms: Date.now() - started }));
    route(req, res).catch((err: unknown) => {
      log.error('request failed', { path: (req.url ?? '').split('?')[0], error: (err as Error).message, stack: (err as Error).stack });
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', production ? 'internal error' : (err as Error).message);
      else res.destroy();
    });
  });

  await new Promise<void>((done, fail) => {
    httpServer.once('error', fail);
    httpServer.listen(options.port ?? config.server.port, host, () => {
      httpServer.off('error', fail);
      done();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;
  if (!exportBase) exportBase = url;
  log.info('listening', { url, graphql: `${url}/graphql`, web: serveWeb ? webDir : null, apiKey: apiKey.required, production });

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    webView: serveWeb,
    close: () => (closing ??= subscriptions.close().then(() => apollo.stop()).then(() => log.info('stopped'))),
  };
}

/** web/dist of this package, wherever the process was started from (sources and build alike). */
const DEFAULT_WEB_DIR = packagePath('web', 'dist');

const VIEW_NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>bsky-graph: graph view not built</title>
<h1>The graph view is not built</h1>
<p>Build it with <code>npm run build</code> (or <code>npm ci</code>, which builds it), then restart <code>bsky-graph serve</code>.</p>
<p>The API is up: <a href="/graphql">/graphql</a>, <a href="/healthz">/healthz</a>.</p>
`;

/**
 * Whom a request is counted against: the API key when the request carries the right one (so
 * clients behind one NAT or proxy keep their own budgets), else the peer address. A wrong key
 * counts against the address, or rotating made-up keys would dodge the limit.
 */
function clientKey(req: IncomingMessage, apiKey: ApiKey): string {
  if (apiKey.required && req.headers.authorization && apiKey.accepts(req.headers.authorization)) {
    return `key:${createHash('sha256').update(req.headers.authorization).digest('hex').slice(0, 16)}`;
  }
  return `ip:${req.socket.remoteAddress ?? 'unknown'}`;
}

/** A URL clients can use: wildcard binds are reached through loopback; IPv6 needs brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '' ) return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
