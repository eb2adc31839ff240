/**
 * A static member's follows as the follow records in its repo: one TID rkey per record,
 * `createdAt` between the account's creation and the community's baseTime, both a pure
 * function of the seed. Records are kept in rkey order (which is creation order).
 */
import type { Community, DevnetActor } from '../community.js';
import { followsOf } from '../follow-graph.js';
import { recordCid, tid } from '../identifiers.js';
import { randInt, rngFor, shuffle } from '../prng.js';
import { FOLLOW_COLLECTION } from './jetstream-events.js';

export interface FollowRecord {
  readonly rkey: string;
  /** DID of the followed account. */
  readonly subject: string;
  readonly createdAt: string;
  readonly cid: string;
}

export function followRecordValue(record: FollowRecord): Record<string, unknown> {
  return { $type: FOLLOW_COLLECTION, subject: record.subject, createdAt: record.createdAt };
}

export function makeFollowRecord(did: string, rkey: string, subject: string, createdAt: string): FollowRecord {
  const cid = recordCid(`at://${did}/${FOLLOW_COLLECTION}/${rkey}\n${subject}\n${createdAt}`);
  return { rkey, subject, createdAt, cid };
}

/** The initial records of actor `index`, ascending by rkey. */
export function initialFollowRecords(community: Community, index: number): FollowRecord[] {
  const actor = community.actors[index] as DevnetActor;
  const targets = followsOf(community.follows, index);
  if (targets.length === 0) return [];
  const rng = rngFor(community.options.seed, 'follow-records', index);
  const from = Date.parse(actor.createdAt);
  const to = Date.parse(community.options.baseTime);
  const times = Array.from(targets, () => randInt(rng, from + 1, to - 1)).sort((a, b) => a - b);
  // Graph order says nothing about when a follow happened: shuffle before handing out times.
  const subjects = shuffle(rng, Array.from(targets, (t) => (community.actors[t] as DevnetActor).did));
  const records: FollowRecord[] = [];
  let previous = '';
  subjects.forEach((subject, i) => {
    let ms = times[i] as number;
    let rkey = tid(ms, randInt(rng, 0, 1023));
    // Two follows in the same millisecond still need distinct, increasing rkeys.
    while (rkey <= previous) rkey = tid(++ms, randInt(rng, 0, 1023));
    previous = rkey;
    records.push(makeFollowRecord(actor.did, rkey, subject, new Date(ms).toISOString()));
  });
  return records;
}
