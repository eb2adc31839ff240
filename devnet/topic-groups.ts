/**
 * Planted communities: topical groups of members, each with its own vocabulary (bios, co-used
 * hashtags), and a few bridging accounts that follow across groups. Members are assigned to groups
 * in contiguous index blocks (indexes carry no meaning: DIDs, handles and posting order are drawn
 * independently), so each group is an index range the follow generator can draw from.
 */
import { capitalise } from './names.js';
import { chance, pick, randInt, shuffle, type Rng } from './prng.js';

export interface Topic {
  readonly name: string;
  readonly roles: readonly string[];
  readonly words: readonly string[];
  /** Other hashtags this group's members post beside the community's tag. */
  readonly tags: readonly string[];
}

export const TOPICS: readonly Topic[] = [
  { name: 'postgres', roles: ['DBA', 'postgres person', 'SQL nerd'], words: ['postgres', 'vacuum', 'indexes', 'replication', 'pgbouncer'], tags: ['postgres', 'sql'] },
  { name: 'streaming', roles: ['stream processing dev', 'platform engineer'], words: ['kafka', 'flink', 'streaming', 'cdc', 'debezium'], tags: ['kafka', 'streaming'] },
  { name: 'ml', roles: ['ML engineer', 'data scientist'], words: ['pytorch', 'mlops', 'embeddings', 'notebooks', 'features'], tags: ['machinelearning', 'mlops'] },
  { name: 'analytics', roles: ['analytics engineer', 'BI developer'], words: ['dbt', 'dashboards', 'metrics', 'tableau', 'looker'], tags: ['dbt', 'analytics'] },
  { name: 'lakehouse', roles: ['data engineer', 'data architect'], words: ['duckdb', 'parquet', 'iceberg', 'arrow', 'lakehouse'], tags: ['duckdb', 'iceberg'] },
  { name: 'research', roles: ['database researcher', 'PhD student in databases'], words: ['vldb', 'sigmod', 'optimizers', 'transactions', 'papers'], tags: ['vldb', 'dbresearch'] },
  { name: 'graphs', roles: ['graph nerd', 'knowledge graph engineer'], words: ['neo4j', 'cypher', 'rdf', 'ontologies', 'networks'], tags: ['graphdb', 'cypher'] },
  { name: 'geo', roles: ['GIS analyst', 'geospatial dev'], words: ['postgis', 'maps', 'geoparquet', 'h3', 'openstreetmap'], tags: ['gis', 'maps'] },
];

/** Share of members whose follows ignore the groups (they bridge them). */
export const BRIDGE_SHARE = 0.03;
/** Share of a grouped member's follows of members that stay inside its group. */
export const IN_GROUP_SHARE = 0.7;

export interface PlantedGroups {
  /** Group of every member (bridges too: the group whose vocabulary they write in). */
  readonly groupOf: Int32Array;
  /** First member index of group g is `starts[g]`; `starts[groups]` is the member count. */
  readonly starts: Int32Array;
  readonly bridges: ReadonlySet<number>;
  readonly topics: readonly Topic[];
}

/** Group sizes vary (0.5× to 1.5× the mean), as real sub-communities do. */
export function plantGroups(rng: Rng, members: number, groups: number): PlantedGroups {
  if (!Number.isInteger(groups) || groups < 1 || groups > TOPICS.length) throw new RangeError(`groups must be 1 to ${TOPICS.length}`);
  const count = Math.min(groups, members);
  const weights = Array.from({ length: count }, () => 0.5 + rng());
  const total = weights.reduce((a, b) => a + b, 0);
  const starts = new Int32Array(count + 1);
  for (let g = 0; g < count; g++) starts[g + 1] = (starts[g] as number) + Math.max(1, Math.round((members * (weights[g] as number)) / total));
  // Rounding: the last group absorbs the difference (and never drops below one member).
  starts[count] = members;
  for (let g = count - 1; g > 0; g--) if ((starts[g] as number) >= (starts[g + 1] as number)) starts[g] = (starts[g + 1] as number) - 1;
  const groupOf = new Int32Array(members);
  for (let g = 0; g < count; g++) groupOf.fill(g, starts[g] as number, starts[g + 1] as number);
  const bridgeCount = Math.floor(members * BRIDGE_SHARE);
  const bridges = new Set(shuffle(rng, Array.from({ length: members }, (_, i) => i)).slice(0, bridgeCount));
  return { groupOf, starts, bridges, topics: TOPICS.slice(0, count) };
}

/** The group member `m`'s next follow of a member goes to: its own mostly, any for a bridge. */
export function targetGroup(rng: Rng, planted: PlantedGroups, m: number): number {
  const groups = planted.topics.length;
  const own = planted.groupOf[m] as number;
  if (planted.bridges.has(m) || groups === 1) return randInt(rng, 0, groups - 1);
  if (chance(rng, IN_GROUP_SHARE)) return own;
  const other = randInt(rng, 0, groups - 2);
  return other >= own ? other + 1 : other;
}

export function topicBio(rng: Rng, topic: Topic): string {
  if (chance(rng, 0.08)) return '';
  const [a, b] = shuffle(rng, [...topic.words]) as [string, string];
  return `${capitalise(pick(rng, topic.roles))}. Mostly ${a} and ${b}.`;
}
