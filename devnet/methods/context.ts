/** What every XRPC method gets, and what it declares about itself. */
import type { CrawlerAccount } from '../community.js';
import type { CommunityState } from '../devnet-state.js';
import type { FaultPlan } from '../faults.js';
import type { SearchMatchMode } from '../hashtag-match.js';
import type { LiveCommunity } from '../live/live-community.js';
import type { SessionTokens } from '../session-tokens.js';

export interface ServerConfig {
  password: string;
  searchCap: number;
  searchMatch: SearchMatchMode;
  serviceDid: string;
  tokens: SessionTokens;
}

export interface MethodContext {
  params: URLSearchParams;
  body: unknown;
  /** DID of the signed-in caller, when a valid access token came with the request. */
  viewer?: string;
  /** The raw bearer token (refreshSession reads its refresh token from it). */
  bearer?: string;
  /** Base URL as the client reached us (from the Host header), for the DID document. */
  publicUrl: string;
  state: CommunityState;
  config: ServerConfig;
  account: CrawlerAccount;
  /** Injected trouble that changes what a method answers (follow-list and search faults). */
  faults: FaultPlan;
  /** Repos for com.atproto.repo.* reads: the live community, or a frozen one over the static graph. */
  repos(): LiveCommunity;
}

/**
 * 'none': never checks tokens. 'access': a valid access token is required. 'read': required
 * when the server runs with auth 'required', optional (but checked if sent) with 'search-only'.
 * 'refresh': a valid refresh token is required.
 */
export type AuthNeed = 'none' | 'access' | 'read' | 'refresh';

export interface XrpcMethod {
  nsid: string;
  type: 'query' | 'procedure';
  auth: AuthNeed;
  handle(ctx: MethodContext): unknown;
}
