/** Wire types of the project's GraphQL API (see schema.graphql), as far as the graph view reads them. */

export type Scope = 'COMMUNITY' | 'ALL';
export type CentralityMetric = 'PAGERANK' | 'BETWEENNESS' | 'DEGREE' | 'IN_DEGREE' | 'OUT_DEGREE' | 'CLOSENESS';
export type ExportFormat = 'CSV' | 'GEXF' | 'GRAPHML';

export interface Actor {
  readonly did: string;
  readonly handle: string | null;
  readonly displayName: string | null;
  readonly avatar: string | null;
  readonly followersCount: number | null;
  readonly followsCount: number | null;
  readonly postsCount: number | null;
  readonly pagerank: number | null;
  readonly community: number | null;
}

export interface FollowEdge {
  readonly source: string;
  readonly target: string;
}

export interface Subgraph {
  readonly nodes: readonly Actor[];
  readonly edges: readonly FollowEdge[];
  readonly truncated: boolean;
}

export interface HashtagStats {
  readonly name: string;
  readonly members: number;
  readonly follows: number;
}

export interface RankedActor {
  readonly actor: { readonly did: string };
  readonly score: number;
  readonly rank: number;
}

export interface ActorPage {
  readonly totalCount: number;
  readonly actors: Actor[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

export interface CsvExport {
  readonly id: string;
  readonly url: string;
  readonly rows: number;
  readonly bytes: number;
}
