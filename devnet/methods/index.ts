/** The XRPC methods the devnet serves, by NSID. */
import type { XrpcMethod } from './context.js';
import { createSession } from './createSession.js';
import { describeServer } from './describeServer.js';
import { getFollowers } from './getFollowers.js';
import { getFollows } from './getFollows.js';
import { getProfile } from './getProfile.js';
import { getProfiles } from './getProfiles.js';
import { getSession } from './getSession.js';
import { listRecords } from './listRecords.js';
import { refreshSession } from './refreshSession.js';
import { resolveHandle } from './resolveHandle.js';
import { searchPosts } from './searchPosts.js';

export const METHODS: ReadonlyMap<string, XrpcMethod> = new Map(
  [createSession, refreshSession, getSession, describeServer, resolveHandle, searchPosts, getProfile, getProfiles, getFollows, getFollowers, listRecords].map(
    (m) => [m.nsid, m],
  ),
);

export type { AuthNeed, MethodContext, ServerConfig, XrpcMethod } from './context.js';
