/**
 * The crawler's view of Bluesky: three read calls, signed in once. Follows and profiles may go to
 * an unauthenticated AppView with its own budget; search always needs the signed-in session.
 * The app password is used for one `createSession` and then forgotten; AtpAgent refreshes tokens.
 */
import { AtpAgent, type AppBskyActorDefs, type AppBskyFeedDefs } from '@atproto/api';
import type { Config } from '../config/config.js';
import { redact, scrub } from '../logging/logger.js';
import { RateBudget } from './rate-budget.js';
import { RepoRecords, type FollowRecordsPage } from './repo-records.js';
import { XrpcTransport, type TransportEvents, type TransportStats } from './xrpc-transport.js';

export interface SearchPage {
  readonly posts: AppBskyFeedDefs.PostView[];
  readonly cursor: string | undefined;
}

export interface FollowsPage {
  readonly follows: AppBskyActorDefs.ProfileView[];
  readonly cursor: string | undefined;
}

export class BlueskyLoginError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string) {
    super(message);
    this.name = 'BlueskyLoginError';
  }
}

export interface BlueskyClientOptions {
  readonly bsky: Config['bsky'];
  readonly events?: TransportEvents;
  readonly signal?: AbortSignal;
}

export class BlueskyClient {
  private readonly agent: AtpAgent;
  private readonly readAgent: AtpAgent;
  private readonly transports: XrpcTransport[];
  readonly budget: RateBudget;
  /** Members' own repositories (BSKY_FOLLOWS_FROM=repo): a transport and budget per PDS host. */
  readonly repos: RepoRecords;

  constructor(private readonly options: BlueskyClientOptions) {
    const { bsky } = options;
    this.budget = new RateBudget(bsky.rateLimit);
    const transport = this.transport(this.budget);
    this.agent = new AtpAgent({ service: bsky.service, fetch: transport.fetch });
    this.transports = [transport];
    if (bsky.appView) {
      const appViewTransport = this.transport(new RateBudget(bsky.rateLimit));
      this.readAgent = new AtpAgent({ service: bsky.appView, fetch: appViewTransport.fetch });
      this.transports.push(appViewTransport);
    } else {
      this.readAgent = this.agent;
    }
    this.repos = new RepoRecords(bsky.plc, () => this.transport(new RateBudget(bsky.pdsRateLimit)));
  }

  // No per-call `signal`: the transport ties every request to the run's signal itself, and a
  // signal per Request would pile listeners onto one long-lived AbortSignal.

  /** Signs in once. Errors never carry the password, even if the server echoes it. */
  async login(): Promise<void> {
    const { identifier, appPassword } = this.options.bsky;
    if (!identifier || !appPassword) {
      throw new BlueskyLoginError('BSKY_IDENTIFIER and BSKY_APP_PASSWORD are required: searchPosts needs a signed-in session');
    }
    redact(appPassword);
    try {
      await this.agent.login({ identifier, password: appPassword });
    } catch (err) {
      const e = err as { status?: number; error?: string; message?: string };
      if (e.status === 401 || e.error === 'AuthenticationRequired' || e.error === 'AccountTakedown') {
        throw new BlueskyLoginError(`sign-in to ${this.options.bsky.service} as ${identifier} was refused: ${scrub(e.message ?? 'invalid identifier or password')}`);
      }
      throw new BlueskyLoginError(`sign-in to ${this.options.bsky.service} failed: ${scrub(e.message ?? String(err))}`);
    }
    const session = this.agent.session;
    redact(session?.accessJwt);
    redact(session?.refreshJwt);
  }

  async searchPosts(params: { q: string; cursor?: string; until?: string; since?: string; limit?: number }): Promise<SearchPage> {
    const res = await this.agent.app.bsky.feed.searchPosts(
      { q: params.q, limit: params.limit ?? 100, sort: 'latest', cursor: params.cursor, until: params.until, since: params.since }
    );
    return { posts: res.data.posts, cursor: res.data.cursor || undefined };
  }

  async getProfiles(actors: readonly string[]): Promise<AppBskyActorDefs.ProfileViewDetailed[]> {
    if (actors.length === 0) return [];
    const res = await this.readAgent.app.bsky.actor.getProfiles({ actors: [...actors] });
    return res.data.profiles;
  }

  async getFollows(actor: string, cursor: string | undefined): Promise<FollowsPage> {
    const res = await this.readAgent.app.bsky.graph.getFollows({ actor, limit: 100, cursor });
    return { follows: res.data.follows, cursor: res.data.cursor || undefined };
  }

  /** One page of the member's follow records, from its own PDS (see repo-records.ts). */
  listFollowRecords(did: string, cursor: string | undefined): Promise<FollowRecordsPage> {
    return this.repos.followRecords(did, cursor);
  }

  stats(): TransportStats {
    const total: TransportStats = { requests: 0, waits: 0, retries: 0, rateLimited: 0, byMethod: {} };
    for (const t of [...this.transports, ...this.repos.transports()]) {
      total.requests += t.stats.requests;
      total.retries += t.stats.retries;
      total.waits += t.stats.waits;
      total.rateLimited += t.stats.rateLimited;
      for (const [m, n] of Object.entries(t.stats.byMethod)) total.byMethod[m] = (total.byMethod[m] ?? 0) + n;
    }
    return total;
  }

  private transport(budget: RateBudget): XrpcTransport {
    const { bsky } = this.options;
    return new XrpcTransport({
      budget,
      concurrency: bsky.concurrency,
      maxRetries: bsky.maxRetries,
      timeoutMs: bsky.requestTimeoutMs,
      maxBodyBytes: bsky.maxBodyBytes,
      events: this.options.events,
      signal: this.options.signal,
    });
  }
}
