/**
 * PLC-style DID resolution (`GET /<did>` as on plc.directory) for live and static devnets: the
 * document names the account's current handle and the devnet itself as its PDS, which is where
 * a watcher calls com.atproto.repo.listRecords.
 */
import type { LiveCommunity } from './live-community.js';

export interface DidDocument {
  '@context': string[];
  id: string;
  alsoKnownAs: string[];
  verificationMethod: unknown[];
  service: Array<{ id: string; type: string; serviceEndpoint: string }>;
}

export type DidResolution = { status: 200; document: DidDocument } | { status: 404 | 410; message: string };

export function didDocument(did: string, handle: string, pdsUrl: string): DidDocument {
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1', 'https://w3id.org/security/suites/secp256k1-2019/v1'],
    id: did,
    alsoKnownAs: [`at://${handle}`],
    verificationMethod: [],
    service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: pdsUrl }],
  };
}

/** Deleted accounts answer 410 like a tombstoned PLC entry; unknown DIDs 404. */
export function resolveDid(live: LiveCommunity, did: string, pdsUrl: string): DidResolution {
  if (did === live.base.crawler.did) return { status: 200, document: didDocument(did, live.base.crawler.handle, pdsUrl) };
  const actor = live.actor(did);
  if (!actor) return { status: 404, message: `DID not registered: ${did}` };
  if (actor.status === 'deleted') return { status: 410, message: `DID not available: ${did}` };
  return { status: 200, document: didDocument(did, actor.handle, pdsUrl) };
}
