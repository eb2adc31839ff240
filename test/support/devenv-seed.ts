/**
 * Writes a planned community into a running dev-env through its PDS, with the project's own
 * @atproto/api AtpAgent (dev-env nests an older copy: its client objects are never used here).
 * Each account's records go in ONE `com.atproto.repo.applyWrites` (profile, posts, follows), which
 * is far faster than a call per record. Also the later changes a re-ingest must pick up.
 */
import { AtpAgent } from '@atproto/api';
import type { AccountPlan, PostPlan, SeededAccount } from './devenv-community.js';

export interface SeededAccountWithAgent extends SeededAccount {
  readonly agent: AtpAgent;
}

export interface SeededCommunity {
  readonly accounts: SeededAccountWithAgent[];
  readonly byName: Map<string, SeededAccountWithAgent>;
  /** Signs in with an app password, as a real user of the crawler would. */
  readonly crawler: { readonly did: string; readonly handle: string; readonly appPassword: string; readonly password: string };
  /** Milliseconds per phase. */
  readonly timings: { readonly createAccounts: number; readonly applyWrites: number };
}

const HANDLE_DOMAIN = '.test';
const WRITES_PER_CALL = 200; // the PDS's cap per applyWrites
const CONCURRENCY = 8;

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}

async function createAccount(pdsUrl: string, name: string): Promise<{ agent: AtpAgent; did: string; handle: string; password: string }> {
  const agent = new AtpAgent({ service: pdsUrl });
  const handle = `${name}${HANDLE_DOMAIN}`;
  const password = `pw-${name}-not-a-secret`;
  const res = await agent.createAccount({ handle, email: `${name}@example.com`, password });
  return { agent, did: res.data.did, handle, password };
}

function postRecord(post: PostPlan, createdAt: string): Record<string, unknown> {
  return {
    $type: 'app.bsky.feed.post',
    text: post.text,
    createdAt,
    ...(post.facets?.length ? { facets: post.facets } : {}),
    ...(post.tags?.length ? { tags: post.tags } : {}),
  };
}

/** Distinct, past createdAt values so search order (newest first) is stable. */
function clock(): () => string {
  let t = Date.now() - 3_600_000;
  return () => new Date((t += 1000)).toISOString();
}

export async function seedCommunity(pdsUrl: string, plans: readonly AccountPlan[]): Promise<SeededCommunity> {
  const started = performance.now();
  const created = new Array<{ agent: AtpAgent; did: string; handle: string; password: string }>(plans.length);
  await eachLimited(plans, CONCURRENCY, async (plan, i) => {
    created[i] = await createAccount(pdsUrl, plan.name);
  });
  const accountsDone = performance.now();
  const didOf = new Map(plans.map((p, i) => [p.name, created[i]!.did]));
  const now = clock();
  const stamps = plans.map((p) => ({ profile: now(), posts: p.posts.map(() => now()), follows: p.follows.map(() => now()) }));

  const accounts: SeededAccountWithAgent[] = new Array(plans.length);
  await eachLimited(plans, CONCURRENCY, async (plan, i) => {
    const { agent, did, handle } = created[i]!;
    const writes = [
      { $type: 'com.atproto.repo.applyWrites#create' as const, collection: 'app.bsky.actor.profile', rkey: 'self', value: { $type: 'app.bsky.actor.profile', displayName: plan.displayName, description: plan.description } },
      ...plan.posts.map((post, k) => ({ $type: 'com.atproto.repo.applyWrites#create' as const, collection: 'app.bsky.feed.post', value: postRecord(post, stamps[i]!.posts[k]!) })),
      ...plan.follows.map((target, k) => ({
        $type: 'com.atproto.repo.applyWrites#create' as const,
        collection: 'app.bsky.graph.follow',
        value: { $type: 'app.bsky.graph.follow', subject: didOf.get(target)!, createdAt: stamps[i]!.follows[k]! },
      })),
    ];
    if (writes.length > WRITES_PER_CALL) throw new Error(`${plan.name}: ${writes.length} writes exceed one applyWrites (${WRITES_PER_CALL})`);
    const res = await agent.com.atproto.repo.applyWrites({ repo: did, writes });
    const uris = (res.data.results ?? []).map((r) => (r as { uri?: string }).uri);
    if (uris.length !== writes.length || uris.some((u) => !u)) throw new Error(`${plan.name}: applyWrites returned ${uris.length} results for ${writes.length} writes`);
    const posts = new Map<string, PostPlan>();
    plan.posts.forEach((post, k) => posts.set(uris[1 + k]!, post));
    const follows = new Map<string, string>();
    plan.follows.forEach((target, k) => follows.set(didOf.get(target)!, uris[1 + plan.posts.length + k]!));
    accounts[i] = { name: plan.name, role: plan.role, did, handle, displayName: plan.displayName, description: plan.description, posts, follows, agent };
  });

  const writesDone = performance.now();
  const crawlerAccount = await createAccount(pdsUrl, 'crawler');
  const appPassword = await crawlerAccount.agent.com.atproto.server.createAppPassword({ name: 'bsky-graph ingest' });
  return {
    accounts,
    byName: new Map(accounts.map((a) => [a.name, a])),
    crawler: { did: crawlerAccount.did, handle: crawlerAccount.handle, appPassword: appPassword.data.password, password: crawlerAccount.password },
    timings: { createAccounts: Math.round(accountsDone - started), applyWrites: Math.round(writesDone - accountsDone) },
  };
}

// ---------------------------------------------------------------------------------------------
// Changes between ingests: each updates dev-env and the seeded model together.

const rkeyOf = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);

export async function unfollow(account: SeededAccountWithAgent, targetDid: string): Promise<void> {
  const uri = account.follows.get(targetDid);
  if (!uri) throw new Error(`${account.name} does not follow ${targetDid}`);
  await account.agent.com.atproto.repo.deleteRecord({ repo: account.did, collection: 'app.bsky.graph.follow', rkey: rkeyOf(uri) });
  account.follows.delete(targetDid);
}

export async function updateProfile(account: SeededAccountWithAgent, changes: { displayName?: string; description?: string }): Promise<void> {
  const displayName = changes.displayName ?? account.displayName;
  const description = changes.description ?? account.description;
  await account.agent.com.atproto.repo.putRecord({
    repo: account.did,
    collection: 'app.bsky.actor.profile',
    rkey: 'self',
    record: { $type: 'app.bsky.actor.profile', displayName, description },
  });
  account.displayName = displayName;
  account.description = description;
}

export async function changeHandle(account: SeededAccountWithAgent, name: string): Promise<void> {
  const handle = `${name}${HANDLE_DOMAIN}`;
  await account.agent.com.atproto.identity.updateHandle({ handle });
  account.handle = handle;
}

export async function deletePost(account: SeededAccountWithAgent, uri: string): Promise<void> {
  if (!account.posts.has(uri)) throw new Error(`${account.name} has no post ${uri}`);
  await account.agent.com.atproto.repo.deleteRecord({ repo: account.did, collection: 'app.bsky.feed.post', rkey: rkeyOf(uri) });
  account.posts.delete(uri);
}

export async function addPost(account: SeededAccountWithAgent, post: PostPlan): Promise<string> {
  const res = await account.agent.com.atproto.repo.createRecord({
    repo: account.did,
    collection: 'app.bsky.feed.post',
    record: postRecord(post, new Date().toISOString()),
  });
  account.posts.set(res.data.uri, post);
  return res.data.uri;
}
