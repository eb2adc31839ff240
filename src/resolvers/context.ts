/**
 * The per-request GraphQL context: loaders (fresh per request, so nothing is cached across users or
 * across an ingest), the services resolvers call, and whether the caller showed the API key.
 */
import type { CommunityGroup, CentralityMetric, RankedDid, Scope } from '../analytics/types.js';
import type { GraphDatabase } from '../graph/database.js';
import type { IngestController } from '../ingest/types.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What the API needs of CentralityService (src/analytics/centrality-service.ts). */
export interface CentralityProvider {
  centrality(metric: CentralityMetric, opts: { hashtag?: string; scope: Scope; first: number }): Promise<RankedDid[]>;
  communities(hashtag: string): Promise<CommunityGroup[]>;
}

export type ExportFormatName = 'CSV' | 'GEXF' | 'GRAPHML';
export type ExportColumnName = 'dids' | 'target_profile';

/** What the API needs of ExportService (src/export/export-service.ts). */
export interface ExportProvider {
  create(req: { hashtag: string; scope: Scope; format: ExportFormatName; extraColumns?: ExportColumnName[] }): Promise<{
    id: string;
    rows: number;
    bytes: number;
    fileName: string;
    contentType: string;
  }>;
  open(id: string): Promise<{ stream: NodeJS.ReadableStream; fileName: string; contentType: string; bytes: number } | null>;
}

export interface ApiServices {
  readonly ingest: IngestController;
  readonly centrality?: CentralityProvider;
  readonly exports?: ExportProvider;
}

export interface ApiContext {
  readonly db: GraphDatabase;
  readonly loaders: Loaders;
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
  return {
    db: args.db,
    loaders: createLoaders(args.db),
    services: args.services,
    auth: { authenticated: args.authenticated },
    exportUrl: args.exportUrl,
  };
}
