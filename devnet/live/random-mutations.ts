/**
 * A seeded mix of what a hashtag community does in an afternoon: mostly follows and unfollows,
 * some outsiders and brand-new accounts posting the tag, profile edits, handle changes, and the
 * odd deactivation or deletion. Same live community + same seed = same mutations.
 */
import { handleOf, personName } from '../names.js';
import { decoyPost, genuinePost } from '../post-text.js';
import { chance, pick, type Rng } from '../prng.js';
import type { LiveActor, LiveCommunity, Mutation } from './live-community.js';

const BIOS = ['Data person. Opinions my own.', 'Query plans and coffee', 'Writing about storage engines', 'Recovering DBA'];

/** Cumulative weights of each kind of change. */
const MIX: Array<[number, (live: LiveCommunity, rng: Rng) => Mutation | undefined]> = [
  [0.34, followSomeone],
  [0.54, unfollowSomeone],
  [0.62, outsiderPostsTag],
  [0.69, newAccountPostsTag],
  [0.74, memberPosts],
  [0.84, editProfile],
  [0.91, changeHandle],
  [0.95, deactivateOrReactivate],
  [0.97, deleteAccount],
  [1, decoyPostByAnyone],
];

export function randomMutations(live: LiveCommunity, rng: Rng, count: number): Mutation[] {
  const done: Mutation[] = [];
  for (let guard = 0; done.length < count && guard < count * 20; guard++) {
    const r = rng();
    const make = (MIX.find(([w]) => r < w) ?? (MIX.at(-1) as (typeof MIX)[number]))[1];
    const mutation = make(live, rng);
    if (mutation) done.push(mutation);
  }
  return done;
}

function active(live: LiveCommunity, filter: (a: LiveActor) => boolean = () => true): LiveActor[] {
  return live.actors().filter((a) => a.status === 'active' && filter(a));
}

function member(a: LiveActor): boolean {
  return a.firstTagPostAt !== undefined;
}

function anyOf(rng: Rng, actors: LiveActor[]): LiveActor | undefined {
  return actors.length > 0 ? pick(rng, actors) : undefined;
}

function followSomeone(live: LiveCommunity, rng: Rng): Mutation | undefined {
  // Members follow most; outsiders sometimes follow too (and may become relevant later).
  const who = anyOf(rng, active(live, chance(rng, 0.8) ? member : (a) => !member(a)));
  if (!who) return undefined;
  const followed = new Set(live.followRecords(who.did).map((r) => r.subject));
  const membersOnly = chance(rng, 0.5);
  const pool = active(live, (a) => a.did !== who.did && !followed.has(a.did) && (!membersOnly || member(a)));
  const subject = anyOf(rng, pool);
  return subject ? live.follow(who.did, subject.did) : undefined;
}

function unfollowSomeone(live: LiveCommunity, rng: Rng): Mutation | undefined {
  const who = anyOf(rng, active(live, (a) => live.followRecords(a.did).length > 0));
  if (!who) return undefined;
  return live.unfollow(who.did, pick(rng, live.followRecords(who.did)).rkey);
}

function outsiderPostsTag(live: LiveCommunity, rng: Rng): Mutation | undefined {
  const who = anyOf(rng, active(live, (a) => !member(a)));
  if (!who) return undefined;
  const body = genuinePost(rng, live.hashtag);
  return live.post(who.did, body.text, body.facets);
}

function takenBases(live: LiveCommunity): Set<string> {
  return new Set(live.actors().map((a) => a.handle.split('.')[0] as string));
}

function newAccountPostsTag(live: LiveCommunity, rng: Rng): Mutation | undefined {
  const name = personName(rng, takenBases(live));
  const created = live.createAccount(handleOf(name.base), { ...(name.displayName ? { displayName: name.displayName } : {}), description: pick(rng, BIOS) });
  const body = genuinePost(rng, live.hashtag);
  const posted = live.post(created.did, body.text, body.facets);
  return { ...posted, op: 'createAccount', handle: created.handle, events: [...created.events, ...posted.events] };
}

function memberPosts(live: LiveCommunity, rng: Rng): Mutation | undefined {
  const who = anyOf(rng, active(live, member));
  if (!who) return undefined;
  const body = genuinePost(rng, live.hashtag);
  return live.post(who.did, body.text, body.facets);
}

function decoyPostByAnyone(live: LiveCommunity, rng: Rng): Mutation | undefined {
  const who = anyOf(rng, active(live));
  if (!who) return undefined;
  const body = decoyPost(rng, live.hashtag);
  return live.post(who.did, body.text, body.facets);
}

function editProfile(live: LiveCommunity, rng: Rng): Mutation | undefined {
  const who = anyOf(rng, active(live));
  if (!who) return undefined;
  if (chance(rng, 0.5)) return live.updateProfile(who.did, { description: pick(rng, BIOS) });
  const name = personName(rng, new Set());
  return live.updateProfile(who.did, { displayName: name.displayName || 'Someone' });
}

function changeHandle(live: LiveCommunity, rng: Rng): Mutation | undefined {
  const who = anyOf(rng, active(live));
  if (!who) return undefined;
  return live.changeHandle(who.did, handleOf(personName(rng, takenBases(live)).base));
}

function deactivateOrReactivate(live: LiveCommunity, rng: Rng): Mutation | undefined {
  const asleep = live.actors().filter((a) => a.status === 'deactivated');
  if (asleep.length > 0 && chance(rng, 0.6)) return live.reactivate(pick(rng, asleep).did);
  const who = anyOf(rng, active(live));
  return who ? live.deactivate(who.did) : undefined;
}

function deleteAccount(live: LiveCommunity, rng: Rng): Mutation | undefined {
  const who = anyOf(rng, active(live));
  return who ? live.deleteAccount(who.did) : undefined;
}
