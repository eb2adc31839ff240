/** schema.graphql is the published contract: it must be what the code builds. */
import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildApiSchema, schemaSdl } from '../../../src/server/build-schema.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));

describe('schema.graphql', () => {
  it('is up to date (regenerate: node --import @swc-node/register/esm-register src/server/emit-schema.ts)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(schemaSdl(await buildApiSchema()));
  });

  it('keeps the wire names of the API contract', async () => {
    const sdl = schemaSdl(await buildApiSchema());
    const compact = sdl.replace(/"""[\s\S]*?"""/g, '').replace(/\s+/g, ' ');
    // Described arguments print one per line: compare signatures without descriptions or line breaks.
    const signatures = compact.replace(/\( /g, '(').replace(/ \)/g, ')');
    for (const signature of [
      'actor(handleOrDid: String!): Actor',
      'communities(algorithm: CommunityAlgorithm hashtag: String!): [Community!]!',
      'hashtags: [HashtagStats!]!',
      'ingestRun(id: ID!): IngestRun',
      'startIngest(input: IngestInput!): IngestRun!',
      'cancelIngest(id: ID!): IngestRun!',
      'exportCsv(input: ExportInput!): CsvExport!',
    ]) {
      expect(signatures).toContain(signature);
    }
    for (const pattern of [
      /actors\( after: String first: Int hashtag: String orderBy: ActorOrder = FOLLOWERS search: String \): ActorConnection!/,
      /neighbourhood\( actor: String! depth: Int = 1 direction: Direction = BOTH hashtag: String limit: Int = 500 \): Subgraph!/,
      /mutualFollows\( actor: String! after: String first: Int hashtag: String \): ActorConnection!/,
      /commonFollows\( a: String! after: String b: String! first: Int \): ActorConnection!/,
      /relationship\( a: String! b: String! \): Relationship!/,
      /resumeIngest\( allowShrink: Boolean id: ID! \): IngestRun!/,
      /centrality\( first: Int = 20 hashtag: String metric: CentralityMetric! scope: Scope = COMMUNITY \): \[RankedActor!\]!/,
      /ingestRuns\( first: Int = 20 \): \[IngestRun!\]!/,
      /enum CentralityMetric \{ BETWEENNESS CLOSENESS DEGREE IN_DEGREE OUT_DEGREE PAGERANK \}/,
      /enum Scope \{ ALL COMMUNITY \}/,
      /enum Direction \{ BOTH IN OUT \}/,
      /type Subgraph \{ edgeIndex: \[Int!\]! edges: \[FollowEdge!\]! graphVersion: String! nodes: \[Actor!\]! truncated: Boolean! \}/,
      /type FollowEdge \{ source: ID! target: ID! \}/,
      /type RankedActor \{ actor: Actor! rank: Int! score: Float! \}/,
    ]) {
      expect(compact).toMatch(pattern);
    }
  });
});
