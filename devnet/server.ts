/**
 * The devnet XRPC server: node:http, keep-alive, one in-memory community. Every request goes
 * through the same gate a crawler meets on the real network: faults, the rate limiter, auth,
 * then the method.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCommunity, type Community, type CommunityOptions } from './community.js';
import { CommunityState } from './devnet-state.js';
import { FaultPlan, type BodyFault, type FaultDecision, type Faults } from './faults.js';
import { DEFAULT_SEARCH_CAP } from './ground-truth.js';
import type { SearchMatchMode } from './hashtag-match.js';
import { resolveDid } from './live/did-document.js';
import type { JetstreamFaults } from './live/jetstream-faults.js';
import { SUBSCRIBE_PATH, createJetstream, type JetstreamStats } from './live/jetstream-server.js';
import { LiveCommunity } from './live/live-community.js';
import { buildSnapshot } from './live/live-snapshot.js';
import { METHODS, type AuthNeed, type ServerConfig, type XrpcMethod } from './methods/index.js';
import { FixedWindowLimiter, type RateLimit } from './rate-limit.js';
import { ACCESS_SCOPE, REFRESH_SCOPE, SessionTokens } from './session-tokens.js';
import { StatsRecorder, type DevnetStats } from './stats.js';
import { XrpcError } from './xrpc-error.js';

export interface DevnetOptions extends CommunityOptions {
  /** Serve this community instead of generating one from the community options. */
  community?: Community;
  /** Default 0 (a free port). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** App password of the crawler account. Default 'devnet-app-password'. */
  password?: string;
  /** Access token lifetime. Default 300 s, so long crawls must refresh. */
  accessTtlSec?: number;
  /** Default 90 days. */
  refreshTtlSec?: number;
  /** Budget shared by all XRPC requests. Default 3000 per 300 s (the PDS's); false: none. */
  rateLimit?: RateLimit | false;
  /** When set, requests without Authorization get their own budget (a public AppView's). */
  publicRateLimit?: RateLimit;
  /** Extra budgets on createSession. Default 30 per 300 s and 300 per day, like the PDS. */
  createSessionLimits?: RateLimit[];
  /** Results reachable by paging one search query. Default 10,000. */
  searchCap?: number;
  /** Default 'loose': search also returns decoys (#databsx, plain "databs"). */
  searchMatch?: SearchMatchMode;
  /** 'required' (default): every app.bsky read needs a session. 'search-only': only search does. */
  auth?: 'required' | 'search-only';
  faults?: Faults;
  /**
   * Serve a community that changes: `true` wraps the community from the options in a new
   * LiveCommunity, or pass your own. Reads answer from its current state; `/subscribe` streams
   * its changes as Jetstream.
   */
  live?: boolean | LiveCommunity;
  /** Trouble on Jetstream sockets (see live/jetstream-faults.ts). */
  jetstreamFaults?: JetstreamFaults;
}

export interface Devnet {
  readonly url: string;
  readonly port: number;
  /** The community being served (changes with setCommunity, or with every live mutation). */
  readonly community: Community;
  /** The live community, when the server runs with `live`. */
  readonly live?: LiveCommunity;
  /** `ws://…/subscribe`. */
  readonly jetstreamUrl: string;
  setJetstreamFaults(faults: JetstreamFaults): void;
  jetstreamStats(): JetstreamStats;
  readonly credentials: { identifier: string; did: string; password: string };
  stats(): DevnetStats;
  resetStats(): void;
  /** Replaces all fault settings (omitted ones are off) and restarts their stream. */
  setFaults(faults: Faults): void;
  /** Serve another community from now on (e.g. `renameHandles(devnet.community, …)`). Static devnets only. */
  setCommunity(community: Community): void;
  /** Starts fresh rate-limit windows. */
  resetRateLimits(): void;
  close(): Promise<void>;
}

export const DEFAULT_PASSWORD = 'devnet-app-password';
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 3000, seconds: 300 };
export const DEFAULT_CREATE_SESSION_LIMITS: RateLimit[] = [
  { requests: 30, seconds: 300 },
  { requests: 300, seconds: 86_400 },
];
const SERVICE_DID = 'did:web:devnet.test';
const MAX_BODY_BYTES = 64 * 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return reject(new XrpcError(413, 'PayloadTooLarge', 'request entity too large'));
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new XrpcError(400, 'InvalidRequest', 'Request body is not valid JSON'));
      }
    });
  });
}

/** A few bytes per tick until the body is out or the client hangs up. */
async function drip(res: ServerResponse, payload: Buffer, bytesPerTick: number, tickMs: number): Promise<void> {
  for (let at = 0; at < payload.length; at += bytesPerTick) {
    if (res.destroyed) return;
    res.write(payload.subarray(at, at + bytesPerTick));
    await sleep(tickMs);
  }
  if (!res.destroyed) res.end();
}

