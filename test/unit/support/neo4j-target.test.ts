import { describe, expect, it } from '@jest/globals';
import { chooseNeo4jTarget, LOCAL_BOLT_URI } from '../../support/neo4j-target.js';

describe('chooseNeo4jTarget', () => {
  it('uses NEO4J_URI when set, whatever Docker says', () => {
    expect(chooseNeo4jTarget({ neo4jUri: 'neo4j+s://x.databases.neo4j.io', dockerReachable: true })).toMatchObject({ kind: 'configured', uri: 'neo4j+s://x.databases.neo4j.io' });
    expect(chooseNeo4jTarget({ neo4jUri: 'bolt://127.0.0.1:7688', dockerReachable: false }).kind).toBe('configured');
  });
  it('uses testcontainers when NEO4J_URI is unset and Docker answers', () => {
    expect(chooseNeo4jTarget({ neo4jUri: undefined, dockerReachable: true }).kind).toBe('testcontainers');
    expect(chooseNeo4jTarget({ neo4jUri: '  ', dockerReachable: true }).kind).toBe('testcontainers');
  });
  it('falls back to the local server otherwise', () => {
    expect(chooseNeo4jTarget({ neo4jUri: undefined, dockerReachable: false })).toMatchObject({ kind: 'local', uri: LOCAL_BOLT_URI });
  });
});
