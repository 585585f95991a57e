// HTTP helpers for the API tests: a JSON client over fetch, a raw client over node:http for
// requests fetch would normalise (dot segments in paths), and the checks every response
// must pass (X-Request-Id; problem+json for errors).

import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/**
 * Sends one request. `body` may be an object (sent as JSON), a string or a Buffer (sent as
 * is). `token` sends a Bearer header; `session` ({cookie, csrf}) sends the cookies and, when
 * `csrf` is true (the default for unsafe methods), the X-CSRF-Token header.
 * Answers {status, headers, text, json}; json is undefined when the body is not JSON.
 */
export async function api(base, method, path, opts = {}) {
  const headers = { ...(opts.headers ?? {}) };
  let body = opts.body;
  if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
    body = JSON.stringify(body);
  }
  if (body !== undefined && !hasHeader(headers, 'content-type') && opts.contentType !== null) {
    headers['Content-Type'] = opts.contentType ?? 'application/json';
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.session) {
    headers.Cookie = `cfh_session=${opts.session.cookie}; cfh_csrf=${opts.session.csrf}`;
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    if (unsafe && opts.csrf !== false) headers['X-CSRF-Token'] = opts.session.csrf;
  }
  const res = await fetch(base + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const out = { status: res.status, headers: res.headers, text, json, method, path };
  assert.ok(res.headers.get('x-request-id'),
    `${method} ${path} → ${res.status} has no X-Request-Id header`);
  return out;
}

function hasHeader(headers, name) {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/**
 * Sends a request with the path exactly as given (node:http does not resolve "..") and
 * headers fetch would refuse. Answers {status, headers (lower-case object), text}.
 */
export function rawRequest(base, method, path, { headers = {}, body } = {}) {
  const url = new URL(base);
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest({
      host: url.hostname, port: url.port, method, path, headers, agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolvePromise({
        status: res.statusCode,
        headers: res.headers,
        text: Buffer.concat(chunks).toString('utf8'),
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Writes `bytes` to a fresh connection and reads the first response, for requests no HTTP
 * client would send (a Content-Length the body never reaches). Resolves to
 * {status, headers (lower-case object), text}, or rejects after `timeoutMs`.
 */
export function socketRequest(base, bytes, timeoutMs = 5000) {
  const url = new URL(base);
  return new Promise((resolvePromise, reject) => {
    const sock = connect(Number(url.port), url.hostname);
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no complete response within ${timeoutMs} ms: ${buf.toString()}`));
    }, timeoutMs);
    const finish = (res) => {
      clearTimeout(timer);
      sock.destroy();
      resolvePromise(res);
    };
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const res = parseResponse(buf);
      if (res) finish(res);
    });
    sock.on('error', (err) => {
      const res = parseResponse(buf);
      if (res) finish(res);
      else { clearTimeout(timer); reject(err); }
    });
    sock.write(bytes);
  });
}

/** Parses one HTTP/1.1 response with a Content-Length; null while incomplete. */
function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buf.length < end + 4 + length) return null;
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    text: buf.subarray(end + 4, end + 4 + length).toString('utf8'),
  };
}

/** One-line description of a response for assertion messages. */
export function describe(res) {
  const body = res.text.length > 400 ? `${res.text.slice(0, 400)}…` : res.text;
  return `${res.method ?? ''} ${res.path ?? ''} → ${res.status} ${body}`;
}

/** Asserts a successful status and answers the JSON body. */
export function expectOk(res, status = 200) {
  assert.equal(res.status, status, `want ${status}: ${describe(res)}`);
  return res.json;
}

/**
 * Asserts that `res` is a problem+json error with the given status (a number or a list of
 * acceptable numbers) and, when given, code (string or list) and field.
 */
export function expectProblem(res, status, code, field) {
  const statuses = Array.isArray(status) ? status : [status];
  assert.ok(statuses.includes(res.status), `want ${statuses.join('|')}: ${describe(res)}`);
  const ctype = res.headers.get('content-type') ?? '';
  assert.match(ctype, /^application\/problem\+json\b/, `content type ${ctype}: ${describe(res)}`);
  const p = res.json;
  assert.ok(p && typeof p === 'object', `problem body is not a JSON object: ${describe(res)}`);
  assert.equal(p.status, res.status, `problem.status differs from HTTP status: ${describe(res)}`);
  assert.equal(typeof p.code, 'string', `problem.code missing: ${describe(res)}`);
  assert.equal(typeof p.title, 'string', `problem.title missing: ${describe(res)}`);
  assert.ok(typeof p.detail === 'string' && p.detail.length > 0,
    `problem.detail missing: ${describe(res)}`);
  assert.equal(p.type, `/problems/${p.code}`, `problem.type: ${describe(res)}`);
  if (p.request_id !== undefined) {
    assert.equal(p.request_id, res.headers.get('x-request-id'), 'request_id ≠ X-Request-Id');
  }
  if (code !== undefined) {
    const codes = Array.isArray(code) ? code : [code];
    assert.ok(codes.includes(p.code), `want code ${codes.join('|')}: ${describe(res)}`);
  }
  if (field !== undefined) {
    assert.equal(p.field, field, `want field '${field}': ${describe(res)}`);
  }
  return p;
}
