/**
 * `bsky-graph demo`: the whole product offline. Starts the local Neo4j (unless one answers), a
 * devnet community, ingests it with a progress bar (or reuses a finished ingest), serves the API
 * and the graph view, prints the URLs, and on Ctrl-C stops everything it started. With `--live`,
 * the devnet goes on changing (random follows, unfollows, new members, profile and handle edits)
 * through its Jetstream, and the server's watcher folds the changes: the graph view moves.
 */
import { createConnection } from 'node:net';
import { loadConfig } from '../../config/config.js';
import { mulberry32, randomMutations, startDevnet } from '../../../devnet/index.js';
import { listRuns } from '../../graph/ingest-runs.js';
import { readWatchCursors } from '../../graph/watch-writes.js';
import { createLogger } from '../../logging/logger.js';
import { startApp } from '../app.js';
import { parseCommand, positiveInt } from '../parse.js';
import { createProgressReporter } from '../progress-reporter.js';
import { runNeo4jctl } from './neo4j.js';
import { waitForSignal } from './serve.js';

const HASHTAG = 'databs';
/** Planted topical groups: the demo community has real structure for the community view to find. */
const DEMO_GROUPS = 6;

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, {
    members: { type: 'string' },
    seed: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    live: { type: 'boolean', default: false },
    'changes-per-second': { type: 'string' },
  });
  const perSecond = positiveInt('--changes-per-second', values['changes-per-second'], 1000) ?? 2;
  const members = positiveInt('--members', values.members, 20_000) ?? 1500;
  const seed = values.seed ?? '1';
  const base = loadConfig();
  const logger = createLogger(base.logLevel === 'info' ? 'warn' : base.logLevel);
  const say = (line: string) => process.stdout.write(line + '\n');

  let startedNeo4j = false;
  if (!(await answers(base.neo4j.uri))) {
    say('Starting the local Neo4j (first time: fetches ~200 MB from Maven Central)…');
    if (runNeo4jctl('start') !== 0) throw new Error('the local Neo4j did not start; see neo4j/home/logs/neo4j.log');
    startedNeo4j = true;
  }

  const devnet = await startDevnet({ members, seed, groups: DEMO_GROUPS, port: 0, rateLimit: { requests: 1000, seconds: 10 }, live: values.live });
  say(`Local AT Protocol network (devnet) at ${devnet.url}: #${HASHTAG}, ${members} members in ${DEMO_GROUPS} planted groups, seed ${seed}`);
  const config = loadConfig({
    ...process.env,
    BSKY_SERVICE: devnet.url,
    BSKY_IDENTIFIER: devnet.credentials.identifier,
    BSKY_APP_PASSWORD: devnet.credentials.password,
    BSKY_RATE_LIMIT: '1000/10',
    // The live devnet serves a Jetstream and DID documents: startWatch (and the demo) watch it.
    ...(devnet.live ? { BSKY_JETSTREAM: devnet.jetstreamUrl, BSKY_PLC: devnet.url, BSKY_WATCH_SOURCE: 'jetstream' } : {}),
  });
  // Runs record what they crawled: only a finished crawl of this very devnet may be reused.
  const source = `devnet seed=${seed} members=${members} groups=${DEMO_GROUPS}`;
  const app = await startApp(config, logger, { sourceLabel: source });
  try {
    const last = (await listRuns(app.db, 1, HASHTAG))[0];
    // A live session changed the graph after its crawl: a fresh devnet no longer matches it.
    const changedLive = (await readWatchCursors(app.db, HASHTAG)) !== null;
    const reusable = last?.status === 'SUCCEEDED' && last.source === source && !changedLive;
    if (reusable && !values.fresh) {
      say(`Reusing the ingest of #${HASHTAG} from ${last.startedAt} (${last.counters.members} members, ${last.counters.follows} follows); --fresh crawls again.`);
    } else {
      if (last && !reusable && !values.fresh) {
        const what =
          last.status !== 'SUCCEEDED' ? `did not finish (${last.status.toLowerCase()})` : last.source !== source ? `came from ${last.source ?? 'another source'}` : 'was changed by a live session since its crawl';
        say(`The stored #${HASHTAG} ${what}, not from this ${source}: crawling again.`);
      }
      say(`Ingesting #${HASHTAG}…`);
      const reporter = createProgressReporter(process.stderr.isTTY === true);
      const unsubscribe = app.ingest.subscribe((_run, counters, stage) => reporter.update(counters, stage));
      // The demo's network is synthetic and new each time: whatever #databs held before is replaced.
      const run = await app.ingest.run({ hashtag: HASHTAG, allowShrink: true });
      unsubscribe();
      reporter.stop();
      if (run.status !== 'SUCCEEDED') throw new Error(`the ingest ${run.status.toLowerCase()}: ${run.error}`);
      const c = run.counters;
      say(`Ingested ${c.members} members, ${c.actors} actors, ${c.follows} follows with ${c.requests} requests.`);
    }
    const browserPort = process.env.NEO4J_HTTP_PORT ?? '7474';
    say('');
    say(app.webView ? `  Graph view      ${app.url}/` : '  Graph view      not built: run `npm run build`, then the demo again');
    say(`  GraphQL         ${app.url}/graphql   (Apollo Sandbox, example queries preloaded)`);
    say(`  Neo4j Browser   http://127.0.0.1:${browserPort}/browser/   (connect to ${config.neo4j.uri}, ${config.neo4j.password === undefined ? 'no auth' : `user ${config.neo4j.user}, password: ${process.env.NEO4J_PASSWORD ? '$NEO4J_PASSWORD' : `cat ${config.neo4j.home}/auth/password`}`})`);
    let changing: NodeJS.Timeout | undefined;
    if (devnet.live) {
      await app.watch.start(HASHTAG);
      const rng = mulberry32(Number.parseInt(seed, 10) || 1);
      const live = devnet.live;
      changing = setInterval(() => randomMutations(live, rng, 1), Math.max(1, Math.round(1000 / perSecond)));
      say(`  Live            ${perSecond} random changes a second (follows, unfollows, new members, profiles, handles) through the devnet's Jetstream; the watcher folds them and the view draws them`);
    }
    say('');
    say('Ctrl-C stops everything the demo started.');
    try {
      await waitForSignal();
    } finally {
      clearInterval(changing);
    }
  } finally {
    await app.close();
    await devnet.close();
    if (startedNeo4j) runNeo4jctl('stop');
  }
  return 0;
}

/** Whether something accepts TCP connections at the Bolt URI's host:port. */
function answers(uri: string): Promise<boolean> {
  const url = new URL(uri.replace(/^[a-z+]+:/, 'http:'));
  return new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port || 7687) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}
