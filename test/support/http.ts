/** Small JSON-over-HTTP helpers on Node's fetch: the tests speak to the API as a client would. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends `body` as JSON (a string as it is) and reads the answer as text (the tests', the benches'). */
export async function sendJson(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { response, text: await response.text() };
}

export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const { response, text } = await sendJson(baseUrl, method, path, body, headers);
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as T) : (undefined as T) };
}

/** Signs in as a person would (session cookie + CSRF token): the headers to send afterwards. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<Record<string, string>> {
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { csrfToken?: string };
  if (response.status !== 200 || !body.csrfToken) throw new Error(`sign-in refused (${response.status}): ${JSON.stringify(body)}`);
  const cookie = (response.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  return { cookie, 'x-csrf-token': body.csrfToken };
}
