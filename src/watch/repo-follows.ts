/**
 * A member's follow records read from its own repository: its DID document (PLC directory, or
 * did:web) names its PDS, whose `com.atproto.repo.listRecords` lists `app.bsky.graph.follow`
 * records with their rkey, subject and createdAt — what a Jetstream delete (an rkey alone) needs.
 */
import type { FollowRecordList } from '../graph/watch-writes.js';

export interface RepoFollowsOptions {
  /** BSKY_PLC, e.g. https://plc.directory */
  readonly plcUrl: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** Pages of 100 at most; a repo with more is refused rather than read forever. */
  readonly maxPages?: number;
}

interface DidDocument {
  readonly alsoKnownAs?: string[];
  readonly service?: Array<{ id?: string; type?: string; serviceEndpoint?: unknown }>;
}

export class RepoFollows {
  private readonly documents = new Map<string, Promise<DidDocument>>();
  /** XRPC and DID-document requests made, per host. */
  readonly requests = new Map<string, number>();

  constructor(private readonly options: RepoFollowsOptions) {}

  /**
   * The member's complete follow list; 'gone' when its repository or DID is no longer served (a
   * deactivated or deleted account: its account event decides what the graph keeps); null when it
   * could not be read to the end this time (try again later).
   */
  async followRecords(did: string): Promise<FollowRecordList | 'gone' | null> {
    try {
      const pds = await this.pdsOf(did);
      const records: Array<{ rkey: string; subject: string; createdAt: string | null }> = [];
      let cursor: string | undefined;
      for (let page = 0; page < (this.options.maxPages ?? 1000); page++) {
        const url = new URL('/xrpc/com.atproto.repo.listRecords', pds);
        url.searchParams.set('repo', did);
        url.searchParams.set('collection', 'app.bsky.graph.follow');
        url.searchParams.set('limit', '100');
        if (cursor) url.searchParams.set('cursor', cursor);
        const body = (await this.get(url)) as { records?: Array<{ uri?: string; value?: { subject?: unknown; createdAt?: unknown } }>; cursor?: string };
        for (const r of body.records ?? []) {
          const rkey = r.uri?.split('/').pop();
          if (rkey && typeof r.value?.subject === 'string') records.push({ rkey, subject: r.value.subject, createdAt: typeof r.value.createdAt === 'string' ? r.value.createdAt : null });
        }
        if (!body.cursor || (body.records ?? []).length === 0) return { did, records };
        cursor = body.cursor;
      }
      return null;
    } catch (err) {
      return err instanceof GoneError ? 'gone' : null;
    }
  }

  /** The member's profile record (app.bsky.actor.profile/self); null when it has none or it could not be read. */
  async profileOf(did: string): Promise<{ displayName: string | null; description: string | null } | null> {
    try {
      const url = new URL('/xrpc/com.atproto.repo.getRecord', await this.pdsOf(did));
      url.searchParams.set('repo', did);
      url.searchParams.set('collection', 'app.bsky.actor.profile');
      url.searchParams.set('rkey', 'self');
      const value = ((await this.get(url)) as { value?: { displayName?: unknown; description?: unknown } }).value;
      if (!value) return null;
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      return { displayName: text(value.displayName), description: text(value.description) };
    } catch {
      return null;
    }
  }

  /** The handle the DID document claims (at://handle in alsoKnownAs). */
  async handleOf(did: string): Promise<string | null> {
    try {
      const aka = (await this.document(did)).alsoKnownAs?.find((a) => a.startsWith('at://'));
      return aka ? aka.slice('at://'.length).toLowerCase() : null;
    } catch {
      return null;
    }
  }

  /** Drops the cached DID document (an identity event: a new handle, or a new PDS). */
  forget(did: string): void {
    this.documents.delete(did);
  }

  private async pdsOf(did: string): Promise<string> {
    const service = (await this.document(did)).service?.find((s) => s.id === '#atproto_pds' || s.id === `${did}#atproto_pds`);
    if (typeof service?.serviceEndpoint !== 'string') throw new Error(`${did} names no PDS`);
    return service.serviceEndpoint;
  }

  private document(did: string): Promise<DidDocument> {
    let doc = this.documents.get(did);
    if (!doc) {
      const url = did.startsWith('did:web:') ? new URL(`https://${did.slice('did:web:'.length)}/.well-known/did.json`) : new URL(`/${did}`, this.options.plcUrl);
      doc = this.get(url) as Promise<DidDocument>;
      this.documents.set(did, doc);
      doc.catch(() => this.documents.delete(did));
    }
    return doc;
  }

  private async get(url: URL): Promise<unknown> {
    this.requests.set(url.host, (this.requests.get(url.host) ?? 0) + 1);
    const response = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    // 400 is how a PDS refuses a repo it does not (or no longer) serve; 404/410 a DID that is gone.
    if (response.status === 400 || response.status === 404 || response.status === 410) throw new GoneError(`${url.host} answered ${response.status}`);
    if (!response.ok) throw new Error(`${url.host} answered ${response.status}`);
    return response.json();
  }
}

class GoneError extends Error {}
