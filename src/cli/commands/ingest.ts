/** `bsky-graph ingest <hashtag>`: one run in the foreground; exit 0 only when it succeeded. */
import { loadConfig } from '../../config/config.js';
import { GraphDatabase, INGEST_RETRY_MS } from '../../graph/database.js';
import { migrate } from '../../graph/migrations.js';
import { normaliseHashtag } from '../../core/hashtag.js';
import { IngestService } from '../../ingest/ingest-service.js';
import { createLogger } from '../../logging/logger.js';
import { parseCommand, positiveInt } from '../parse.js';
import { createProgressReporter } from '../progress-reporter.js';
import { UsageError } from '../usage-error.js';
import { FOLLOWS_FROM, type FollowsFrom } from '../../core/follows-source.js';

export async function ingestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    {
      'max-posts': { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      resume: { type: 'string' },
      json: { type: 'boolean', default: false },
      'allow-shrink': { type: 'boolean', default: false },
      'follows-from': { type: 'string' },
    },
    1,
  );
  const resumeId = values.resume;
  if (!positionals[0] && !resumeId) throw new UsageError('ingest needs a hashtag (or --resume RUN_ID)');
  const hashtag = positionals[0] ? normaliseHashtag(positionals[0]) : undefined;
  const maxPosts = positiveInt('--max-posts', values['max-posts']);
  const followsFrom = values['follows-from'];
  if (followsFrom !== undefined && !(FOLLOWS_FROM as readonly string[]).includes(followsFrom)) throw new UsageError(`--follows-from must be ${FOLLOWS_FROM.join(' or ')}, not "${followsFrom}"`);
  if (followsFrom !== undefined && resumeId) throw new UsageError('--follows-from is for a new run: a resumed run keeps its own');

  const config = loadConfig();
  const logger = createLogger(values.json && config.logLevel === 'info' ? 'warn' : config.logLevel);
  const db = GraphDatabase.fromConfig(config, { maxRetryTimeMs: INGEST_RETRY_MS });
  const reporter = values.json ? createProgressReporter(false, () => undefined) : createProgressReporter(process.stderr.isTTY === true);
  const started = performance.now();
  try {
    await migrate(db);
    const service = new IngestService({ db, config, logger, onProgress: (_run, counters, stage) => reporter.update(counters, stage) });
    const stop = () => void service.shutdown();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let record;
    if (resumeId) {
      const existing = await service.get(resumeId);
      if (existing && hashtag && existing.hashtag !== hashtag) throw new UsageError(`run ${resumeId} is for #${existing.hashtag}, not #${hashtag}`);
      record = await service.resumeAndWait(resumeId, { waitForLapse: true, ...(values['allow-shrink'] ? { allowShrink: true } : {}) });
    } else {
      record = await service.run({ hashtag: hashtag!, maxPosts, since: values.since, until: values.until, allowShrink: values['allow-shrink'], ...(followsFrom ? { followsFrom: followsFrom as FollowsFrom } : {}) });
    }
    reporter.stop();
    const seconds = Math.round((performance.now() - started) / 10) / 100;
    const c = record.counters;
    if (values.json) {
      const { removedMembers, removedFollows } = record;
      process.stdout.write(JSON.stringify({ runId: record.id, status: record.status, requests: c.requests, members: c.members, actors: c.actors, follows: c.follows, removedMembers, removedFollows, seconds, error: record.error ?? undefined }) + '\n');
    } else {
      process.stdout.write(
        `#${record.hashtag}: ${record.status} in ${seconds}s — ${c.members} members, ${c.actors} actors, ${c.follows} follows, ${c.requests} requests (${c.retries} retries, ${c.waits} waits); removed ${record.removedMembers} members, ${record.removedFollows} follows. Run ${record.id}\n`,
      );
      if (record.error) process.stderr.write(`error: ${record.error}\n`);
      if (record.status !== 'SUCCEEDED') process.stderr.write(`resume with: bsky-graph ingest ${record.hashtag} --resume ${record.id}\n`);
    }
    return record.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    reporter.stop();
    await db.close();
  }
}
