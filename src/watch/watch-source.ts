/**
 * Where a watcher's events come from: Jetstream (two JSON subscriptions, resumed by event time) or
 * the relay firehose `com.atproto.sync.subscribeRepos` (one CBOR subscription, resumed by sequence
 * number). Either way the watcher sees the same messages (jetstream-message.ts's shape), each with
 * the position its stream resumes after, and stores those positions with the changes they cover.
 */
import type { StreamMessage } from './jetstream-message.js';

/** Jetstream's members' and posts subscriptions, or the one firehose subscription. */
export type StreamName = 'members' | 'posts' | 'firehose';

export type StreamPositions = Partial<Record<StreamName, number>>;

export interface SourceEvent {
  readonly stream: StreamName;
  /** Where the stream resumes once this event is in the graph: Jetstream time_us, firehose seq. */
  readonly position: number;
  /** When the event was made, µs since the epoch: the lag the status reports. */
  readonly timeUs: number;
  /** Null: nothing the graph keeps (the position still moves). */
  readonly message: StreamMessage | null;
  /** The message could not be read (counted; the position still moves). */
  readonly invalid?: boolean;
  /** The server already kept only the members' events on this stream. */
  readonly filteredByDid: boolean;
}

export interface WatchSourceHooks {
  /** Where each stream resumes: what the graph holds. Asked at every (re)connect. */
  readonly position: (stream: StreamName) => number | undefined;
  readonly members: () => ReadonlySet<string>;
  /** Whether the members fit the server-side DID filter (Jetstream's wantedDids). */
  readonly filtersByDid: () => boolean;
  readonly onEvent: (event: SourceEvent) => void;
  readonly onState: (stream: StreamName, open: boolean, detail?: string) => void;
  /**
   * Events may have been lost (the service no longer had the resume point): the watcher re-reads
   * every member's repository. `did` narrows it to one member (a commit whose records were left out).
   */
  readonly onGap: (reason: string, did?: string) => void;
  /** The stream's stored position is void (the service was reset): it resumes from now. */
  readonly onReset: (stream: StreamName) => void;
}

export interface WatchSource {
  readonly kind: 'jetstream' | 'firehose';
  /** The firehose's service: its sequence numbers mean nothing on another. */
  readonly service?: string;
  readonly streams: readonly StreamName[];
  /**
   * Where to start when the graph stores no position: at the crawl's start (ms), so nothing made
   * during or after it is missed, or now when there was no crawl.
   */
  firstPositions(crawlStartMs: number | null): StreamPositions;
  start(hooks: WatchSourceHooks): void;
  stop(): Promise<void>;
  /** The members changed: update server-side filters on the live connection. */
  membersChanged(): void;
  /** Drop the connections and resume from the stored positions (a backlog was dropped). */
  reconnect(): void;
  /** Connections opened so far. */
  readonly connections: number;
}
