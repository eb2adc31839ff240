/** The account fields createSession, refreshSession and getSession all return. */
import type { MethodContext } from './context.js';

/** A DID document pointing at this server, so `AtpAgent` keeps talking to the URL it used. */
export function didDoc(ctx: MethodContext): Record<string, unknown> {
  const { did, handle } = ctx.account;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    alsoKnownAs: [`at://${handle}`],
    verificationMethod: [],
    service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: ctx.publicUrl }],
  };
}

export function accountFields(ctx: MethodContext): Record<string, unknown> {
  return {
    handle: ctx.account.handle,
    did: ctx.account.did,
    didDoc: didDoc(ctx),
    email: `${ctx.account.handle.split('.')[0]}@devnet.test`,
    emailConfirmed: true,
    emailAuthFactor: false,
    active: true,
  };
}
