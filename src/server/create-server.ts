/**
 * The HTTP server: GraphQL at /graphql (Apollo Server on node:http, no framework), /healthz,
 * export downloads at /exports/:id, and the graph view's static files at /.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled, ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { EXAMPLE_DOCUMENT } from './example-queries.js';
import type { Config } from '../config/config.js';
import type { GraphDatabase } from '../graph/database.js';
import type { IngestController } from '../ingest/types.js';
import { redact, type Logger } from '../logging/logger.js';
import { createContext, type ApiContext, type ApiServices, type CentralityProvider, type ExportProvider } from '../resolvers/context.js';
import { buildApiSchema } from '../schema/build-schema.js';
import { MAX_COMPLEXITY } from '../schema/complexity.js';
import { ApiKey } from './api-key.js';
import { createErrorFormatter } from './error-format.js';
import { handleExportDownload } from './export-download.js';
import { handleGraphQL } from './graphql-http.js';
import { sendError, sendJson } from './http-responses.js';
import { depthLimit, MAX_DEPTH, operationGuards } from './query-limits.js';
import { isDirectory, serveStatic } from './static-files.js';

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
}

export const DEFAULT_LIMITS: ServerLimits = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxQueryChars: 20_000,
  maxDepth: MAX_DEPTH,
  maxComplexity: MAX_COMPLEXITY,
  maxTokens: 10_000,
  stopGraceMs: 10_000,
});

export interface StartServerOptions {
  readonly config: Config;
  readonly db: GraphDatabase;
  readonly ingest: IngestController;
  readonly centrality?: CentralityProvider;
  readonly exports?: ExportProvider;
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
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4000 (GraphQL at `${url}/graphql`). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, lets requests in flight finish (up to stopGraceMs), stops Apollo. Idempotent. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, db, logger } = options;
  const log = logger.child('server');
  const production = config.server.production;
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const apiKey = new ApiKey(config.server.apiKey);
  redact(config.server.apiKey); // should the key ever reach an error message, the log shows [REDACTED]
  const services: ApiServices = { ingest: options.ingest, centrality: options.centrality, exports: options.exports };
  const webDir = options.webDir === null ? null : resolve(options.webDir ?? 'web/dist');
  const serveWeb = webDir !== null && (await isDirectory(webDir));

  const httpServer = createServer();
  const apollo = new ApolloServer<ApiContext>({
    schema: await buildApiSchema(),
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
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, document: EXAMPLE_DOCUMENT }),
      ...(production ? [ApolloServerPluginDisableSuggestions() as ApolloServerPlugin<ApiContext>] : []),
      operationGuards({ maxComplexity: limits.maxComplexity, apiKeyQueries: config.server.apiKeyQueries }),
    ],
  });
  await apollo.start();

  let exportBase = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const exportUrl = (id: string) => `${exportBase}/exports/${encodeURIComponent(id)}`;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendError(res, 400, 'BAD_USER_INPUT', 'malformed request URL', { reason: 'MALFORMED_PATH' });
    }
    const path = url.pathname;
    if (path === '/graphql' || path === '/graphql/') {
      const authenticated = apiKey.accepts(req.headers.authorization);
      return handleGraphQL(apollo, req, res, url, limits, async () => createContext({ db, services, authenticated, exportUrl }));
    }
    if (path === '/healthz') {
      const health = await db.health();
      const neo4j = production ? { ok: health.ok } : health;
      return sendJson(res, health.ok ? 200 : 503, { status: health.ok ? 'ok' : 'unavailable', neo4j });
    }
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
      return sendJson(res, 200, { name: 'bsky-graph', graphql: '/graphql', health: '/healthz' });
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

  const host = options.host ?? config.server.host;
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
    close: () => (closing ??= apollo.stop().then(() => log.info('stopped'))),
  };
}

/** A URL clients can use: wildcard binds are reached through loopback; IPv6 needs brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '' ) return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
