/**
 * The method of the one-off script this project replaces, kept only as a benchmark baseline:
 * search pages of 50, one getProfile per author, follows in pages of 50, one request at a time.
 * It writes nothing (the script wrote a CSV at the end), so the comparison favours it.
 */
import { AtpAgent } from '@atproto/api';

export async function baselineCrawl(service: string, identifier: string, password: string, hashtag: string): Promise<{ requests: number; members: number; follows: number }> {
  let requests = 0;
  const counting: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, init);
  };
  const agent = new AtpAgent({ service, fetch: counting });
  await agent.login({ identifier, password });
  const authors = new Set<string>();
  let cursor: string | undefined;
  do {
    const res = await agent.app.bsky.feed.searchPosts({ q: `#${hashtag}`, limit: 50, cursor });
    for (const p of res.data.posts) {
      if (JSON.stringify(p.record).toLowerCase().includes(`#${hashtag}`)) authors.add(p.author.did);
    }
    cursor = res.data.posts.length ? res.data.cursor : undefined;
  } while (cursor);
  let follows = 0;
  for (const did of authors) {
    await agent.app.bsky.actor.getProfile({ actor: did });
    let c: string | undefined;
    do {
      const res = await agent.app.bsky.graph.getFollows({ actor: did, limit: 50, cursor: c });
      follows += res.data.follows.length;
      c = res.data.follows.length ? res.data.cursor : undefined;
    } while (c);
  }
  return { requests: requests - 1, members: authors.size, follows };
}
