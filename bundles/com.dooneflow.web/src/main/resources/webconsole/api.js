// The REST API (/v1), signed in by the console's session cookie (shared by every tab) or by an API token kept in
// this tab; every failure becomes a Problem.

const TOKEN_KEY = 'dooneflow.token';
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

// The session's CSRF token, from POST /v1/session or GET /v1/me: requests that change something repeat it, which
// another site's page cannot (it never sees it). Kept in memory only; a new tab gets it from GET /v1/me.
let csrfToken = null;
export function useCsrfToken(value) {
  csrfToken = value ?? null;
}

// The installation's public URL (DOONEFLOW_PUBLIC_URL, from GET /v1/me): callers and providers may reach it at
// another address than the one this page came from (behind a proxy, say). Unset: this page's address.
let publicUrl = null;
export function usePublicUrl(value) {
  publicUrl = value || null;
}
export const publicOrigin = () => publicUrl ?? location.origin;

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** An RFC 9457 problem answered by the API (or made up when there was no answer). */
export class Problem extends Error {
  constructor(status, body) {
    super(body.detail || body.title || `HTTP ${status}`);
    this.status = status;
    this.title = body.title;
    this.detail = body.detail;
    this.errors = body.errors;
  }
}

let onUnauthorized = () => {};
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** Calls the API; `signingIn` keeps a 401 on the sign-in page instead of returning there. */
export function api(method, path, body, options) {
  return request(method, `/v1${path}`, body, options);
}

/**
 * Delivers a test webhook to a workflow's path as the signed-in member and answers with the finished executions
 * (POST /webhook-test/{path}: outside /v1, but it takes the same bearer token).
 */
export function webhookTest(path, body) {
  return request('POST', `/webhook-test/${path.split('/').map(encodeURIComponent).join('/')}`, body);
}

async function request(method, url, body, { signingIn = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const current = token.get();
  if (current) headers.Authorization = `Bearer ${current}`;
  else if (csrfToken && !SAFE_METHODS.includes(method)) headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
  } catch (e) {
    throw new Problem(0, { title: 'The server could not be reached', detail: e.message });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok) return data;
  if (response.status === 401 && !signingIn) {
    token.clear();
    csrfToken = null;
    onUnauthorized();
  }
  throw new Problem(response.status, data && typeof data === 'object'
    ? data : { title: response.statusText || 'Request failed', detail: `HTTP ${response.status}` });
}

/** Signs in with email and password: the answer sets the session cookie and carries the CSRF token. */
export async function signIn(email, password) {
  token.clear();
  const session = await api('POST', '/session', { email, password }, { signingIn: true });
  useCsrfToken(session.csrfToken);
  return session;
}

/** Ends the console session (and removes its cookie) or forgets this tab's API token. */
export async function signOut() {
  if (token.get()) {
    token.clear();
    return;
  }
  try {
    await api('DELETE', '/session', undefined, { signingIn: true });
  } finally {
    csrfToken = null;
  }
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/**
 * Calls a path relative to the server's root rather than to /v1: a connector's settings resource, which its
 * descriptor names as `v1/organizations/{orgId}/…`.
 */
export function rooted(method, path, body) {
  return request(method, `/${path}`, body);
}

/** Every item of a paged list, following nextCursor (bounded, so a huge list cannot hang the page). */
export function listAll(path, maxPages = 20) {
  return collect(get, path, maxPages);
}

/** listAll() for a path relative to the server's root (see rooted()). */
export function listAllRooted(path, maxPages = 20) {
  return collect((p) => rooted('GET', p), path, maxPages);
}

async function collect(fetchPage, path, maxPages) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const answer = await fetchPage(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...answer.items);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
