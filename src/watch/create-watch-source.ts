/** Builds the configured watch source (BSKY_WATCH_SOURCE): Jetstream, or the relay firehose. */
import type { Logger } from '../logging/logger.js';
import { FirehoseSource } from './firehose-source.js';
import { JetstreamSource } from './jetstream-source.js';
import type { RepoFollows } from './repo-follows.js';
import type { WatchSource } from './watch-source.js';

export interface WatchSourceSettings {
  readonly kind: 'jetstream' | 'firehose';
  /** BSKY_JETSTREAM */
  readonly jetstreamUrl: string;
  /** BSKY_FIREHOSE; required for the firehose. */
  readonly firehoseUrl?: string;
  /** BSKY_PLC: signing keys for the firehose's commits. */
  readonly plcUrl: string;
  /** BSKY_FIREHOSE_VERIFY; default true. */
  readonly verify?: boolean;
  readonly timeoutMs?: number;
}

export function createWatchSource(settings: WatchSourceSettings, repos: RepoFollows, logger?: Logger): WatchSource {
  if (settings.kind === 'jetstream') return new JetstreamSource({ url: settings.jetstreamUrl });
  if (!settings.firehoseUrl) throw new Error('the firehose source needs BSKY_FIREHOSE');
  return new FirehoseSource({
    service: settings.firehoseUrl,
    plcUrl: settings.plcUrl,
    handleOf: (did) => repos.handleOf(did),
    forget: (did) => repos.forget(did),
    verify: settings.verify,
    timeoutMs: settings.timeoutMs,
    logger,
  });
}
