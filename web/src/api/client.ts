/**
 * The one door to the API: POST /graphql on the page's own origin. Errors keep the server's
 * `extensions.code` (BAD_USER_INPUT, NOT_FOUND, UNAUTHENTICATED, …) so the UI can say what went wrong.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    /** The server's `extensions.reason`, e.g. GRAPHQL_VALIDATION_FAILED behind BAD_USER_INPUT. */
    readonly reason: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }>;
}

const API_KEY_STORAGE = 'bsky-graph:api-key';

/** With API_KEY set on the server, mutations and export downloads need the key; the user types it once per tab. */
export const apiKey = {
  get(): string | null {
    return sessionStorage.getItem(API_KEY_STORAGE);
  },
  set(key: string | null): void {
    if (key) sessionStorage.setItem(API_KEY_STORAGE, key);
    else sessionStorage.removeItem(API_KEY_STORAGE);
  },
  headers(): Record<string, string> {
    const key = this.get();
    return key ? { authorization: `Bearer ${key}` } : {};
  },
};

export function graphqlUrl(): string {
  return new URL('/graphql', window.location.origin).toString();
}

export async function graphql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(graphqlUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...apiKey.headers() },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(`The server did not answer (${(err as Error).message})`, 'NETWORK', 0);
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError(`The server answered ${response.status} without GraphQL`, 'INTERNAL', response.status);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL', response.status, first.extensions?.reason ?? null);
  if (!body.data) throw new ApiError(`Empty answer (HTTP ${response.status})`, 'INTERNAL', response.status);
  return body.data;
}
