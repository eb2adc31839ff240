/**
 * One Jetstream subscription that stays up: it connects with the caller's filters and cursor,
 * hands every message on, and after any close reconnects (backing off) from the caller's cursor —
 * the last one committed to Neo4j, rewound a few seconds, since delivery is at-least-once and the
 * events just before a disconnect may not have been sent. Filters change on the live socket with
 * `options_update`. Node's built-in WebSocket (undici) is the client.
 */
export interface JetstreamFilters {
  readonly wantedCollections: readonly string[];
  /** Absent: every DID. At most 10,000 (Jetstream's limit). */
  readonly wantedDids?: readonly string[];
}

export interface JetstreamClientOptions {
  /** The subscribe endpoint, e.g. wss://jetstream2.us-east.bsky.network/subscribe (BSKY_JETSTREAM). */
  readonly url: string;
  readonly filters: () => JetstreamFilters;
  /** Where to resume (Jetstream time_us), or null for live from now. Asked at every (re)connect. */
  readonly cursor: () => number | null;
  readonly onMessage: (text: string) => void;
  readonly onState?: (state: 'connecting' | 'open' | 'closed', detail?: string) => void;
  /** Subtracted from the cursor at every connect. Default 5 s. */
  readonly rewindUs?: number;
  readonly maxBackoffMs?: number;
}

export const MAX_WANTED_DIDS = 10_000;

export class JetstreamClient {
  private socket: WebSocket | null = null;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Connections opened, for status and tests. */
  connections = 0;
  /** Observes the connection (logging). */
  onState: JetstreamClientOptions['onState'];

  constructor(private readonly options: JetstreamClientOptions) {
    this.onState = options.onState;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  /** Sends the current filters to the live socket (new members); the next connect uses them anyway. */
  updateFilters(): void {
    const filters = this.options.filters();
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ type: 'options_update', payload: { wantedCollections: filters.wantedCollections, wantedDids: filters.wantedDids ?? [], maxMessageSizeBytes: 0 } }));
  }

  /** Drops the connection and reconnects from the caller's cursor (e.g. after a backlog). */
  reconnect(): void {
    this.socket?.close();
  }

  private subscribeUrl(): string {
    const url = new URL(this.options.url);
    const filters = this.options.filters();
    url.searchParams.delete('wantedCollections');
    url.searchParams.delete('wantedDids');
    url.searchParams.delete('cursor');
    for (const c of filters.wantedCollections) url.searchParams.append('wantedCollections', c);
    // Beyond the query string's comfortable size, the DIDs follow in an options_update.
    const inline = (filters.wantedDids ?? []).length <= 100;
    if (inline) for (const d of filters.wantedDids ?? []) url.searchParams.append('wantedDids', d);
    const cursor = this.options.cursor();
    if (cursor !== null) url.searchParams.set('cursor', String(Math.max(0, cursor - (this.options.rewindUs ?? 5_000_000))));
    return url.toString();
  }

  private connect(): void {
    if (this.stopped) return;
    const filters = this.options.filters();
    if ((filters.wantedDids?.length ?? 0) > MAX_WANTED_DIDS) throw new RangeError(`Jetstream accepts at most ${MAX_WANTED_DIDS} wantedDids`);
    this.onState?.('connecting');
    const socket = new WebSocket(this.subscribeUrl());
    this.socket = socket;
    this.connections++;
    socket.addEventListener('open', () => {
      this.failures = 0;
      if ((filters.wantedDids?.length ?? 0) > 100) this.updateFilters();
      this.onState?.('open');
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string') this.options.onMessage(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket === socket) this.socket = null;
      this.onState?.('closed', `code ${event.code}`);
      if (this.stopped) return;
      const delay = Math.min(this.options.maxBackoffMs ?? 5_000, 100 * 2 ** Math.min(this.failures++, 6));
      this.timer = setTimeout(() => this.connect(), delay);
    });
    // An error is always followed by a close, which reconnects.
    socket.addEventListener('error', () => undefined);
  }
}
