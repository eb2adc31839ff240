/**
 * Opaque keyset cursors: base64url of `{o, k, d}` = the order they belong to, the sort key of the
 * last item and its DID. Keyset (not offset) paging keeps pages stable while an ingest adds actors,
 * and the DID tie-break makes every position unique, so pages never repeat or skip an actor.
 */
import { badInput } from './errors.js';

export type CursorOrder = 'FOLLOWERS' | 'PAGERANK' | 'HANDLE';
export type CursorKey = number | string;

export interface CursorPosition {
  readonly key: CursorKey;
  readonly did: string;
}

const NUMERIC: Record<CursorOrder, boolean> = { FOLLOWERS: true, PAGERANK: true, HANDLE: false };
const MAX_CURSOR_CHARS = 4096;

export function encodeCursor(order: CursorOrder, position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ o: order, k: position.key, d: position.did }), 'utf8').toString('base64url');
}

/** `null`/`undefined` → start of the list; anything that is not one of our cursors → BAD_USER_INPUT. */
export function decodeCursor(order: CursorOrder, cursor: string | null | undefined): CursorPosition | null {
  if (cursor === null || cursor === undefined) return null;
  const invalid = () => badInput('invalid cursor: pass an endCursor/cursor this API returned for the same list and order', 'INVALID_CURSOR');
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  const { o, k, d } = parsed as Record<string, unknown>;
  if (o !== order) throw invalid();
  if (typeof d !== 'string' || !d.startsWith('did:') || d.length > 2048) throw invalid();
  if (NUMERIC[order] ? typeof k !== 'number' || !Number.isFinite(k) : typeof k !== 'string') throw invalid();
  return { key: k as CursorKey, did: d };
}
