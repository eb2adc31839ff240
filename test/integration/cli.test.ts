/** The real CLI in a child process: clear messages and exit code 2 for bad input, no stack traces. */
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { runCli, type CliResult } from '../support/cli.js';

jest.setTimeout(60_000);

const BAD_INPUT: Array<[string[], RegExp]> = [
    [['ingest'], /needs a hashtag/],
    [['ingest', 'two words'], /not a hashtag/],
    [['ingest', "x' OR 1=1"], /not a hashtag/],
    [['ingest', '#'], /hashtag is empty/],
    [['ingest', 'databs', '--max-posts', '-3'], /max-posts/],
    [['ingest', 'databs', '--max-posts', 'lots'], /max-posts must be a whole number/],
    [['ingest', 'databs', '--bogus'], /Unknown option '--bogus'/],
    [['ingest', 'databs', 'extra'], /unexpected argument "extra"/],
    [['ingest', 'databs', '--follows-from', 'firehose'], /--follows-from must be appview or repo, not "firehose"/],
    [['ingest', '--resume', 'r1', '--follows-from', 'repo'], /a resumed run keeps its own/],
    [['watch', 'databs', '--source', 'relay'], /--source must be jetstream or firehose, not "relay"/],
    [['export'], /needs a hashtag/],
    [['export', 'databs', '--format', 'pdf'], /--format must be csv, gexf or graphml/],
    [['devnet', '--members', '0'], /--members must be a whole number/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['neo4j', 'explode'], /neo4j takes one of/],
];

// Each run starts a Node process that compiles the CLI: run them four at a time, assert one by one.
const results = new Map<string, CliResult>();
beforeAll(async () => {
  const queue = [...BAD_INPUT];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      results.set(JSON.stringify(next[0]), await runCli(next[0], { BSKY_IDENTIFIER: undefined, BSKY_APP_PASSWORD: undefined }));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
});

describe('bsky-graph command line', () => {
  it.each(BAD_INPUT)('%j → exit 2 with a message', (args, message) => {
    const result = results.get(JSON.stringify(args))!;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names a malformed environment variable', async () => {
    const result = await runCli(['ingest', 'databs'], { BSKY_RATE_LIMIT: 'fast' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/BSKY_RATE_LIMIT: "fast" is not REQUESTS\/SECONDS/);
  });

  it('prints usage on --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: bsky-graph <command>/);
  });
});
