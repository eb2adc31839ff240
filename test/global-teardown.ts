import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const container = (globalThis as Record<string, unknown>).__NEO4J_CONTAINER__ as { stop(): Promise<unknown> } | undefined;
  if (container) await container.stop();
  const tmp = process.env.BSKY_GRAPH_TEST_TMP;
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
