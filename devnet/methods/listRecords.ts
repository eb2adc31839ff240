/**
 * com.atproto.repo.listRecords on the members' PDS (the devnet itself): follow and post records
 * by rkey, newest first unless `reverse`. As on the PDS, the cursor is the last rkey returned and
 * is present whenever the page has records: a client pages until a page comes back empty.
 */
import type { DevnetPost } from '../community.js';
import { followRecordValue } from '../live/follow-records.js';
import { FOLLOW_COLLECTION, POST_COLLECTION } from '../live/jetstream-events.js';
import { XrpcError, invalidRequest } from '../xrpc-error.js';
import type { XrpcMethod } from './context.js';
import { intParam, requiredString } from './params.js';

export const MAX_LIST_RECORDS_LIMIT = 100;

interface RepoRecord {
  rkey: string;
  cid: string;
  value: Record<string, unknown>;
}

function postRecord(p: DevnetPost): RepoRecord {
  const rkey = p.uri.slice(p.uri.lastIndexOf('/') + 1);
  const value = { $type: POST_COLLECTION, text: p.text, ...(p.facets ? { facets: p.facets } : {}), langs: ['en'], createdAt: p.createdAt };
  return { rkey, cid: p.cid, value };
}

function boolParam(params: URLSearchParams, name: string): boolean {
  const raw = params.get(name);
  if (raw === null || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw invalidRequest(`Error: Params/${name} must be a boolean`);
}

export const listRecords: XrpcMethod = {
  nsid: 'com.atproto.repo.listRecords',
  type: 'query',
  auth: 'none',
  handle(ctx) {
    const repo = requiredString(ctx.params, 'repo');
    const collection = requiredString(ctx.params, 'collection');
    const limit = intParam(ctx.params, 'limit', 1, MAX_LIST_RECORDS_LIMIT, 50);
    const reverse = boolParam(ctx.params, 'reverse');
    const cursor = ctx.params.get('cursor') ?? '';
    const live = ctx.repos();
    const actor = live.actor(repo);
    if (!actor || actor.status === 'deleted') throw invalidRequest(`Could not find repo: ${repo}`);
    if (actor.status === 'deactivated') throw new XrpcError(400, 'RepoDeactivated', `Repo has been deactivated: ${repo}`);
    if (actor.status === 'takendown') throw new XrpcError(400, 'RepoTakendown', `Repo has been takendown: ${repo}`);

    // skeleton: the collection's records, ascending by rkey
    let records: RepoRecord[];
    if (collection === FOLLOW_COLLECTION) {
      records = live.followRecords(actor.did).map((r) => ({ rkey: r.rkey, cid: r.cid, value: followRecordValue(r) }));
    } else if (collection === POST_COLLECTION) {
      records = live.postsOf(actor.did).map(postRecord);
    } else {
      records = [];
    }
    const ordered = reverse ? records : records.reverse();
    const after = cursor === '' ? ordered : ordered.filter((r) => (reverse ? r.rkey > cursor : r.rkey < cursor));
    const page = after.slice(0, limit);

    // presentation
    const last = page.at(-1);
    return {
      records: page.map((r) => ({ uri: `at://${actor.did}/${collection}/${r.rkey}`, cid: r.cid, value: r.value })),
      ...(last ? { cursor: last.rkey } : {}),
    };
  },
};
