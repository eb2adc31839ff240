/** `bsky-graph neo4j start|stop|status`: the project's local server, through neo4j/neo4jctl. */
import { spawnSync } from 'node:child_process';
import { packagePath } from '../../config/package-root.js';
import { UsageError } from '../usage-error.js';

const SCRIPT = packagePath('neo4j', 'neo4jctl');

export async function neo4jCommand(argv: string[]): Promise<number> {
  const action = argv[0];
  if (!action || !['start', 'stop', 'status', 'install'].includes(action) || argv.length > 1) {
    throw new UsageError('neo4j takes one of: start, stop, status, install');
  }
  return runNeo4jctl(action);
}

export function runNeo4jctl(action: string): number {
  const result = spawnSync('bash', [SCRIPT, action], { stdio: 'inherit' });
  return result.status ?? 1;
}
