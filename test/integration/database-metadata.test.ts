/** Every transaction carries `{ app, op }` metadata, so Neo4j's query log and SHOW TRANSACTIONS say what ran. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { MIGRATIONS } from '../../src/graph/migrations.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const METADATA = 'CALL tx.getMetaData() YIELD metadata RETURN metadata';

let db: GraphDatabase;
beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
});
afterAll(async () => {
  await db.close();
});

async function namedRead(): Promise<Record<string, unknown>> {
  return (await db.read<{ metadata: Record<string, unknown> }>(METADATA))[0]!.metadata;
}

describe('transaction metadata', () => {
  it('names a query after its caller by default', async () => {
    expect(await namedRead()).toEqual({ app: 'bsky-graph', op: 'database-metadata.test:namedRead' });
  });

  it('takes an explicit op in every helper', async () => {
    const op = (rows: Array<{ metadata: Record<string, unknown> }>) => rows[0]!.metadata.op;
    expect(op(await db.read(METADATA, {}, undefined, 'r'))).toBe('r');
    expect(op(await db.write(METADATA, {}, undefined, 'w'))).toBe('w');
    expect(op(await db.autoCommit(METADATA, {}, undefined, 'a'))).toBe('a');
    expect(await db.readTx(async (tx) => (await tx.run(METADATA)).records[0]!.get('metadata').op, undefined, 'rt')).toBe('rt');
    expect(await db.writeTx(async (tx) => (await tx.run(METADATA)).records[0]!.get('metadata').op, undefined, 'wt')).toBe('wt');
    const streamed = [];
    for await (const row of db.stream<{ metadata: Record<string, unknown> }>(METADATA, {}, undefined, 's')) streamed.push(row.metadata.op);
    expect(streamed).toEqual(['s']);
  });

  it('leaves no :Export constraint behind', async () => {
    expect(MIGRATIONS.some((m) => m.includes('(e:Export)'))).toBe(false);
    const rows = await db.read<{ n: number }>(`SHOW CONSTRAINTS YIELD name WHERE name = 'export_id' RETURN count(*) AS n`);
    expect(rows[0]!.n).toBe(0);
  });
});
