/** The running service: Neo4j (migrated), the ingest, analytics, exports and the HTTP server. */
import type { Config } from '../config/config.js';
import { CentralityService, writeScores } from '../analytics/centrality-service.js';
import { CommunityInsights } from '../analytics/community-insights.js';
import type { ScopeGraphSource } from '../analytics/engine.js';
import { FollowGraphBuilder } from '../analytics/follow-graph.js';
import { ExportService } from '../export/export-service.js';
import { GraphDatabase, INGEST_RETRY_MS } from '../graph/database.js';
import { migrate } from '../graph/migrations.js';
import { IngestService } from '../ingest/ingest-service.js';
import { ReadModel } from '../read-model/read-model.js';
import { WatchService } from '../watch/watch-service.js';
import { redact, type Logger } from '../logging/logger.js';
import { startServer } from '../server/create-server.js';

export interface RunningApp {
  readonly url: string;
  /** Whether / serves the graph view (its build was found). */
  readonly webView: boolean;
  readonly db: GraphDatabase;
  readonly ingest: IngestService;
  readonly watch: WatchService;
  close(): Promise<void>;
}

/**
 * Beyond this many follows in scope, analytics leave the in-memory copy to GDS (or the streaming
 * engine): graphology runs on the event loop, and a million-edge Louvain would stall every request.
 */
export const IN_MEMORY_MAX_FOLLOWS = 250_000;

/** The read model's scope graphs for analytics (the two features meet only here, at the top). */
export function scopeGraphsOf(readModel: ReadModel, maxFollows = IN_MEMORY_MAX_FOLLOWS): ScopeGraphSource {
  return {
    async scopeGraph(scope) {
      const { index } = await readModel.state();
      if (!index || index.scopeFollowCount(scope) > maxFollows) return null;
      const builder = new FollowGraphBuilder();
      index.visitScope(scope, (did, handle) => builder.addActor(did, handle), (source, target) => builder.addFollow(source, target));
      return builder.build();
    },
  };
}

export async function startApp(config: Config, logger: Logger, options: { sourceLabel?: string } = {}): Promise<RunningApp> {
  redact(config.server.apiKey);
  redact(config.bsky.appPassword);
  redact(config.neo4j.password);
  const db = GraphDatabase.fromConfig(config);
  const health = await db.health();
  if (!health.ok) {
    await db.close();
    throw new Error(`Neo4j at ${config.neo4j.uri} does not answer (${health.error}); start it with: npm run neo4j:start`);
  }
  await migrate(db);
  // The ingest rides out Neo4j restarts; API reads fail fast instead of hanging.
  const ingestDb = GraphDatabase.fromConfig(config, { maxRetryTimeMs: INGEST_RETRY_MS });
  const ingest = new IngestService({
    db: ingestDb,
    config,
    logger,
    // Reads never write: PageRank and communities are stored by this explicit step at the end of a run.
    afterSuccess: (hashtag) => writeScores(db, hashtag),
    ...(options.sourceLabel ? { sourceLabel: options.sourceLabel } : {}),
  });
  const readModel = new ReadModel(db, { enabled: config.server.readModel, logger: logger.child('read-model') });
  // Built in the background: until it is ready (seconds on a million follows) Neo4j answers.
  readModel.ready().catch(() => undefined);
  const watch = new WatchService({
    db: ingestDb,
    jetstreamUrl: config.bsky.jetstream,
    plcUrl: config.bsky.plc,
    source: config.bsky.watchSource,
    firehoseUrl: config.bsky.firehose,
    firehoseVerify: config.bsky.firehoseVerify,
    logger,
    requestTimeoutMs: config.bsky.requestTimeoutMs,
  });
  const scopeGraphs = scopeGraphsOf(readModel);
  const centrality = new CentralityService(db, { logger: logger.child('analytics'), scopeGraphs });
  const server = await startServer({
    config,
    db,
    ingest,
    readModel,
    watch,
    centrality,
    insights: new CommunityInsights(db, centrality, scopeGraphs),
    exports: new ExportService(db, config.server.exportDir),
    logger,
  });
  logger.info('serving', { url: server.url, neo4j: config.neo4j.uri });
  return {
    url: server.url,
    webView: server.webView,
    db,
    ingest,
    watch,
    close: async () => {
      await ingest.shutdown();
      await watch.close();
      await server.close();
      readModel.close();
      await Promise.all([db.close(), ingestDb.close()]);
    },
  };
}
