/** Polls an ingest run over GraphQL until it is no longer RUNNING (or reaches a stage). */
import { expect } from '@jest/globals';
import { graphql } from './graphql-client.js';

type Run = Record<string, any>;

/** Reads `ingestRun(id)` with the given fields (which must include status and stage to wait on them). */
export async function readRun(url: string, fields: string, id: string): Promise<Run> {
  const r = await graphql(url, `query($id: ID!) { ingestRun(id: $id) { ${fields} } }`, { id });
  expect(r.errors).toBeUndefined();
  return r.data!.ingestRun as Run;
}

/** Waits until the run has ended (or reached `stage`, if given); throws after `timeoutMs`. */
export async function waitForRun(url: string, fields: string, id: string, options: { stage?: string; timeoutMs?: number; pollMs?: number } = {}): Promise<Run> {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    const r = await readRun(url, fields, id);
    if (r.status !== 'RUNNING' || (options.stage !== undefined && r.stage === options.stage)) return r;
    if (Date.now() > deadline) throw new Error(`run ${id} still running${options.stage ? `, never reached ${options.stage}` : ''}`);
    await new Promise((done) => setTimeout(done, options.pollMs ?? 100));
  }
}