/** The real JSON, then whitespace up to `size` bytes (still valid JSON), with back-pressure. */
async function pad(res: ServerResponse, payload: Buffer, size: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = payload.length;
  res.write(payload);
  while (sent < size && !res.destroyed) {
    const n = Math.min(chunk.length, size - sent);
    sent += n;
    if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
}

/** Faulted 502s come from "the load balancer": plain text, not XRPC JSON, as in real life. */
function faultResponse(status: 500 | 502 | 503): { body: string; type: string } {
  if (status === 502) return { body: 'Bad Gateway', type: 'text/plain; charset=utf-8' };
  const error = status === 500 ? 'InternalServerError' : 'NotEnoughResources';
  const message = status === 500 ? 'Internal Server Error' : 'Service Unavailable';
  return { body: JSON.stringify({ error, message }), type: 'application/json; charset=utf-8' };
}

interface AuthResult {
  viewer?: string;
  bearer?: string;
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new XrpcError(400, 'InvalidToken', 'Malformed authorization header');
  return match[1];
}

function authenticate(need: AuthNeed, bearer: string | undefined, tokens: SessionTokens, mode: 'required' | 'search-only'): AuthResult {
  if (need === 'none') return {};
  if (!bearer) {
    if (need === 'read' && mode === 'search-only') return {};
    throw new XrpcError(401, 'AuthMissing', 'Authentication Required');
  }
  const check = tokens.verify(bearer, need === 'refresh' ? REFRESH_SCOPE : ACCESS_SCOPE);
  if (!check.ok) {
    // 400 ExpiredToken is what makes AtpAgent refresh and retry.
    throw check.reason === 'expired'
      ? new XrpcError(400, 'ExpiredToken', 'Token has expired')
      : new XrpcError(400, 'InvalidToken', 'Token could not be verified');
  }
  return { viewer: check.payload.sub, bearer };
}

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const live =
    options.live instanceof LiveCommunity ? options.live : options.live ? new LiveCommunity(options.community ?? generateCommunity(options)) : undefined;
  let staticState = live ? undefined : new CommunityState(options.community ?? generateCommunity(options));
  let liveState: { version: number; state: CommunityState } | undefined;
  /** What reads answer from: the static community, or the live one as of its last mutation. */
  const currentState = (): CommunityState => {
    if (!live) return staticState as CommunityState;
    if (liveState?.version !== live.version) {
      const { community, ...parts } = buildSnapshot(live);
      liveState = { version: live.version, state: new CommunityState(community, parts) };
    }
    return liveState.state;
  };
  // Static devnets serve repos and DID documents from a LiveCommunity that never changes.
  let frozenRepos: LiveCommunity | undefined;
  const repos = (): LiveCommunity => live ?? (frozenRepos ??= new LiveCommunity(currentState().community));
  const jetstream = createJetstream(() => repos().log, options.jetstreamFaults);
  const password = options.password ?? DEFAULT_PASSWORD;
  const authMode = options.auth ?? 'required';
  const config: ServerConfig = {
    password,
    searchCap: options.searchCap ?? DEFAULT_SEARCH_CAP,
    searchMatch: options.searchMatch ?? 'loose',
    serviceDid: SERVICE_DID,
    tokens: new SessionTokens(SERVICE_DID, options.accessTtlSec ?? 300, options.refreshTtlSec ?? 90 * 86_400),
  };
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const sessionLimiter = rateLimit ? new FixedWindowLimiter(rateLimit) : undefined;
  const publicLimiter = options.publicRateLimit ? new FixedWindowLimiter(options.publicRateLimit) : undefined;
  const createSessionLimiters = (options.createSessionLimits ?? DEFAULT_CREATE_SESSION_LIMITS).map((l) => new FixedWindowLimiter(l));
  const stats = new StatsRecorder();
  const faults = new FaultPlan(options.faults, (kind) => stats.fault(kind));

  async function serve(
    req: IncomingMessage,
    decision: FaultDecision,
    nsid: string,
    query: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string; type?: string }> {

    const method: XrpcMethod | undefined = METHODS.get(nsid);
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const bearer = bearerOf(req);

    const limiter = bearer || !publicLimiter ? sessionLimiter : publicLimiter;
    const limits = [limiter, ...(nsid === 'com.atproto.server.createSession' ? createSessionLimiters : [])];
    for (const l of limits) {
      if (!l) continue;
      const status = l.consume();
      Object.assign(headers, status.headers);
      if (!status.allowed) throw new XrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', status.headers);
    }
    if (decision.kind === 'error') {
      stats.fault('errors');
      const { body: text, type } = faultResponse(decision.status);
      return { status: decision.status, body: text, type };
    }

    if (!method) throw new XrpcError(501, 'MethodNotImplemented', 'Method Not Implemented');
    const expected = method.type === 'procedure' ? 'POST' : 'GET';
    if (req.method !== expected && !(expected === 'GET' && req.method === 'HEAD')) {
      throw new XrpcError(400, 'InvalidRequest', `Incorrect HTTP method (${req.method}) expected ${expected}`);
    }
    const auth = authenticate(method.auth, bearer, config.tokens, authMode);
    const state = currentState();
    const output = method.handle({
      params: new URLSearchParams(query),
      body,
      viewer: auth.viewer,
      bearer: auth.bearer,
      publicUrl: `http://${req.headers.host ?? `127.0.0.1:${port}`}`,
      state,
      config,
      account: state.community.crawler,
      faults,
      repos,
    });
    return { status: 200, body: JSON.stringify(output) };
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path.startsWith('/did:plc:') || path === SUBSCRIBE_PATH) {
      servePeer(req, res, path);
      return;
    }
    if (!path.startsWith('/xrpc/') || path === '/xrpc/_health') {
      const text = path === '/xrpc/_health' ? JSON.stringify({ version: 'bsky-graph-devnet' }) : 'bsky-graph devnet: a local AT Protocol (XRPC) server\n';
      res.writeHead(path === '/' || path === '/xrpc/_health' ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
      return;
    }
    const nsid = path.slice('/xrpc/'.length);
    stats.begin(nsid);
    const decision = faults.next();
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.kind === 'reset') {
      // Before reading anything: the client sees its connection drop, no status at all.
      stats.fault('resets');
      stats.end('reset');
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    let result: { status: number; body: string; type?: string };
    try {
      result = await serve(req, decision, nsid, q < 0 ? '' : url.slice(q + 1), headers);
    } catch (err) {
      if (err instanceof XrpcError) {
        Object.assign(headers, err.headers);
        result = { status: err.status, body: JSON.stringify({ error: err.error, message: err.message }) };
      } else {
        result = { status: 500, body: JSON.stringify({ error: 'InternalServerError', message: 'Internal Server Error' }) };
      }
    }
    if (decision.kind === 'stall') {
      stats.fault('stalls');
      await sleep(decision.stallMs);
    }
    stats.end(result.status);
    if (res.destroyed || res.writableEnded) return;
    const payload = Buffer.from(result.body, 'utf8');
    const body: BodyFault = result.status === 200 && req.method !== 'HEAD' ? faults.body(nsid, new URLSearchParams(q < 0 ? '' : url.slice(q + 1))) : { kind: 'none' };
    const type = result.type ?? 'application/json; charset=utf-8';
    if (body.kind === 'drip') {
      stats.fault('drips');
      res.writeHead(result.status, { ...headers, 'content-type': type, 'content-length': String(payload.length) });
      await drip(res, payload, body.bytesPerTick, body.tickMs);
      return;
    }
    if (body.kind === 'oversized') {
      stats.fault('oversized');
      const size = Math.max(body.bytes, payload.length);
      res.writeHead(result.status, { ...headers, 'content-type': type, ...(body.declareLength ? { 'content-length': String(size) } : {}) });
      await pad(res, payload, size);
      return;
    }
    res.writeHead(result.status, {
      ...headers,
      'content-type': type,
      'content-length': String(payload.length),
    });
    res.end(req.method === 'HEAD' ? undefined : payload);
  }

  /** The PLC directory and Jetstream without a WebSocket upgrade: outside the XRPC gate. */
  function servePeer(req: IncomingMessage, res: ServerResponse, path: string): void {
    const json = (status: number, body: unknown): void => {
      const payload = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(payload)) });
      res.end(req.method === 'HEAD' ? undefined : payload);
    };
    if (path === SUBSCRIBE_PATH) return json(426, { error: 'UpgradeRequired', message: 'Jetstream speaks WebSocket' });
    const resolved = resolveDid(repos(), decodeURIComponent(path.slice(1)), `http://${req.headers.host ?? `127.0.0.1:${port}`}`);
    json(resolved.status, resolved.status === 200 ? resolved.document : { message: resolved.message });
  }

  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!jetstream.upgrade(req, socket, head)) socket.destroy();
  });
  // Crawlers keep connections open between bursts; the Node default (5 s) would churn sockets.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 31_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${port}`;

  const crawler = currentState().community.crawler;
  return {
    url,
    port,
    get community() {
      return currentState().community;
    },
    ...(live ? { live } : {}),
    jetstreamUrl: `${url.replace(/^http/, 'ws')}${SUBSCRIBE_PATH}`,
    setJetstreamFaults: (f) => jetstream.setFaults(f),
    jetstreamStats: () => jetstream.stats(),
    credentials: { identifier: crawler.handle, did: crawler.did, password },
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    setFaults: (f) => faults.set(f),
    setCommunity: (c) => {
      if (live) throw new Error('a live devnet changes through devnet.live, not setCommunity');
      staticState = new CommunityState(c);
      frozenRepos = undefined;
    },
    resetRateLimits: () => {
      sessionLimiter?.reset();
      publicLimiter?.reset();
      createSessionLimiters.forEach((l) => l.reset());
    },
    close: () =>
      new Promise<void>((resolve) => {
        jetstream.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
