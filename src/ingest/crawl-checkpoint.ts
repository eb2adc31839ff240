/**
 * The checkpoint a run stores with every batch and resumes from. It is read back from Neo4j, where
 * another version of the code, a hand edit or a torn write may have left anything: it is parsed
 * against a schema, and a checkpoint that does not fit fails the run with what is wrong.
 */
import { z } from 'zod';
import { initialSearchState, type SearchCheckpoint, type SearchOptions } from './search-stage.js';
import { IngestStateError } from './types.js';

export interface CrawlCheckpoint {
  search: SearchCheckpoint;
}

const count = z.number().int().nonnegative();
const instant = z.string().min(1);

const searchCheckpoint: z.ZodType<SearchCheckpoint> = z.object({
  cursor: z.string().nullable(),
  until: instant.nullable(),
  oldestAt: instant.nullable(),
  boundaryUris: z.array(z.string()),
  windowNew: count,
  matched: count,
  pages: count,
  done: z.boolean(),
});

const crawlCheckpoint: z.ZodType<CrawlCheckpoint> = z.object({ search: searchCheckpoint });

export class CorruptCheckpointError extends IngestStateError {}

/** The run's stored checkpoint, or a fresh one for a run that has none yet. */
export function parseCheckpoint(runId: string, stored: string | null, search: SearchOptions): CrawlCheckpoint {
  if (stored === null || stored === '') return { search: initialSearchState(search) };
  let json: unknown;
  try {
    json = JSON.parse(stored);
  } catch (err) {
    throw corrupt(runId, `it is not JSON (${(err as Error).message})`);
  }
  const parsed = crawlCheckpoint.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw corrupt(runId, issues.join('; '));
  }
  return parsed.data;
}

export function serialiseCheckpoint(checkpoint: CrawlCheckpoint): string {
  return JSON.stringify(checkpoint);
}

function corrupt(runId: string, why: string): CorruptCheckpointError {
  return new CorruptCheckpointError(`run ${runId} cannot resume: its stored checkpoint is corrupt (${why}); start a new ingest instead`);
}
