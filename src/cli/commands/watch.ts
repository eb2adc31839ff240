/**
 * `bsky-graph watch <hashtag> [--source jetstream|firehose]`: keeps the crawled community current
 * from Jetstream or the relay firehose until SIGINT/SIGTERM.
 */
import { loadConfig } from '../../config/config.js';
import { normaliseHashtag } from '../../core/hashtag.js';
import { GraphDatabase, INGEST_RETRY_MS } from '../../graph/database.js';
import { migrate } from '../../graph/migrations.js';
import { createLogger, redact } from '../../logging/logger.js';
import type { WatchClaimLostError } from '../../graph/watch-claim.js';
import { HashtagWatcher } from '../../watch/hashtag-watcher.js';
import { createWatchSource } from '../../watch/create-watch-source.js';
import { RepoFollows } from '../../watch/repo-follows.js';
import { parseCommand, positiveInt } from '../parse.js';
import { UsageError } from '../usage-error.js';

export async function watchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, { 'status-every': { type: 'string' }, source: { type: 'string' } }, 1);
  if (!positionals[0]) throw new UsageError('watch needs a hashtag');
  const source = values.source;
  if (source !== undefined && source !== 'jetstream' && source !== 'firehose') throw new UsageError(`--source must be jetstream or firehose, not "${source}"`);
  const hashtag = normaliseHashtag(positionals[0]);
  const everyS = positiveInt('--status-every', values['status-every'], 3600) ?? 10;
  const config = loadConfig();
  redact(config.neo4j.password);
  const logger = createLogger(config.logLevel, 'watch');
  const db = GraphDatabase.fromConfig(config, { maxRetryTimeMs: INGEST_RETRY_MS });
  try {
    await migrate(db);
    const repos = new RepoFollows({ plcUrl: config.bsky.plc, timeoutMs: config.bsky.requestTimeoutMs });
    const settings = { kind: source ?? config.bsky.watchSource, jetstreamUrl: config.bsky.jetstream, firehoseUrl: config.bsky.firehose, plcUrl: config.bsky.plc, verify: config.bsky.firehoseVerify, timeoutMs: config.bsky.requestTimeoutMs };
    let lost: WatchClaimLostError | null = null;
    let wake = () => undefined as void;
    const watcher = new HashtagWatcher({
      db,
      hashtag,
      source: createWatchSource(settings, repos, logger),
      repos,
      logger,
      onClaimLost: (err) => {
        lost = err;
        wake();
      },
    });
    await watcher.start();
    const report = setInterval(() => logger.info('watch status', { ...watcher.status() }), everyS * 1000);
    await new Promise<void>((resolve) => {
      wake = resolve;
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    clearInterval(report);
    if (lost) throw lost;
    await watcher.stop();
    logger.info('watch stopped', { ...watcher.status() });
    return 0;
  } finally {
    await db.close();
  }
}
