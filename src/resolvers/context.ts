/**
 * The per-request GraphQL context: loaders (fresh per request, so nothing is cached across users or
 * across an ingest), the services resolvers call, and whether the caller showed the API key.
 */
import type { CentralityService } from '../analytics/centrality-service.js';
import type { CommunityInsights } from '../analytics/community-insights.js';
import type { ExportRequest, ExportService } from '../export/export-service.js';
import type { GraphDatabase } from '../graph/database.js';
import { readGraphFingerprint, type GraphFingerprint } from '../graph/graph-version.js';
import type { IngestController } from '../ingest/types.js';
import type { GraphState, ReadModel } from '../read-model/read-model.js';
import type { WatchService } from '../watch/watch-service.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What the API needs of CentralityService: typed from it, so a change there breaks the build here. */
export type CentralityProvider = Pick<CentralityService, 'centrality' | 'communities' | 'partition'>;

/** What the API needs of CommunityInsights. */
export type InsightsProvider = Pick<CommunityInsights, 'report' | 'suggestFollows' | 'bridges'>;

/** What the API needs of ExportService. */
export type ExportProvider = Pick<ExportService, 'create' | 'open'>;
export type ExportColumnName = NonNullable<ExportRequest['extraColumns']>[number];

export interface ApiServices {
  readonly ingest: IngestController;
  readonly centrality?: CentralityProvider;
  /** Absent: communities answer without names or structure, and the insight queries answer INTERNAL. */
  readonly insights?: InsightsProvider;
  readonly exports?: ExportProvider;
  /** Absent: every read goes to Neo4j. */
  readonly readModel?: Pick<ReadModel, 'state'>;
  /** Absent: watch fields answer INTERNAL (this server runs no watchers). */
  readonly watch?: Pick<WatchService, 'start' | 'stop' | 'report'> & Partial<Pick<WatchService, 'changes'>>;
}

export interface ApiContext {
  readonly db: GraphDatabase;
  readonly loaders: Loaders;
  /** The graph's state for this request, read once: every field of one response sees the same graph. */
  readonly graph: () => Promise<GraphState>;
  /** The graph's fingerprint for this request (read from Neo4j when no read model already did). */
  readonly graphVersion: () => Promise<GraphFingerprint>;
  readonly services: ApiServices;
  readonly auth: { readonly authenticated: boolean };
  /** Absolute download URL of an export. */
  readonly exportUrl: (id: string) => string;
}

export function createContext(args: {
  db: GraphDatabase;
  services: ApiServices;
  authenticated: boolean;
  exportUrl: (id: string) => string;
}): ApiContext {
  let state: Promise<GraphState> | null = null;
  const readModel = args.services.readModel;
  const graph = () =>
    (state ??= readModel ? readModel.state() : Promise.resolve({ fingerprint: null, index: null }));
  let fingerprint: Promise<GraphFingerprint> | null = null;
  const graphVersion = () => (fingerprint ??= graph().then((s) => s.fingerprint ?? readGraphFingerprint(args.db)));
  return {
    db: args.db,
    loaders: createLoaders(args.db, graph),
    graph,
    graphVersion,
    services: args.services,
    auth: { authenticated: args.authenticated },
    exportUrl: args.exportUrl,
  };
}
