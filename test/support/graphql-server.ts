/** Starts the real server on a free port against the test Neo4j, with a log that tests can read. */
import { loadConfig, type Config } from '../../src/config/config.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import type { IngestController } from '../../src/ingest/types.js';
import { createLogger } from '../../src/logging/logger.js';
import { ReadModel } from '../../src/read-model/read-model.js';
import type { ApiServices, CentralityProvider, ExportProvider } from '../../src/resolvers/context.js';
import { startServer, type RunningServer, type ServerLimits } from '../../src/server/create-server.js';

export interface TestServer extends RunningServer {
  readonly config: Config;
  /** Every log line the server wrote. */
  readonly logLines: string[];
}

export async function startTestServer(args: {
  db: GraphDatabase;
  env?: Record<string, string>;
  ingest?: IngestController;
  centrality?: CentralityProvider;
  insights?: ApiServices['insights'];
  exports?: ExportProvider;
  watch?: ApiServices['watch'];
  webDir?: string | null;
  limits?: Partial<ServerLimits>;
}): Promise<TestServer> {
  const config = loadConfig({
    NEO4J_URI: process.env.NEO4J_URI,
    NEO4J_PASSWORD: process.env.NEO4J_PASSWORD,
    LOG_LEVEL: 'debug',
    PORT: '0',
    // One client (this process) sends a whole suite: tests of the rate limit set it in `env`.
    RATE_LIMIT_PER_MINUTE: '0',
    ...args.env,
  });
  const logLines: string[] = [];
  const logger = createLogger('debug', 'test', (line) => logLines.push(line));
  // As `serve` runs it (READ_MODEL=false in env turns it off): graph reads come from the read model
  // when it matches the graph, from Cypher while it is rebuilt after a change.
  const readModel = config.server.readModel ? new ReadModel(args.db, { enabled: true, logger: logger.child('read-model') }) : undefined;
  // A server whose Neo4j is down still starts (its reads then fail with a clear error), as `serve` does.
  await readModel?.ready().catch(() => undefined);
  const server = await startServer({
    config,
    db: args.db,
    ingest: args.ingest ?? new IngestService({ db: args.db, config, logger }),
    centrality: args.centrality,
    insights: args.insights,
    exports: args.exports,
    readModel,
    watch: args.watch,
    logger,
    webDir: args.webDir === undefined ? null : args.webDir,
    limits: args.limits,
  });
  return {
    ...server,
    config,
    logLines,
    close: async () => {
      await server.close();
      readModel?.close();
    },
  };
}
