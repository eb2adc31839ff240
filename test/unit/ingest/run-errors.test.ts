import { describe, expect, it } from '@jest/globals';
import { Neo4jError } from 'neo4j-driver';
import { ShrinkRefusedError } from '../../../src/graph/ingest-writes.js';
import { BlueskyLoginError } from '../../../src/ingest/bsky-client.js';
import { publicRunError } from '../../../src/ingest/run-errors.js';
import { XrpcRetriesExhaustedError } from '../../../src/ingest/xrpc-transport.js';

describe('publicRunError', () => {
  it('passes the crawler’s own user-facing errors through', () => {
    const plan = { membersBefore: 10, membersRemoved: 8, followsBefore: 100, followsStale: 0, followsOfLeavers: 0 };
    expect(publicRunError(new ShrinkRefusedError(plan, 0.5), 'r1')).toMatch(/refusing to prune: this run would remove 8 of 10 members \(80%\)/);
    expect(publicRunError(new XrpcRetriesExhaustedError('app.bsky.graph.getFollows', 7, 'HTTP 502'), 'r1')).toBe('app.bsky.graph.getFollows failed after 7 attempts: HTTP 502');
  });

  it('hides the sign-in identifier and Neo4j internals, pointing at the log', () => {
    const login = publicRunError(new BlueskyLoginError('sign-in to http://pds.test as alice.example.com was refused: bad password'), 'r2');
    expect(login).not.toContain('alice.example.com');
    expect(login).toMatch(/BSKY_IDENTIFIER/);
    const neo = publicRunError(new Neo4jError('Node(42) already exists with label `Actor` and property `did` = \'did:plc:x\'', 'Neo.ClientError.Schema.ConstraintValidationFailed', 'gql', 'desc'), 'r3');
    expect(neo).not.toMatch(/did:plc|Node\(42\)|Constraint/);
    expect(neo).toMatch(/run r3/);
    const bug = publicRunError(new TypeError("Cannot read properties of undefined (reading 'did')"), 'r4');
    expect(bug).toBe('the run failed with an unexpected TypeError (details in the server log under run r4)');
  });
});
