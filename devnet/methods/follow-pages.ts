/** Shared paging of getFollows/getFollowers over an Int32Array of actor indexes. */
import { MAX_FOLLOWS_LIMIT } from '../ground-truth.js';
import { invalidRequest } from '../xrpc-error.js';
import type { DevnetActor } from '../community.js';
import type { MethodContext } from './context.js';
import { intParam, offsetCursor, requiredString } from './params.js';

export interface FollowPage {
  subject: DevnetActor;
  items: DevnetActor[];
  cursor?: string;
}

export function followPage(ctx: MethodContext, list: (subject: DevnetActor) => Int32Array): FollowPage {
  const subject = ctx.state.resolve(requiredString(ctx.params, 'actor'));
  const limit = intParam(ctx.params, 'limit', 1, MAX_FOLLOWS_LIMIT, 50);
  const offset = offsetCursor(ctx.params);
  if (!subject) throw invalidRequest('Profile not found');
  const all = list(subject);
  const end = Math.min(all.length, offset + limit);
  const items: DevnetActor[] = [];
  for (let i = offset; i < end; i++) items.push(ctx.state.actor(all[i] as number));
  // Like the AppView, the cursor is absent once the list is exhausted.
  return { subject, items, ...(end < all.length ? { cursor: String(end) } : {}) };
}
