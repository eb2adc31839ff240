/** Talks to a started server over real HTTP, as any client would. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  /** The raw body, for responses that are not JSON. */
  readonly text: string;
}

export interface RequestOptions {
  readonly apiKey?: string;
  readonly headers?: Record<string, string>;
  readonly method?: 'POST' | 'GET';
}

export async function graphql<T = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  options: RequestOptions = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let response: Response;
  if (options.method === 'GET') {
    const params = new URLSearchParams({ query });
    if (variables) params.set('variables', JSON.stringify(variables));
    response = await fetch(`${baseUrl}/graphql?${params}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  } else {
    response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
  }
  return parse<T>(response);
}

/** Sends a raw body (malformed JSON, wrong content types, huge payloads). */
export async function rawPost(baseUrl: string, body: string, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return parse(response);
}

async function parse<T>(response: Response): Promise<GraphQLResponse<T>> {
  const text = await response.text();
  let json: { data?: T | null; errors?: GraphQLResponse['errors'] } = {};
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the test looks at status and text.
  }
  return { status: response.status, data: json.data, errors: json.errors, text };
}

/** The one error code of a response that must have failed. */
export function errorCode(response: GraphQLResponse): unknown {
  return response.errors?.[0]?.extensions?.code;
}
