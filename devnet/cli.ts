/**
 * `bsky-graph devnet`: start the devnet and print what a crawler needs to reach it. The CLI
 * wrapper parses arguments; this owns what the command does.
 */
import type { Community } from './community.js';
import { rMin } from './ground-truth.js';
import { startDevnet, type Devnet, type DevnetOptions } from './server.js';
import { writeTruthDump } from './truth-dump.js';

export interface DevnetCliOptions extends DevnetOptions {
  /** Also write the ground truth JSON here. */
  truthOut?: string;
  /** Default: console.log. */
  print?: (line: string) => void;
  /** Close on SIGINT/SIGTERM. Default true. */
  handleSignals?: boolean;
}

function describe(community: Community): string {
  const o = community.options;
  const follows = community.follows.targets.length;
  return `#${community.hashtag}: ${o.members} members, ${o.outsiders} outsiders, ${follows} follows, ${community.posts.length} search-visible posts (seed ${o.seed})`;
}

export async function runDevnetCli(options: DevnetCliOptions = {}): Promise<Devnet> {
  const print = options.print ?? ((line: string) => console.log(line));
  const started = Date.now();
  const devnet = await startDevnet({ port: 2583, ...options });
  const limits = { searchCap: options.searchCap, searchMatch: options.searchMatch };
  const rate = options.rateLimit === false ? 'none' : `${options.rateLimit?.requests ?? 3000}/${options.rateLimit?.seconds ?? 300}`;
  print(`devnet listening on ${devnet.url} (ready in ${Date.now() - started} ms)`);
  print(`  community ${describe(devnet.community)}`);
  print(`  R_min ${rMin(devnet.community, limits)} requests; rate limit ${rate}; auth ${options.auth ?? 'required'}`);
  if (options.faults && Object.keys(options.faults).length > 0) print(`  faults ${JSON.stringify(options.faults)}`);
  if (devnet.live) {
    print(`  live: Jetstream ${devnet.jetstreamUrl}, DID documents ${devnet.url}/<did>, listRecords on ${devnet.url}`);
    if (options.jetstreamFaults) print(`  jetstream faults ${JSON.stringify(options.jetstreamFaults)}`);
  }
  print('  crawler credentials:');
  print(`    BSKY_SERVICE=${devnet.url}`);
  print(`    BSKY_IDENTIFIER=${devnet.credentials.identifier}`);
  print(`    BSKY_APP_PASSWORD=${devnet.credentials.password}`);
  if (rate !== 'none') print(`    BSKY_RATE_LIMIT=${rate}`);
  if (options.truthOut) {
    const summary = await writeTruthDump(devnet.community, options.truthOut, limits);
    print(`  ground truth: ${summary.path} (${summary.members} members, ${summary.actors} actors, ${summary.edges} edges)`);
  }
  if (options.handleSignals !== false) {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void devnet.close().then(() => print('devnet stopped'));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return devnet;
}
