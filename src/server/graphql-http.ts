/**
 * node:http ⇄ Apollo Server without a framework: read and size-check the body, hand Apollo an
 * HTTPGraphQLRequest, write back what it answers (compressed when the client accepts it). Apollo's own checks (CSRF prevention, GET only
 * for queries, content negotiation) stay in force.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { ApiContext } from '../resolvers/context.js';
import { endCompressed } from './compression.js';
import { BodyTooLargeError, readBody, sendError } from './http-responses.js';

export interface GraphQLHttpLimits {
  /** Largest request body (query + variables), bytes. */
  readonly maxBodyBytes: number;
  /** Largest query document, characters. */
  readonly maxQueryChars: number;
}

export async function handleGraphQL(
  apollo: ApolloServer<ApiContext>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  limits: GraphQLHttpLimits,
  context: () => Promise<ApiContext>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }

  let body: unknown;
  if (req.method === 'POST') {
    let raw: Buffer;
    try {
      raw = await readBody(req, limits.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        return sendError(res, 413, 'BAD_USER_INPUT', err.message, { reason: 'BODY_TOO_LARGE', headers: { connection: 'close' } });
      }
      throw err;
    }
    const type = headers.get('content-type') ?? '';
    if (/^application\/(graphql-response\+)?json\b/i.test(type) || /\+json\b/i.test(type)) {
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        return sendError(res, 400, 'BAD_USER_INPUT', 'the request body is not valid JSON', { reason: 'MALFORMED_BODY' });
      }
    } else {
      body = raw.toString('utf8');
    }
  }

  const query = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { query?: unknown }).query : url.searchParams.get('query');
  if (typeof query === 'string' && query.length > limits.maxQueryChars) {
    return sendError(res, 400, 'BAD_USER_INPUT', `the query document is ${query.length} characters; the limit is ${limits.maxQueryChars}`, {
      reason: 'QUERY_TOO_LARGE',
    });
  }

  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
    context,
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  // Answers change with every ingest (GET queries included): no cache may keep them.
  res.setHeader('cache-control', 'no-store');
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') return endCompressed(req, res, response.body.string);
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
