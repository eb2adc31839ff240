/**
 * A member's follow records read from its own repository, the crawl mode BSKY_FOLLOWS_FROM=repo:
 * the DID document (PLC directory, or did:web) names the member's PDS, and that PDS's
 * `com.atproto.repo.listRecords` lists `app.bsky.graph.follow` records with rkey, subject and
 * createdAt — what the AppView's getFollows leaves out, and what a later Jetstream delete (an rkey
 * alone) is matched against. Every PDS host, and the PLC directory, gets its own XrpcTransport and
 * so its own budget, retries and 429 handling: a PDS's limit is per host, not the AppView's.
 */
import { AtpAgent } from '@atproto/api';
import { AccountGoneError } from './xrpc-errors.js';
import type { XrpcTransport } from './xrpc-transport.js';

export const FOLLOW_COLLECTION = 'app.bsky.graph.follow';
export const RECORDS_PER_PAGE = 100;

export interface FollowRecord {
  readonly rkey: string;
  readonly subject: string;
  /** As the record states it; other software writes this field, so it is checked where it is used. */
  readonly createdAt: string | null;
}

export interface FollowRecordsPage {
  readonly records: FollowRecord[];
  readonly cursor: string | undefined;
}

interface DidDocument {
  readonly service?: Array<{ id?: string; serviceEndpoint?: unknown }>;
}

const DID_PLC = /^did:plc:[a-z2-7]{24}$/;
const DID_WEB = /^did:web:[a-zA-Z0-9.-]+(%3A\d+)?$/;

export class RepoRecords {
  private readonly documents = new Map<string, Promise<string>>();
  private readonly hosts = new Map<string, { agent: AtpAgent; transport: XrpcTransport }>();
  private readonly plcTransport: XrpcTransport & { host: string };

  constructor(
    private readonly plcUrl: string,
    /** A new transport (own budget) for one host. */
    private readonly transportFor: (host: string) => XrpcTransport,
  ) {
    this.plcTransport = Object.assign(transportFor(new URL(plcUrl).host), { host: new URL(plcUrl).host });
  }

  /** Every transport made so far (the PLC directory's and one per PDS host), for the request counts. */
  transports(): XrpcTransport[] {
    return [this.plcTransport, ...[...this.hosts.values()].map((h) => h.transport)];
  }

  /** PDS hosts seen so far and the requests each was sent. */
  requestsByHost(): Record<string, number> {
    return Object.fromEntries([...this.hosts].map(([host, h]) => [host, h.transport.stats.requests]));
  }

  /** One page of the member's follow records, oldest rkey first is not promised: the PDS's order. */
  async followRecords(did: string, cursor: string | undefined): Promise<FollowRecordsPage> {
    const pds = await this.pdsOf(did);
    const res = await this.agentFor(pds).com.atproto.repo.listRecords({ repo: did, collection: FOLLOW_COLLECTION, limit: RECORDS_PER_PAGE, cursor });
    const records: FollowRecord[] = [];
    for (const r of res.data.records) {
      const rkey = r.uri.slice(r.uri.lastIndexOf('/') + 1);
      const value = r.value as { subject?: unknown; createdAt?: unknown };
      // A record that names no DID is not a follow anyone can see: skipped, as the AppView does.
      if (!rkey || typeof value.subject !== 'string' || !value.subject.startsWith('did:')) continue;
      records.push({ rkey, subject: value.subject, createdAt: typeof value.createdAt === 'string' ? value.createdAt.slice(0, 64) : null });
    }
    // A PDS returns a cursor with every non-empty page: the list ends at an empty one.
    return { records, cursor: res.data.records.length > 0 ? res.data.cursor || undefined : undefined };
  }

  private pdsOf(did: string): Promise<string> {
    let pds = this.documents.get(did);
    if (!pds) {
      pds = this.resolve(did);
      this.documents.set(did, pds);
      pds.catch(() => this.documents.delete(did));
    }
    return pds;
  }

  private async resolve(did: string): Promise<string> {
    let url: URL;
    if (DID_PLC.test(did)) url = new URL(`/${did}`, this.plcUrl);
    else if (DID_WEB.test(did)) url = new URL(`https://${decodeURIComponent(did.slice('did:web:'.length))}/.well-known/did.json`);
    else throw new AccountGoneError(did, 'not a did:plc or did:web identifier');
    const transport = url.host === this.plcTransport.host ? this.plcTransport : this.pdsHost(url.host).transport;
    const response = await transport.fetch(url);
    if (response.status === 404 || response.status === 410) throw new AccountGoneError(did, `its DID document is gone (${response.status})`);
    if (!response.ok) throw new Error(`resolving ${did} at ${url.host} answered ${response.status}`);
    const doc = (await response.json()) as DidDocument;
    const service = doc.service?.find((s) => s.id === '#atproto_pds' || s.id === `${did}#atproto_pds`);
    if (typeof service?.serviceEndpoint !== 'string' || !/^https?:\/\//.test(service.serviceEndpoint)) {
      throw new AccountGoneError(did, 'its DID document names no PDS');
    }
    return service.serviceEndpoint;
  }

  private agentFor(pds: string): AtpAgent {
    return this.pdsHost(new URL(pds).host, pds).agent;
  }

  /** One transport and agent per host (a did:web host serving its own document counts as one). */
  private pdsHost(host: string, service = `https://${host}`): { agent: AtpAgent; transport: XrpcTransport } {
    let h = this.hosts.get(host);
    if (!h) {
      const transport = this.transportFor(host);
      h = { agent: new AtpAgent({ service, fetch: transport.fetch }), transport };
      this.hosts.set(host, h);
    }
    return h;
  }
}
