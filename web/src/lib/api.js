// The API client: JSON in and out, the session cookie with the CSRF header on unsafe
// methods, and problem+json errors turned into an ApiError with a readable message (the
// problem's `detail`).

export class ApiError extends Error {
  constructor(status, problem, fallback) {
    const detail = problem?.detail || problem?.title || fallback || `HTTP ${status}`;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? null;
    this.code = problem?.code ?? (status === 0 ? 'network' : 'http');
    this.field = problem?.field ?? null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The value of a cookie readable by scripts (cfh_csrf), or null. */
export function readCookie(name, cookieString = globalThis.document?.cookie ?? '') {
  for (const part of cookieString.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      return decodeURIComponent(part.slice(i + 1).trim());
    }
  }
  return null;
}

let csrfToken = null;

/** Remembers the CSRF token answered by login (the cfh_csrf cookie carries it too). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

function csrf() {
  return readCookie('cfh_csrf') || csrfToken;
}

function withQuery(path, query) {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

let onUnauthenticated = null;

/** A callback for 401 answers (the session ended): the apps send the user to sign in. */
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

/**
 * request(method, path, {body, query, raw, contentType, fetchImpl, keepalive}) → the parsed
 * JSON (null for 204). `raw` sends a string or Blob as it is with `contentType` (CSV, images);
 * `keepalive` lets the request outlive the page (the events sent on page hide). Throws
 * ApiError for every non-2xx answer and for network failures; a 429's ApiError carries
 * `retryAfter` (seconds) from its Retry-After header.
 */
export async function request(method, path, opts = {}) {
  const { body, query, raw, contentType, fetchImpl = globalThis.fetch, signal, keepalive } = opts;
  const headers = { Accept: 'application/json' };
  let payload;
  if (raw !== undefined) {
    payload = raw;
    headers['Content-Type'] = contentType;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const m = method.toUpperCase();
  if (UNSAFE.has(m)) {
    const token = csrf();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let res;
  try {
    res = await fetchImpl(withQuery(path, query), {
      method: m, headers, body: payload, credentials: 'same-origin', signal,
      ...(keepalive ? { keepalive: true } : {}),
    });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError(0, null, 'network');
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  } else {
    await res.text().catch(() => '');
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data && typeof data === 'object' ? data : null);
    const retry = Number.parseInt(res.headers.get('Retry-After') ?? '', 10);
    if (Number.isFinite(retry) && retry >= 0) err.retryAfter = retry;
    if (res.status === 401 && onUnauthenticated && !path.startsWith('/api/v1/auth/')) {
      onUnauthenticated(err);
    }
    throw err;
  }
  return data;
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
  raw: (method, path, raw, contentType, opts) =>
    request(method, path, { ...opts, raw, contentType }),
};

/** Signs in; answers the user. */
export async function login(loginName, password) {
  const r = await api.post('/api/v1/auth/login', { login: loginName, password });
  setCsrfToken(r.csrf_token);
  return r.user;
}

export async function logout() {
  try {
    await api.post('/api/v1/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}

/** The signed-in user, or null when there is no session. */
export async function currentUser() {
  try {
    return (await request('GET', '/api/v1/me')).user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** A fresh idempotency key for an order. */
export function newClientOrderId(prefix = 'web') {
  const r = globalThis.crypto?.randomUUID?.()
    ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  return `${prefix}-${r}`;
}
