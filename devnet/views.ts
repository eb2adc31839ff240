/**
 * Presentation: devnet records shaped as the `app.bsky.*` lexicon views. Views are cached per
 * actor object (renamed actors are new objects, so a rename invalidates naturally).
 */
import type { DevnetActor, DevnetPost } from './community.js';

export interface ProfileViewBasic {
  did: string;
  handle: string;
  displayName?: string;
  avatar?: string;
  createdAt: string;
  labels: never[];
}
export interface ProfileView extends ProfileViewBasic {
  description?: string;
  indexedAt: string;
}
export interface ProfileViewDetailed extends ProfileView {
  followersCount: number;
  followsCount: number;
  postsCount: number;
}

const basicCache = new WeakMap<DevnetActor, ProfileViewBasic>();
const viewCache = new WeakMap<DevnetActor, ProfileView>();

export function profileViewBasic(a: DevnetActor): ProfileViewBasic {
  let v = basicCache.get(a);
  if (!v) {
    v = {
      did: a.did,
      handle: a.handle,
      ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
      ...(a.avatar !== undefined ? { avatar: a.avatar } : {}),
      createdAt: a.createdAt,
      labels: [],
    };
    basicCache.set(a, v);
  }
  return v;
}

export function profileView(a: DevnetActor): ProfileView {
  let v = viewCache.get(a);
  if (!v) {
    v = {
      did: a.did,
      handle: a.handle,
      ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
      ...(a.description !== undefined ? { description: a.description } : {}),
      ...(a.avatar !== undefined ? { avatar: a.avatar } : {}),
      indexedAt: a.indexedAt,
      createdAt: a.createdAt,
      labels: [],
    };
    viewCache.set(a, v);
  }
  return v;
}

export function profileViewDetailed(a: DevnetActor): ProfileViewDetailed {
  return { ...profileView(a), followersCount: a.followersCount, followsCount: a.followsCount, postsCount: a.postsCount };
}

export function postView(p: DevnetPost, author: DevnetActor): Record<string, unknown> {
  return {
    uri: p.uri,
    cid: p.cid,
    author: profileViewBasic(author),
    record: {
      $type: 'app.bsky.feed.post',
      text: p.text,
      ...(p.facets ? { facets: p.facets } : {}),
      langs: ['en'],
      createdAt: p.createdAt,
    },
    replyCount: p.replyCount,
    repostCount: p.repostCount,
    likeCount: p.likeCount,
    quoteCount: p.quoteCount,
    bookmarkCount: 0,
    indexedAt: p.indexedAt,
    labels: [],
  };
}
