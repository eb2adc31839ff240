/**
 * `bsky-graph`: parses the command line, runs one command, and turns every failure into a clear
 * message and an exit code (2 for bad input, 1 for a failed run), never a stack trace.
 */
import 'reflect-metadata';
import { ConfigError } from '../config/config.js';
import { HashtagError } from '../core/hashtag.js';
import { IngestStateError } from '../ingest/types.js';
import { scrub } from '../logging/logger.js';
import { USAGE, UsageError } from './usage-error.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  ingest: async () => (await import('./commands/ingest.js')).ingestCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  watch: async () => (await import('./commands/watch.js')).watchCommand,
  devnet: async () => (await import('./commands/devnet.js')).devnetCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  neo4j: async () => (await import('./commands/neo4j.js')).neo4jCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) throw new UsageError(`unknown command "${name}"`);
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    const bad = err instanceof UsageError || err instanceof ConfigError || err instanceof HashtagError || err instanceof IngestStateError;
    process.stderr.write(`bsky-graph: ${scrub(err.message)}\n`);
    if (err instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    process.exitCode = bad ? 2 : 1;
  },
);
