/**
 * GraphQL subscriptions over graphql-ws, on the HTTP server's /graphql path (WebSocket upgrade).
 * Only subscriptions travel here (queries and mutations stay on HTTP, with their limits and key
 * rules); when API_KEY is set a connection must show it, in connection_init's `authorization`
 * (`Bearer <key>`) or the upgrade request's Authorization header. Host checks apply as on HTTP.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, OperationTypeNode, getOperationAST, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logging/logger.js';
import type { ApiContext } from '../resolvers/context.js';
import type { ApiKey } from './api-key.js';
import { createErrorFormatter } from './error-format.js';
import { hostAllowed } from './host-check.js';
import { depthLimit } from './query-limits.js';

/** A subscription document is a few lines; this bounds the parser's work on a hostile one. */
const MAX_SUBSCRIPTION_TOKENS = 2_000;

export interface SubscriptionServerOptions {
  readonly httpServer: HttpServer;
  readonly schema: GraphQLSchema;
  readonly apiKey: ApiKey;
  readonly allowedHosts: ReadonlySet<string>;
  readonly maxDepth: number;
  readonly production: boolean;
  readonly logger: Logger;
  readonly context: (authenticated: boolean) => ApiContext;
}

export function attachSubscriptions(options: SubscriptionServerOptions): { close(): Promise<void> } {
  const { apiKey, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const formatError = createErrorFormatter({ production: options.production, logger });
  const authenticated = new WeakMap<IncomingMessage, boolean>();

  const disposable = useServer<{ authorization?: unknown }>(
    {
      schema: options.schema,
      validate: (schema, document) => validate(schema, document, [...specifiedRules, depthLimit(options.maxDepth)]),
      onConnect: (ctx) => {
        const shown = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : ctx.extra.request.headers.authorization;
        const ok = apiKey.accepts(shown);
        authenticated.set(ctx.extra.request, ok);
        // false closes the socket with 4403 Forbidden.
        return !apiKey.required || ok;
      },
      // Before anything runs: a mutation sent here must not execute.
      onSubscribe: (_ctx, _id, payload) => {
        let operation;
        try {
          operation = getOperationAST(parse(payload.query, { maxTokens: MAX_SUBSCRIPTION_TOKENS }), payload.operationName ?? undefined);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError((err as Error).message)];
        }
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) {
          return [new GraphQLError('only subscriptions are served over WebSocket: send queries and mutations to POST /graphql', { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        return undefined;
      },
      context: (ctx) => options.context(authenticated.get(ctx.extra.request) === true),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : undefined),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
  );

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/graphql' && path !== '/graphql/') return refuse(socket, 404, 'Not Found');
    if (!hostAllowed(options.allowedHosts, req.headers.host)) return refuse(socket, 421, 'Misdirected Request');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  options.httpServer.on('upgrade', onUpgrade);

  return {
    close: async () => {
      options.httpServer.off('upgrade', onUpgrade);
      // 1001 Going Away: clients reconnect to the next server.
      for (const client of wss.clients) client.close(1001, 'server stopping');
      await disposable.dispose();
      await new Promise<void>((done) => wss.close(() => done()));
    },
  };
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
