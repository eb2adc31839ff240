/**
 * Shared paging of getFollows/getFollowers. Static lists page by offset; live lists (which
 * change between pages) page by key like the AppView, so a follow created or deleted while a
 * crawler pages neither skips nor repeats anyone else. Live cursors are `k:<key>`, or
 * `o:<offset>` where an injected fault points past the list.
 */
import { MAX_FOLLOWS_LIMIT } from '../ground-truth.js';
import { invalidRequest } from '../xrpc-error.js';
import type { DevnetActor } from '../community.js';
import type { FollowList } from '../devnet-state.js';
import type { MethodContext } from './context.js';
import { assertActive } from './account-status.js';
import { intParam, requiredString } from './params.js';

export interface FollowPage {
  subject: DevnetActor;
  items: DevnetActor[];
  cursor?: string;
  /** Where this page started in the list. */
  offset: number;
  list: FollowList;
}

type ParsedCursor = { kind: 'offset'; offset: number } | { kind: 'key'; key: string };

function parseCursor(raw: string | null, live: boolean): ParsedCursor {
  if (raw === null || raw === '') return { kind: 'offset', offset: 0 };
  if (/^\d+$/.test(raw)) return { kind: 'offset', offset: Number(raw) };
  if (live && /^o:\d+$/.test(raw)) return { kind: 'offset', offset: Number(raw.slice(2)) };
  if (live && raw.startsWith('k:') && raw.length > 2) return { kind: 'key', key: raw.slice(2) };
  throw invalidRequest('Malformed cursor');
}

/** First entry strictly after `key` (lists are sorted by key, descending). */
function afterKey(list: FollowList, key: string): number {
  const keyAt = list.keyAt as (i: number) => string;
  let lo = 0;
  let hi = list.indexes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyAt(mid) >= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The cursor that resumes `list` at `offset`. */
export function cursorAt(list: FollowList, offset: number): string {
  if (!list.keyAt) return String(offset);
  return offset >= 1 && offset <= list.indexes.length ? `k:${list.keyAt(offset - 1)}` : `o:${offset}`;
}

export function followPage(ctx: MethodContext, list: (subject: DevnetActor) => FollowList): FollowPage {
  const subject = ctx.state.resolve(requiredString(ctx.params, 'actor'));
  const limit = intParam(ctx.params, 'limit', 1, MAX_FOLLOWS_LIMIT, 50);
  const parsed = parseCursor(ctx.params.get('cursor'), ctx.state.isLive);
  if (!subject) throw invalidRequest('Profile not found');
  assertActive(ctx.state, subject);
  const all = list(subject);
  const offset = parsed.kind === 'offset' ? parsed.offset : all.keyAt ? afterKey(all, parsed.key) : 0;
  const end = Math.min(all.indexes.length, offset + limit);
  const items: DevnetActor[] = [];
  for (let i = offset; i < end; i++) items.push(ctx.state.actor(all.indexes[i] as number));
  // Like the AppView, the cursor is absent once the list is exhausted.
  return { subject, items, offset, list: all, ...(end < all.indexes.length ? { cursor: cursorAt(all, end) } : {}) };
}
