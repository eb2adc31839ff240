/**
 * The whole follow graph in a few queries, for the in-process read model: every actor with the
 * properties hydration shows, every FOLLOWS as node ordinals, and every hashtag's members.
 *
 * Neo4j reads are read-committed, not snapshots, so the graph's fingerprint is read before and
 * after: every write that changes what this returns bumps the version in its own transaction, so
 * equal fingerprints mean no write committed in between and the answers belong to that state.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { ActorRecord } from './actor-queries.js';
import type { GraphDatabase } from './database.js';
import { graphFingerprintIn, type GraphFingerprint } from './graph-version.js';
import { lastIngestTimes } from './hashtag-queries.js';

export interface FollowGraphSnapshot {
  readonly version: GraphFingerprint;
  /** Ordinal → actor; ordinals are positions in this array. */
  readonly actors: ActorRecord[];
  /** Ordinal → profileFetchedAt as an ISO string, '' when never fetched (decides handle clashes). */
  readonly fetchedAt: string[];
  /** FOLLOWS as parallel arrays of ordinals: sources[i] follows targets[i]. */
  readonly sources: Int32Array;
  readonly targets: Int32Array;
  /** Every Hashtag node's name → ordinals of its members (POSTED_WITH). */
  readonly members: Map<string, Int32Array>;
  /** Hashtag → finishedAt of its latest successful ingest (a success bumps the version too). */
  readonly lastIngestAt: Map<string, string | null>;
}

// id() is the cheapest join key the driver can stream (a number, not a 40-character string); it is
// only used within this one read, never stored, so its reuse after deletes cannot bite.
const ACTORS = `
MATCH (a:Actor)
RETURN id(a) AS id, a.did AS did, a.handle AS handle, a.displayName AS displayName,
       a.description AS description, a.avatar AS avatar, a.postsCount AS postsCount,
       a.followersCount AS followersCount, a.followsCount AS followsCount, a.createdAt AS createdAt,
       a.pagerank AS pagerank, a.community AS community,
       coalesce(toString(a.profileFetchedAt), '') AS fetchedAt`;

// One record per actor with its targets collected: far fewer records than edges.
const FOLLOWS = `
MATCH (a:Actor)
WITH a, COLLECT { MATCH (a)-[:FOLLOWS]->(b:Actor) RETURN id(b) } AS targets
WHERE size(targets) > 0
RETURN id(a) AS source, targets`;

const MEMBERS = `
MATCH (h:Hashtag)
RETURN h.name AS name, COLLECT { MATCH (h)<-[:POSTED_WITH]-(a:Actor) RETURN id(a) } AS members`;

/** Beyond this many tries the graph is changing too fast to copy; the caller keeps using Neo4j. */
const MAX_ATTEMPTS = 3;

export async function readFollowGraphSnapshot(db: GraphDatabase, timeoutMs = 300_000): Promise<FollowGraphSnapshot | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const snapshot = await db.readTx((tx) => readOnce(tx), timeoutMs, 'followGraphSnapshot');
    if (snapshot) return snapshot;
  }
  return null;
}

async function readOnce(tx: ManagedTransaction): Promise<FollowGraphSnapshot | null> {
  const before = await graphFingerprintIn(tx);
  const ordinals = new Map<number, number>();
  const actors: ActorRecord[] = [];
  const fetchedAt: string[] = [];
  const hashtagsOf: string[][] = [];
  for (const r of (await tx.run(ACTORS)).records) {
    ordinals.set(r.get('id') as number, actors.length);
    const tags: string[] = [];
    hashtagsOf.push(tags);
    actors.push({
      did: String(r.get('did')),
      handle: text(r.get('handle')),
      displayName: text(r.get('displayName')),
      description: text(r.get('description')),
      avatar: text(r.get('avatar')),
      postsCount: num(r.get('postsCount')),
      followersCount: num(r.get('followersCount')),
      followsCount: num(r.get('followsCount')),
      createdAt: r.get('createdAt') == null ? null : String(r.get('createdAt')),
      pagerank: num(r.get('pagerank')),
      community: num(r.get('community')),
      hashtags: tags,
    });
    fetchedAt.push(String(r.get('fetchedAt')));
  }

  let sources: Int32Array = new Int32Array(1024);
  let targets: Int32Array = new Int32Array(1024);
  let edges = 0;
  for (const r of (await tx.run(FOLLOWS)).records) {
    const source = ordinals.get(r.get('source') as number);
    const list = r.get('targets') as number[];
    if (source === undefined) return null; // an actor created after the actor read
    if (edges + list.length > sources.length) {
      const size = Math.max(sources.length * 2, edges + list.length);
      sources = grow(sources, size);
      targets = grow(targets, size);
    }
    for (const id of list) {
      const target = ordinals.get(id);
      if (target === undefined) return null;
      sources[edges] = source;
      targets[edges] = target;
      edges++;
    }
  }

  const members = new Map<string, Int32Array>();
  for (const r of (await tx.run(MEMBERS)).records) {
    const name = String(r.get('name'));
    const ids = r.get('members') as number[];
    const list = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const ordinal = ordinals.get(ids[i]!);
      if (ordinal === undefined) return null;
      list[i] = ordinal;
      hashtagsOf[ordinal]!.push(name);
    }
    members.set(name, list);
  }
  for (const tags of hashtagsOf) tags.sort();

  const lastIngestAt = await lastIngestTimes(tx);
  if ((await graphFingerprintIn(tx)) !== before) return null;
  return { version: before, actors, fetchedAt, sources: sources.subarray(0, edges), targets: targets.subarray(0, edges), members, lastIngestAt };
}

function grow(array: Int32Array, size: number): Int32Array {
  const bigger = new Int32Array(size);
  bigger.set(array);
  return bigger;
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
