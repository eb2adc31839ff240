/** Wiring for ingest tests: a devnet, a config pointing at it, and the truth to compare with. */
import { loadConfig, type Config } from '../../src/config/config.js';
import { carriesTag, groundTruth, type Community, type Devnet } from '../../devnet/index.js';
import type { CommunitySnapshot } from './graph-snapshot.js';

export function configFor(devnet: Devnet, extra: Record<string, string> = {}): Config {
  return loadConfig({
    NEO4J_URI: process.env.NEO4J_URI,
    NEO4J_PASSWORD: process.env.NEO4J_PASSWORD,
    BSKY_SERVICE: devnet.url,
    BSKY_IDENTIFIER: devnet.credentials.identifier,
    BSKY_APP_PASSWORD: devnet.credentials.password,
    BSKY_RATE_LIMIT: '200/1',
    LOG_LEVEL: 'warn',
    ...extra,
  });
}

export function truthSnapshot(community: Community): Omit<CommunitySnapshot, 'handles'> & { handles: Map<string, string> } {
  const truth = groundTruth(community);
  const edges: string[] = [];
  truth.edges.forEach((s, t) => edges.push(`${s} ${t}`));
  const posts = new Map<string, number>();
  for (const post of community.posts) {
    if (!carriesTag(post, community.hashtag)) continue;
    const did = community.actors[post.author]!.did;
    posts.set(did, (posts.get(did) ?? 0) + 1);
  }
  const handles = new Map<string, string>();
  for (const [did, a] of truth.actors) handles.set(did, a.handle);
  return { members: [...truth.members].sort(), edges: edges.sort(), handles, posts };
}

/** Compares without printing a million-line diff when they differ. */
export function diffSnapshots(actual: CommunitySnapshot, expected: ReturnType<typeof truthSnapshot>) {
  const missing = (a: string[], b: string[]) => {
    const set = new Set(a);
    return b.filter((x) => !set.has(x));
  };
  const wrongHandles = [...expected.handles].filter(([did, h]) => actual.handles.get(did) !== h).slice(0, 5);
  const wrongPosts = [...expected.posts].filter(([did, n]) => actual.posts.get(did) !== n).slice(0, 5);
  return {
    membersMissing: missing(actual.members, expected.members).slice(0, 5),
    membersExtra: missing(expected.members, actual.members).slice(0, 5),
    edgesMissing: missing(actual.edges, expected.edges).slice(0, 5),
    edgesExtra: missing(expected.edges, actual.edges).slice(0, 5),
    wrongHandles,
    wrongPosts,
    counts: { members: [actual.members.length, expected.members.length], edges: [actual.edges.length, expected.edges.length] },
  };
}

export const NO_DIFF = (counts: { members: number[]; edges: number[] }) => ({
  membersMissing: [],
  membersExtra: [],
  edgesMissing: [],
  edgesExtra: [],
  wrongHandles: [],
  wrongPosts: [],
  counts,
});
