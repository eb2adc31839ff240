import { describe, expect, it } from '@jest/globals';
import { FaultPlan, parseFaults } from '../../../devnet/faults.js';

const params = (q: string) => new URLSearchParams(q);

describe('targeted faults', () => {
  it('hit only the named method and actors, the first `times` calls, and restart with set()', () => {
    const plan = new FaultPlan({ dripBody: { method: 'app.bsky.graph.getFollows', actors: ['did:a'], times: 2 } });
    const kind = (nsid: string, q: string) => plan.body(nsid, params(q)).kind;
    expect(kind('app.bsky.graph.getFollows', 'actor=did:b')).toBe('none');
    expect(kind('app.bsky.actor.getProfiles', 'actors=did:a')).toBe('none');
    expect(kind('app.bsky.graph.getFollows', 'actor=did:a')).toBe('drip');
    expect(kind('app.bsky.graph.getFollows', 'actor=did:a&cursor=100')).toBe('drip');
    expect(kind('app.bsky.graph.getFollows', 'actor=did:a')).toBe('none');
    plan.set(plan.current);
    expect(kind('app.bsky.graph.getFollows', 'actor=did:a')).toBe('drip');
  });

  it('bend follow pages by actor and page number', () => {
    const injected: string[] = [];
    const plan = new FaultPlan(
      { followsError: { actors: ['did:a'], atPage: 3, error: 'AccountDeactivated' }, emptyFollowsPage: { actors: ['did:b'] }, repeatedCursor: { actors: ['did:c'] } },
      (k) => injected.push(k),
    );
    expect(plan.follows('did:a', 2).kind).toBe('none');
    expect(plan.follows('did:a', 3)).toEqual({ kind: 'error', error: 'AccountDeactivated', message: 'Account is deactivated' });
    expect(plan.follows('did:b', 1).kind).toBe('empty-page');
    expect(plan.follows('did:b', 1, true).kind).toBe('none');
    expect(plan.follows('did:c', 1).kind).toBe('none');
    expect(plan.follows('did:c', 2).kind).toBe('repeat-cursor');
    expect(injected).toEqual(['lists', 'lists', 'lists']);
  });

  it('empties exactly the chosen search calls', () => {
    const plan = new FaultPlan({ emptySearch: { calls: 2, skip: 1 } });
    expect([1, 2, 3, 4].map(() => plan.emptySearch())).toEqual([false, true, true, false]);
  });

  it('parses fault settings and names a typo', () => {
    expect(parseFaults('{"emptySearch":{"calls":1}}')).toEqual({ emptySearch: { calls: 1 } });
    expect(() => parseFaults('{"dripBdy":{}}')).toThrow(/unknown fault dripBdy/);
    expect(() => parseFaults('{"followsError":{"actors":"did:a"}}')).toThrow(/followsError.actors must be a list of DIDs/);
    expect(() => parseFaults('nope')).toThrow(/not valid JSON/);
  });
});
