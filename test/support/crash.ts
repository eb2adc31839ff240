/** kill -9 an ingest child process at a chosen point of its run, read from the IngestRun node. */
import { expect } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { waitFor, type spawnCli } from './cli.js';

export interface RunState {
  id: string;
  status: string;
  stage: string;
  membersDone: number;
  searchPages: number;
  follows: number;
}

export async function latestRunState(db: GraphDatabase, hashtag: string): Promise<RunState | undefined> {
  const rows = await db.read<RunState>(
    `MATCH (r:IngestRun {hashtag: $hashtag})
     RETURN r.id AS id, r.status AS status, r.stage AS stage, r.membersDone AS membersDone, r.searchPages AS searchPages, r.follows AS follows
     ORDER BY r.startedAt DESC LIMIT 1`,
    { hashtag },
  );
  return rows[0];
}

/**
 * SIGKILLs the child as soon as `ready` holds for the run's persisted state. Returns false when the
 * run finished first (allowed only with `allowFinish`), true when it was killed.
 */
export async function killWhen(
  db: GraphDatabase,
  hashtag: string,
  child: ReturnType<typeof spawnCli>,
  ready: (s: RunState) => boolean,
  allowFinish = false,
): Promise<boolean> {
  const exited = waitFor(child, 180_000);
  for (;;) {
    const state = await latestRunState(db, hashtag);
    if (state && ready(state)) break;
    if (child.exitCode !== null) {
      const result = await exited;
      if (allowFinish && result.code === 0) return false;
      throw new Error(`the ingest ended before the kill point: ${result.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  const result = await exited;
  if (allowFinish && result.code === 0) return false;
  expect(result.signal).toBe('SIGKILL');
  return true;
}
