/**
 * The one Cypher definition of a hashtag's scope, used by analytics, exports and the graph view so
 * the three answer about the same graph. COMMUNITY: the hashtag's members and the FOLLOWS among
 * them. ALL: the members plus everyone they follow, with the members' FOLLOWS to them (follows *of*
 * non-members are never in scope). Fragments bind `h` (the Hashtag), `a` (an actor in scope) and,
 * for edges, `b` (a follow target of member `a`); every one takes `$hashtag`, edges `$communityOnly`.
 */
import type { Scope } from '../core/scope.js';

/** One row per member: `h`, `a`. */
export const MATCH_MEMBERS = `MATCH (h:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(a:Actor)`;

/** After a MATCH or OPTIONAL MATCH of `(a)-[:FOLLOWS]->(b:Actor)` from a member: keeps the edges in scope. */
export const FOLLOW_TARGET_IN_SCOPE = `WHERE NOT $communityOnly OR (b)-[:POSTED_WITH]->(h)`;

// ALL: each member and the actors it follows, deduplicated (a subquery per member keeps the rows
// bounded by the largest follow list instead of expanding every path at once).
const MATCH_NEIGHBOURHOOD = `
MATCH (h:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(m:Actor)
CALL (m) {
  RETURN m AS a
  UNION
  MATCH (m)-[:FOLLOWS]->(a:Actor)
  RETURN a
}
WITH DISTINCT h, a`;

/** One row per actor in scope: `h`, `a`. */
export function matchScopeActors(scope: Scope): string {
  return scope === 'COMMUNITY' ? MATCH_MEMBERS : MATCH_NEIGHBOURHOOD;
}

/** The parameters the fragments read. */
export function scopeParams(hashtag: string, scope: Scope): { hashtag: string; communityOnly: boolean } {
  return { hashtag, communityOnly: scope === 'COMMUNITY' };
}
