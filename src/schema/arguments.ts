/**
 * Argument checks shared by resolvers. GraphQL already enforces types and enums; these enforce
 * ranges and syntax, so bad input becomes BAD_USER_INPUT before any Cypher runs.
 */
import { normaliseHashtag } from '../core/hashtag.js';
import { isValidDid, isValidHandle } from '@atproto/syntax';
import { badInput } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;
export const MAX_NEIGHBOURHOOD_LIMIT = 5000;
export const MAX_SEARCH_CHARS = 100;

export function pageSize(first: number | null | undefined, fallback = DEFAULT_PAGE_SIZE): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw badInput(`first must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${String(first)}`, 'OUT_OF_RANGE');
  }
  return n;
}

export function boundedInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${name} must be a whole number from ${min} to ${max}, got ${String(value)}`, 'OUT_OF_RANGE');
  }
  return value;
}

export function optionalHashtag(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : hashtag(value);
}

export function hashtag(value: string): string {
  try {
    return normaliseHashtag(value);
  } catch (err) {
    throw badInput((err as Error).message, 'INVALID_HASHTAG');
  }
}

/** Free-text search over handle and display name: lower-cased, at most 100 characters. */
export function searchText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim().toLowerCase();
  if (text.length > MAX_SEARCH_CHARS) throw badInput(`search must be at most ${MAX_SEARCH_CHARS} characters`, 'TOO_LONG');
  return text === '' ? null : text;
}

export type ActorRef = { readonly kind: 'did'; readonly did: string } | { readonly kind: 'handle'; readonly handle: string };

/** `alice.bsky.social`, `@alice.bsky.social` or `did:plc:…`; handles are case-insensitive. */
export function actorRef(value: string, name = 'actor'): ActorRef {
  const raw = value.trim();
  if (raw.startsWith('did:')) {
    // AT Protocol identifier syntax from the ecosystem's own package (atproto.com/specs/did, /specs/handle).
    if (isValidDid(raw)) return { kind: 'did', did: raw };
    throw badInput(`${name} is not a valid DID`, 'INVALID_ACTOR');
  }
  const handle = raw.replace(/^@/, '').toLowerCase();
  if (isValidHandle(handle)) return { kind: 'handle', handle };
  throw badInput(`${name} must be a handle (alice.bsky.social) or a DID (did:plc:…)`, 'INVALID_ACTOR');
}

/** Ingest run and export ids are UUIDs or similar tokens: refuse anything else before a lookup. */
export function opaqueId(value: string, name = 'id'): string {
  if (/^[A-Za-z0-9_-]{1,128}$/.test(value)) return value;
  throw badInput(`${name} is not a valid id`, 'INVALID_ID');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** An ISO 8601 date or instant (`2025-06-01`, `2025-06-01T12:00:00Z`), normalised to UTC with milliseconds. */
export function instant(name: string, value: string): string {
  const ms = ISO_INSTANT.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (!Number.isFinite(ms)) throw badInput(`${name} must be an ISO 8601 date or instant, e.g. 2025-06-01T00:00:00Z`, 'INVALID_DATE');
  return new Date(ms).toISOString();
}
