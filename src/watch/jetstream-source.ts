/**
 * Jetstream as a watch source: two subscriptions, the members' follows and profiles (wantedDids =
 * the members while they fit Jetstream's limit, every DID beyond it) and every post (a post that
 * carries the tag makes its author a member). Each resumes from its own event time, rewound a few
 * seconds at every connect because delivery is at-least-once.
 */
import { JetstreamClient, type JetstreamClientOptions } from './jetstream-client.js';
import { FOLLOW, parseMessage, POST, PROFILE } from './jetstream-message.js';
import type { StreamName, StreamPositions, WatchSource, WatchSourceHooks } from './watch-source.js';

export interface JetstreamSourceOptions {
  /** BSKY_JETSTREAM: the subscribe URL. */
  readonly url: string;
  /** Subtracted from the cursor at every connect. Default 5 s. */
  readonly rewindUs?: number;
}

export class JetstreamSource implements WatchSource {
  readonly kind = 'jetstream';
  readonly streams: readonly StreamName[] = ['members', 'posts'];
  private clients: JetstreamClient[] = [];

  constructor(private readonly options: JetstreamSourceOptions) {}

  get connections(): number {
    return this.clients.reduce((n, c) => n + c.connections, 0);
  }

  firstPositions(crawlStartMs: number | null): StreamPositions {
    const us = (crawlStartMs ?? Date.now()) * 1000;
    return { members: us, posts: us };
  }

  start(hooks: WatchSourceHooks): void {
    const common = { url: this.options.url, rewindUs: this.options.rewindUs ?? 5_000_000 };
    const client = (stream: 'members' | 'posts', filters: JetstreamClientOptions['filters']) => {
      const c = new JetstreamClient({
        ...common,
        filters,
        cursor: () => hooks.position(stream) ?? null,
        onMessage: (text) => {
          const message = parseMessage(text);
          const timeUs = message?.time_us ?? hooks.position(stream) ?? 0;
          const filteredByDid = stream === 'posts' || hooks.filtersByDid();
          hooks.onEvent({ stream, position: timeUs, timeUs, message, invalid: message === null, filteredByDid });
        },
        onState: (state, detail) => hooks.onState(stream, state === 'open', detail),
      });
      c.start();
      return c;
    };
    this.clients = [
      // Within Jetstream's limit the server filters by member; beyond it every DID comes and the watcher filters.
      client('members', () => (hooks.filtersByDid() ? { wantedCollections: [FOLLOW, PROFILE], wantedDids: [...hooks.members()] } : { wantedCollections: [FOLLOW, PROFILE] })),
      client('posts', () => ({ wantedCollections: [POST] })),
    ];
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.stop();
  }

  membersChanged(): void {
    this.clients[0]?.updateFilters();
  }

  reconnect(): void {
    for (const c of this.clients) c.reconnect();
  }
}
