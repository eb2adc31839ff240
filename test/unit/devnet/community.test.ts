import { describe, expect, it } from '@jest/globals';
import { followsOf, generateCommunity, groundTruth, mulberry32, renameHandles, type Community } from '../../../devnet/index.js';

const small = generateCommunity({ members: 200, seed: 42 });

function fingerprint(c: Community): string {
  return JSON.stringify({
    actors: c.actors,
    posts: c.posts,
    offsets: Array.from(c.follows.offsets),
    targets: Array.from(c.follows.targets),
  });
}

describe('generateCommunity', () => {
  it('is a pure function of its options', () => {
    expect(fingerprint(generateCommunity({ members: 200, seed: 42 }))).toBe(fingerprint(small));
    expect(fingerprint(generateCommunity({ members: 200, seed: 43 }))).not.toBe(fingerprint(small));
    expect(generateCommunity({ members: 10, seed: 'abc' }).actors[0]?.did).toBe(generateCommunity({ members: 10, seed: 'abc' }).actors[0]?.did);
  });

  it('uses default sizes and real identifier shapes', () => {
    expect(small.memberCount).toBe(200);
    expect(small.actors).toHaveLength(600);
    expect(small.hashtag).toBe('databs');
    const dids = new Set(small.actors.map((a) => a.did));
    const handles = new Set(small.actors.map((a) => a.handle));
    expect(dids.size).toBe(600);
    expect(handles.size).toBe(600);
    expect(dids.has(small.crawler.did)).toBe(false);
    for (const a of small.actors) {
      expect(a.did).toMatch(/^did:plc:[a-z2-7]{24}$/);
      expect(a.handle).toMatch(/^[a-z0-9-]+\.devnet\.test$/);
    }
    for (const p of small.posts) {
      expect(p.uri).toMatch(/^at:\/\/did:plc:[a-z2-7]{24}\/app\.bsky\.feed\.post\/[2-7a-z]{13}$/);
      expect(p.cid).toMatch(/^bafyrei[a-z2-7]{52}$/);
    }
  });

  it('keeps follower and follow counts consistent with the graph', () => {
    const followers = new Array<number>(small.actors.length).fill(0);
    for (let m = 0; m < small.memberCount; m++) {
      const targets = Array.from(followsOf(small.follows, m));
      expect(new Set(targets).size).toBe(targets.length);
      expect(targets).not.toContain(m);
      expect(small.actors[m]?.followsCount).toBe(targets.length);
      for (const t of targets) followers[t]! += 1;
    }
    small.actors.forEach((a, i) => {
      expect(a.followersCount).toBe(followers[i]);
      if (!a.isMember) expect(a.followsCount).toBe(0);
      expect(a.postsCount).toBeGreaterThanOrEqual(small.posts.filter((p) => p.author === i).length);
    });
  });

  it('has a heavy-tailed out-degree: lurkers, several > 100, one > 250, to members and outsiders', () => {
    const degrees = small.actors.slice(0, small.memberCount).map((a) => a.followsCount);
    expect(degrees.filter((d) => d === 0).length).toBeGreaterThan(0);
    expect(degrees.filter((d) => d > 100).length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...degrees)).toBeGreaterThan(250);
    const targets = Array.from(small.follows.targets);
    expect(targets.some((t) => t < small.memberCount)).toBe(true);
    expect(targets.some((t) => t >= small.memberCount)).toBe(true);
  });

  it('writes every post variant, newest first with unique times, facets on byte offsets', () => {
    const variants = new Set(small.posts.map((p) => p.variant));
    expect([...variants].sort()).toEqual(['decoy-plain', 'decoy-suffix', 'tag-facet', 'tag-facet-only', 'tag-text-only']);
    expect(small.posts.some((p) => p.variant === 'decoy-suffix' && p.author >= small.memberCount)).toBe(true);
    expect(small.posts.some((p) => p.variant.startsWith('decoy') && p.author < small.memberCount)).toBe(true);
    expect(small.posts.some((p) => /#(?:DataBS|DATABS|Databs)\b/.test(p.text))).toBe(true);
    for (let i = 1; i < small.posts.length; i++) {
      expect(Date.parse(small.posts[i]!.indexedAt)).toBeLessThan(Date.parse(small.posts[i - 1]!.indexedAt));
      // so `until` = the oldest createdAt seen loses nothing either
      expect(Date.parse(small.posts[i]!.indexedAt)).toBeLessThan(Date.parse(small.posts[i - 1]!.createdAt));
    }
    for (const p of small.posts) {
      const bytes = Buffer.from(p.text, 'utf8');
      for (const f of p.facets ?? []) {
        expect(f.index.byteEnd).toBeLessThanOrEqual(bytes.length);
        const slice = bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8');
        const feature = f.features[0];
        if (feature && 'tag' in feature && p.variant !== 'tag-facet-only') expect(slice).toBe(`#${feature.tag}`);
      }
    }
  });

  it('gives a ground truth of exactly the members', () => {
    const truth = groundTruth(small);
    expect(new Set(truth.members)).toEqual(new Set(small.actors.filter((a) => a.isMember).map((a) => a.did)));
    expect(truth.edges.length).toBe(small.follows.targets.length);
    let count = 0;
    truth.edges.forEach((src, dst) => {
      count++;
      expect(truth.actors.get(src)?.isMember).toBe(true);
      expect(truth.actors.has(dst)).toBe(true);
    });
    expect(count).toBe(truth.edges.length);
    const first = small.actors[0]!;
    expect(truth.edges.of(first.did)).toHaveLength(first.followsCount);
  });

  it('renames handles without touching DIDs', () => {
    const renamed = renameHandles(small, 10, mulberry32(5));
    const changed = renamed.actors.filter((a, i) => a.handle !== small.actors[i]!.handle);
    expect(changed).toHaveLength(10);
    expect(renamed.actors.map((a) => a.did)).toEqual(small.actors.map((a) => a.did));
    expect(new Set(renamed.actors.map((a) => a.handle)).size).toBe(renamed.actors.length);
    expect(renamed.posts).toBe(small.posts);
  });

  // No wall-clock bound here: a timed unit test fails on a loaded machine (11.5 s against 10 s in a
  // CI run) and proves no speed; the generator's time is part of the ingest benches (bench/).
  it('scales to 5,000 members and about a million follows', () => {
    const big = generateCommunity({ members: 5000, seed: 9 });
    expect(big.follows.targets.length).toBeGreaterThan(900_000);
    expect(big.follows.targets.length).toBeLessThan(1_100_000);
  });
});
