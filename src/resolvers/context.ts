/**
 * The per-request GraphQL context: loaders (fresh per request, so nothing is cached across users or
 * across an ingest), the services resolvers call, and whether the caller showed the API key.
 */
import type { CentralityService } from '../analytics/centrality-service.js';
import type { ExportRequest, ExportService } from '../export/export-service.js';
import type { GraphDatabase } from '../graph/database.js';
import type { IngestController } from '../ingest/types.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What the API needs of CentralityService: typed from it, so a change there breaks the build here. */
export type CentralityProvider = Pick<CentralityService, 'centrality' | 'communities'>;

/** What the API needs of ExportService. */
export type ExportProvider = Pick<ExportService, 'create' | 'open'>;
export type ExportColumnName = NonNullable<ExportRequest['extraColumns']>[number];

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
