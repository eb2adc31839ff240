/** com.atproto.server.describeServer */
import { HANDLE_SUFFIX } from '../names.js';
import type { XrpcMethod } from './context.js';

export const describeServer: XrpcMethod = {
  nsid: 'com.atproto.server.describeServer',
  type: 'query',
  auth: 'none',
  handle: (ctx) => ({
    did: ctx.config.serviceDid,
    availableUserDomains: [`.${HANDLE_SUFFIX}`],
    inviteCodeRequired: true,
    phoneVerificationRequired: false,
    links: {},
    contact: {},
  }),
};
