/** IngestRun nodes: lifecycle, counters and the checkpoint a killed run resumes from. */
import type { GraphDatabase } from './database.js';
import type { IngestCounters, IngestRunRecord, IngestStage, IngestStatus } from '../ingest/types.js';
import { EMPTY_COUNTERS } from '../ingest/types.js';

export interface NewRun {
  readonly id: string;
  readonly hashtag: string;
  readonly stamp: number;
  readonly owner: string;
  readonly maxPosts: number | null;
  readonly since: string | null;
  readonly until: string | null;
}

export interface StoredRun extends IngestRunRecord {
  readonly stamp: number;
  readonly owner: string | null;
  readonly checkpoint: string | null;
  /** Last batch committed by the run's process. */
  readonly heartbeatAt: string | null;
}

const COUNTER_KEYS = Object.keys(EMPTY_COUNTERS) as Array<keyof IngestCounters>;

const CREATE = `
CREATE (r:IngestRun {id: $id, hashtag: $hashtag, stamp: $stamp, owner: $owner, status: 'RUNNING', stage: 'SEARCH',
  startedAt: datetime(), finishedAt: null, error: null, maxPosts: $maxPosts, since: $since, until: $until, checkpoint: null})
SET r += $counters
RETURN r`;

export async function createRun(db: GraphDatabase, run: NewRun): Promise<StoredRun> {
  const rows = await db.write<{ r: { properties: Record<string, unknown> } }>(CREATE, { ...run, counters: { ...EMPTY_COUNTERS } });
  return toRun(rows[0]!.r.properties);
}

export async function getRun(db: GraphDatabase, id: string): Promise<StoredRun | null> {
  const rows = await db.read<{ r: { properties: Record<string, unknown> } }>('MATCH (r:IngestRun {id: $id}) RETURN r', { id });
  return rows[0] ? toRun(rows[0].r.properties) : null;
}

export async function listRuns(db: GraphDatabase, first: number, hashtag?: string): Promise<StoredRun[]> {
  const rows = await db.read<{ r: { properties: Record<string, unknown> } }>(
    `MATCH (r:IngestRun) WHERE $hashtag IS NULL OR r.hashtag = $hashtag
     RETURN r ORDER BY r.startedAt DESC, r.id LIMIT toInteger($first)`,
    { first, hashtag: hashtag ?? null },
  );
  return rows.map((row) => toRun(row.r.properties));
}

export async function runningRunFor(db: GraphDatabase, hashtag: string): Promise<StoredRun | null> {
  const rows = await db.read<{ r: { properties: Record<string, unknown> } }>(
    `MATCH (r:IngestRun {hashtag: $hashtag, status: 'RUNNING'}) RETURN r ORDER BY r.startedAt DESC LIMIT 1`,
    { hashtag },
  );
  return rows[0] ? toRun(rows[0].r.properties) : null;
}

export interface RunPatch {
  readonly status?: IngestStatus;
  readonly stage?: IngestStage;
  readonly error?: string | null;
  readonly finished?: boolean;
  readonly owner?: string;
  readonly counters?: Partial<IngestCounters>;
}

export async function updateRun(db: GraphDatabase, id: string, patch: RunPatch): Promise<StoredRun> {
  const props: Record<string, unknown> = { ...(patch.counters ?? {}) };
  if (patch.status) props.status = patch.status;
  if (patch.stage) props.stage = patch.stage;
  if (patch.error !== undefined) props.error = patch.error;
  if (patch.owner !== undefined) props.owner = patch.owner;
  const rows = await db.write<{ r: { properties: Record<string, unknown> } }>(
    `MATCH (r:IngestRun {id: $id})
     SET r += $props, r.finishedAt = CASE WHEN $finished THEN datetime() WHEN $reopen THEN null ELSE r.finishedAt END
     RETURN r`,
    { id, props, finished: patch.finished === true, reopen: patch.status === 'RUNNING' },
  );
  if (!rows[0]) throw new Error(`IngestRun ${id} vanished`);
  return toRun(rows[0].r.properties);
}

/** Members the run already knows, and which of their stages are still owed (resume). */
export async function runMemberProgress(
  db: GraphDatabase,
  runId: string,
): Promise<{ members: string[]; profilesPending: string[]; followsPending: string[] }> {
  const rows = await db.read<{ did: string; profileDone: boolean; followsDone: boolean }>(
    `MATCH (:IngestRun {id: $runId})-[s:SAW]->(a:Actor)
     RETURN a.did AS did, coalesce(s.profileDone, false) AS profileDone, coalesce(s.followsDone, false) AS followsDone
     ORDER BY s.order`,
    { runId },
    300_000,
  );
  return {
    members: rows.map((r) => r.did),
    profilesPending: rows.filter((r) => !r.profileDone).map((r) => r.did),
    followsPending: rows.filter((r) => !r.followsDone).map((r) => r.did),
  };
}

function toRun(p: Record<string, unknown>): StoredRun {
  const counters = {} as IngestCounters;
  for (const key of COUNTER_KEYS) counters[key] = Number(p[key] ?? 0);
  return {
    id: String(p.id),
    hashtag: String(p.hashtag),
    status: p.status as IngestStatus,
    stage: p.stage as IngestStage,
    startedAt: iso(p.startedAt)!,
    finishedAt: iso(p.finishedAt),
    error: (p.error as string | null) ?? null,
    maxPosts: p.maxPosts == null ? null : Number(p.maxPosts),
    since: (p.since as string | null) ?? null,
    until: (p.until as string | null) ?? null,
    counters,
    stamp: Number(p.stamp),
    owner: (p.owner as string | null) ?? null,
    checkpoint: (p.checkpoint as string | null) ?? null,
    heartbeatAt: iso(p.heartbeatAt),
  };
}

function iso(value: unknown): string | null {
  if (value == null) return null;
  const s = String(value); // neo4j DateTime → ISO 8601 with offset
  const d = new Date(s.replace(/\[.*\]$/, ''));
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}
