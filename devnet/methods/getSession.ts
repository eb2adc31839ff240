/** com.atproto.server.getSession */
import type { XrpcMethod } from './context.js';
import { accountFields } from './session-output.js';

export const getSession: XrpcMethod = {
  nsid: 'com.atproto.server.getSession',
  type: 'query',
  auth: 'access',
  handle: (ctx) => accountFields(ctx),
};
