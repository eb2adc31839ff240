/**
 * A digest of every node and relationship with all its properties: equal digests before and after
 * an operation mean it wrote nothing (no property set, removed or changed; nothing created or deleted).
 */
import { createHash } from 'node:crypto';
import type { GraphDatabase } from '../../src/graph/database.js';

const NODES = `MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props`;
const RELATIONSHIPS = `MATCH (a)-[r]->(b) RETURN elementId(r) AS id, type(r) AS type, elementId(a) AS source, elementId(b) AS target, properties(r) AS props`;

/** Keys sorted at every level, so the digest does not depend on property order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object' && value.constructor === Object) {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  // Temporal values and the like: their string form is exact.
  return typeof value === 'object' && value !== null ? JSON.stringify(String(value)) : JSON.stringify(value);
}

export async function snapshotProperties(db: GraphDatabase): Promise<{ nodes: number; relationships: number; digest: string }> {
  const hash = createHash('sha256');
  const lines: string[] = [];
  let nodes = 0;
  let relationships = 0;
  for await (const row of db.stream(NODES)) {
    nodes++;
    lines.push(`n ${canonical(row)}`);
  }
  for await (const row of db.stream(RELATIONSHIPS)) {
    relationships++;
    lines.push(`r ${canonical(row)}`);
  }
  for (const line of lines.sort()) hash.update(line).update('\n');
  return { nodes, relationships, digest: hash.digest('hex') };
}
