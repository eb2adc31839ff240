/**
 * Jetstream's `/subscribe` on the devnet's HTTP server: a WebSocket per subscriber that replays
 * the event log from its cursor, then tails it live, filtered by the subscriber's options
 * (changeable with `options_update`) and bent by the configured faults.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { EventLog } from './event-log.js';
import { DeliveryPlan, checkJetstreamFaults, type JetstreamFaults } from './jetstream-faults.js';
import type { JetstreamEvent } from './jetstream-events.js';
import { SubscribeError, parseClientMessage, parseSubscribeQuery, wants, type SubscribeRequest } from './jetstream-filter.js';

export const SUBSCRIBE_PATH = '/subscribe';
/** How long a reorder window may hold events when the stream goes quiet. */
const FLUSH_MS = 15;

export interface JetstreamStats {
  connections: number;
  open: number;
  eventsSent: number;
  disconnects: number;
}

export interface JetstreamEndpoint {
  /** Takes the upgrade if it is for `/subscribe`; false leaves the socket to others. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  setFaults(faults: JetstreamFaults): void;
  stats(): JetstreamStats;
  close(): void;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: 'BadRequest', message });
  socket.end(`HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export function createJetstream(log: () => EventLog, initialFaults: JetstreamFaults = {}): JetstreamEndpoint {
  const wss = new WebSocketServer({ noServer: true });
  let faults = checkJetstreamFaults(initialFaults);
  const counters: JetstreamStats = { connections: 0, open: 0, eventsSent: 0, disconnects: 0 };

  function serve(ws: WebSocket, request: SubscribeRequest): void {
    const plan = new DeliveryPlan(faults, counters.connections++);
    const disconnectEvery = faults.disconnectEveryEvents;
    counters.open++;
    let options = request.options;
    let sent = 0;
    let stop: (() => void) | undefined;
    let flushTimer: NodeJS.Timeout | undefined;

    const send = (events: JetstreamEvent[]): void => {
      for (const event of events) {
        if (ws.readyState !== ws.OPEN) return;
        const text = JSON.stringify(event);
        if (options.maxMessageSizeBytes > 0 && Buffer.byteLength(text) > options.maxMessageSizeBytes) continue;
        ws.send(text);
        sent++;
        counters.eventsSent++;
        if (disconnectEvery && sent % disconnectEvery === 0) {
          counters.disconnects++;
          ws.terminate();
          return;
        }
      }
    };
    const scheduleFlush = (): void => {
      if (flushTimer || !plan.holding) return;
      flushTimer = setTimeout(() => {
        flushTimer = undefined;
        send(plan.flush());
      }, FLUSH_MS);
    };
    const offer = (event: JetstreamEvent): void => {
      if (!wants(options, event)) return;
      send(plan.push(event));
      scheduleFlush();
    };
    const start = (): void => {
      if (stop) return;
      // Replay and subscribe in one synchronous step: no append can fall between them.
      if (request.cursorUs !== undefined) for (const event of log().since(request.cursorUs)) offer(event);
      stop = log().subscribe(offer);
    };

    ws.on('message', (data: RawData) => {
      try {
        const update = parseClientMessage(data.toString());
        if (!update) return;
        options = update;
        start();
      } catch (err) {
        // A bad message is dropped and the socket kept, with the options it had.
        if (!(err instanceof SubscribeError)) throw err;
      }
    });
    ws.on('close', () => {
      counters.open--;
      stop?.();
      if (flushTimer) clearTimeout(flushTimer);
    });
    if (!request.requireHello) start();
  }

  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://devnet.invalid');
      if (url.pathname !== SUBSCRIBE_PATH) return false;
      let request: SubscribeRequest;
      try {
        request = parseSubscribeQuery(url.searchParams);
      } catch (err) {
        refuse(socket, 400, err instanceof Error ? err.message : 'bad request');
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, request));
      return true;
    },
    setFaults(f) {
      faults = checkJetstreamFaults(f);
    },
    stats: () => ({ ...counters }),
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
