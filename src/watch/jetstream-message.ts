/**
 * Jetstream's JSON messages (https://github.com/bluesky-social/jetstream: `commit`, `identity`,
 * `account`), checked at the boundary and reduced to the changes the graph keeps. Anything else —
 * other collections, records that do not parse, posts without the hashtag — becomes no change, and
 * the message still moves the cursor.
 */
import { z } from 'zod';
import { postCarriesTag } from '../core/tag-match.js';
import type { WatchChange } from '../graph/watch-writes.js';

export const FOLLOW = 'app.bsky.graph.follow';
export const POST = 'app.bsky.feed.post';
export const PROFILE = 'app.bsky.actor.profile';

const commit = z.object({
  did: z.string().startsWith('did:'),
  time_us: z.number().int().nonnegative(),
  kind: z.literal('commit'),
  commit: z.object({
    operation: z.enum(['create', 'update', 'delete']),
    collection: z.string(),
    rkey: z.string().min(1).max(512),
    record: z.record(z.unknown()).optional(),
  }),
});

const identity = z.object({
  did: z.string().startsWith('did:'),
  time_us: z.number().int().nonnegative(),
  kind: z.literal('identity'),
  identity: z.object({ handle: z.string().optional() }).passthrough(),
});

const account = z.object({
  did: z.string().startsWith('did:'),
  time_us: z.number().int().nonnegative(),
  kind: z.literal('account'),
  account: z.object({ active: z.boolean(), status: z.string().optional() }).passthrough(),
});

const message = z.discriminatedUnion('kind', [commit, identity, account]);
/** Jetstream's event shape; the firehose source produces the same (firehose-source.ts). */
export type StreamMessage = z.infer<typeof message>;

const followRecord = z.object({ subject: z.string().startsWith('did:'), createdAt: z.string().optional() });
const profileRecord = z.object({ displayName: z.string().optional(), description: z.string().optional() });
const postRecord = z.object({ text: z.string().optional(), createdAt: z.string().optional() }).passthrough();

/** Parses one message; null for what is not JSON or not a Jetstream event (the caller counts it). */
export function parseMessage(text: string): StreamMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = message.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** What a message changes in `hashtag`'s graph (zero or one change). */
export function changeOf(m: StreamMessage, hashtag: string): WatchChange | null {
  if (m.kind === 'identity') return { kind: 'handle', did: m.did, handle: m.identity.handle?.toLowerCase() ?? null };
  if (m.kind === 'account') return { kind: 'account', did: m.did, active: m.account.active, status: m.account.status ?? null };
  const { operation, collection, rkey, record } = m.commit;
  if (collection === FOLLOW) {
    if (operation === 'delete') return { kind: 'unfollow', did: m.did, rkey };
    const follow = followRecord.safeParse(record);
    return follow.success ? { kind: 'follow', did: m.did, rkey, subject: follow.data.subject, createdAt: follow.data.createdAt ?? null } : null;
  }
  if (collection === PROFILE && rkey === 'self' && operation !== 'delete') {
    const profile = profileRecord.safeParse(record);
    return profile.success ? { kind: 'profile', did: m.did, displayName: profile.data.displayName ?? null, description: profile.data.description ?? null } : null;
  }
  if (collection === POST && operation === 'create') {
    const post = postRecord.safeParse(record);
    if (!post.success || !postCarriesTag(post.data, hashtag)) return null;
    return { kind: 'post', did: m.did, at: new Date(m.time_us / 1000).toISOString() };
  }
  return null;
}
