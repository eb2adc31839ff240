/**
 * The API tests' graph: a devnet community (#databs) as the ingest stores it, plus a second,
 * overlapping hashtag (#rustlang), stored analytics on some actors, outsiders that follow back, an
 * isolated actor, and two actors sharing a handle (one stale).
 */
import { generateCommunity } from '../../devnet/index.js';
import { fixtureFromCommunity, type FixtureActor, type GraphFixture } from './load-graph.js';

export const ISOLATED = 'did:plc:isolatedactor0000000000000';
export const STALE = 'did:plc:stalehandle00000000000000000';

export function buildApiFixture(): GraphFixture {
  const community = generateCommunity({ members: 60, outsiders: 120, seed: 7 });
  const base = fixtureFromCommunity(community);
  const actors: FixtureActor[] = base.actors.map((a, i) => ({
    ...a,
    // Stored analytics on two actors in three, rounded so some scores tie (DID breaks the tie).
    ...(i % 3 !== 2 ? { pagerank: Math.round(((i * 7919) % 101) / 10) / 10, community: i % 4 } : {}),
  }));
  const dids = actors.map((a) => a.did);
  const memberships = [
    ...base.memberships,
    // Written scores for #rustlang on two memberships in three (some tie), unrelated to the node's.
    ...dids.filter((_, i) => i % 4 === 0).map((did, j) => ({ did, hashtag: 'rustlang', posts: 2, ...(j % 3 !== 1 ? { pagerank: ((j * 37) % 11) / 10, community: j % 3 } : {}) })),
  ];
  const follows = [...base.follows];
  // Outsiders (never crawled) following members back: followers and mutuals from outside the tag.
  for (let i = 60; i < 180; i += 3) follows.push([dids[i]!, dids[(i * 13) % 60]!]);
  const first = actors[0]!;
  actors.push(
    { did: ISOLATED, handle: 'isolated.devnet.test', displayName: 'Nobody Follows Me', followersCount: 0, followsCount: 0, postsCount: 1 },
    // Held first's handle until first took it over; first's profile was fetched later.
    { did: STALE, handle: first.handle, displayName: 'Old owner', profileFetchedAt: '2024-01-01T00:00:00.000Z' },
  );
  return { actors, memberships, follows };
}
