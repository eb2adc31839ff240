/**
 * Which Neo4j the tests (and the demo) talk to. One decision, logged by the caller:
 * - NEO4J_URI set: that server, whatever it is (Aura, Desktop, Docker, CI's local one);
 * - otherwise, a Docker engine reachable: a throw-away testcontainers Neo4j;
 * - otherwise: the project's own local server (neo4j/neo4jctl) on the default Bolt port.
 */
export type Neo4jTarget =
  | { readonly kind: 'configured'; readonly uri: string; readonly reason: string }
  | { readonly kind: 'testcontainers'; readonly reason: string }
  | { readonly kind: 'local'; readonly uri: string; readonly reason: string };

export const LOCAL_BOLT_URI = 'bolt://127.0.0.1:7687';

export function chooseNeo4jTarget(input: { neo4jUri: string | undefined; dockerReachable: boolean }): Neo4jTarget {
  const uri = input.neo4jUri?.trim();
  if (uri) return { kind: 'configured', uri, reason: 'NEO4J_URI is set' };
  if (input.dockerReachable) return { kind: 'testcontainers', reason: 'NEO4J_URI unset and a Docker engine answers' };
  return { kind: 'local', uri: LOCAL_BOLT_URI, reason: 'NEO4J_URI unset and no Docker engine: using the local server (neo4j/neo4jctl)' };
}

/** Asks testcontainers whether a container runtime answers; any failure means no. */
export async function isDockerReachable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
