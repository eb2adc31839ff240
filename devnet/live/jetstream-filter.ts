/**
 * Jetstream's subscriber options: the query string of `/subscribe` and the `options_update`
 * message that replaces them on an open socket. Collections filter commits only (identity and
 * account events always pass); DIDs filter every kind. `app.bsky.graph.*` style prefixes match.
 */
import type { JetstreamEvent } from './jetstream-events.js';

export const MAX_WANTED_COLLECTIONS = 100;
export const MAX_WANTED_DIDS = 10_000;

export interface SubscribeOptions {
  wantedCollections: string[];
  wantedDids: string[];
  /** `wantedDids` for lookups (10,000 DIDs against every event). */
  didSet: ReadonlySet<string>;
  /** 0: no limit. Larger events are not sent. */
  maxMessageSizeBytes: number;
}

export interface SubscribeRequest {
  options: SubscribeOptions;
  /** Unix µs; absent: live tail only. */
  cursorUs?: number;
  /** Send nothing until the first options_update. */
  requireHello: boolean;
}

export class SubscribeError extends Error {}

const NSID = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)+(\.\*)?$/;
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]+$/;

export function checkOptions(input: { wantedCollections?: unknown; wantedDids?: unknown; maxMessageSizeBytes?: unknown }): SubscribeOptions {
  const collections = stringList(input.wantedCollections, 'wantedCollections');
  const dids = stringList(input.wantedDids, 'wantedDids');
  if (collections.length > MAX_WANTED_COLLECTIONS) throw new SubscribeError(`too many wantedCollections (max ${MAX_WANTED_COLLECTIONS})`);
  if (dids.length > MAX_WANTED_DIDS) throw new SubscribeError(`too many wantedDids (max ${MAX_WANTED_DIDS})`);
  for (const c of collections) if (!NSID.test(c)) throw new SubscribeError(`invalid collection: ${c}`);
  for (const d of dids) if (!DID.test(d)) throw new SubscribeError(`invalid did: ${d}`);
  const max = input.maxMessageSizeBytes ?? 0;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) throw new SubscribeError('maxMessageSizeBytes must be a non-negative integer');
  return { wantedCollections: collections, wantedDids: dids, didSet: new Set(dids), maxMessageSizeBytes: max };
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new SubscribeError(`${name} must be a list of strings`);
  return value as string[];
}

export function parseSubscribeQuery(params: URLSearchParams): SubscribeRequest {
  if (params.get('compress') === 'true') throw new SubscribeError('compress=true (zstd) is not supported by the devnet');
  const rawMax = params.get('maxMessageSizeBytes');
  const options = checkOptions({
    wantedCollections: params.getAll('wantedCollections').filter((c) => c !== ''),
    wantedDids: params.getAll('wantedDids').filter((d) => d !== ''),
    maxMessageSizeBytes: rawMax === null || rawMax === '' ? 0 : Number(rawMax),
  });
  const rawCursor = params.get('cursor');
  let cursorUs: number | undefined;
  if (rawCursor !== null && rawCursor !== '') {
    if (!/^-?\d+$/.test(rawCursor)) throw new SubscribeError('cursor must be an integer (unix microseconds)');
    cursorUs = Math.max(0, Number(rawCursor));
  }
  return { options, ...(cursorUs !== undefined ? { cursorUs } : {}), requireHello: params.get('requireHello') === 'true' };
}

/** `{"type":"options_update","payload":{…}}` → the new options; other message types: undefined. */
export function parseClientMessage(text: string): SubscribeOptions | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new SubscribeError('message is not JSON');
  }
  const { type, payload } = (message ?? {}) as { type?: unknown; payload?: unknown };
  if (type !== 'options_update') return undefined;
  if (typeof payload !== 'object' || payload === null) throw new SubscribeError('options_update needs a payload');
  return checkOptions(payload as Record<string, unknown>);
}

export function wants(options: SubscribeOptions, event: JetstreamEvent): boolean {
  if (options.didSet.size > 0 && !options.didSet.has(event.did)) return false;
  if (event.kind !== 'commit' || options.wantedCollections.length === 0) return true;
  const collection = event.commit.collection;
  return options.wantedCollections.some((c) => (c.endsWith('.*') ? collection.startsWith(c.slice(0, -1)) : c === collection));
}
