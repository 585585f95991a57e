// Table-driven hostile and malformed input. Every row is a request that must be refused with
// the right status and problem code, and must leave the database exactly as it was. The
// rows after the table check data that must be stored verbatim, paths that try to leave the
// web root, and the per-IP rate limit.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe as suite, test } from 'node:test';

import { expectDocumented, loadOpenApi } from './lib/contract.mjs';
import { api, expectOk, expectProblem, rawRequest, socketRequest } from './lib/http.mjs';
import {
  createInstitution, instInvite, institutionWithAdmin, investorSession, login, operatorSession,
  register, unique, uniqueMobile,
} from './lib/fixtures.mjs';
import { SECRET_MARKER, STATIC_INDEX, fileServer, startServer } from './lib/server.mjs';

const BODY_MAX = 64 * 1024;

const srv = await fileServer();
const base = srv.base;
const ops = await operatorSession(srv, 'ops_admin');
const investor = await investorSession(base);
const { inst, admin } = await institutionWithAdmin(base, ops.token);
const colleague = await instInvite(base, admin.token, 'inst_operator');

const TOKENS = { investor: investor.token, ops: ops.token, admin: admin.token };
const doc = await loadOpenApi(base);

// Everything a refused request could have changed, in one comparable string.
const SNAPSHOT_SQL = `
SELECT 'users', id, login, role, status, display_name, institution_id FROM users ORDER BY id;
SELECT 'inst', id, name, short_name, status, updated_ms FROM institutions ORDER BY id;
SELECT 'history', count(*) FROM institution_status_history;
SELECT 'invites', count(*), count(used_ms) FROM invites;
SELECT 'sessions', count(*) FROM sessions;
SELECT 'audit', count(*), max(seq) FROM audit_log;`;
const snapshot = () => srv.sql(SNAPSHOT_SQL);

const reg = (extra = {}) => ({ mobile: uniqueMobile(), password: 'Valid-pass-1', ...extra });
const regPath = '/api/v1/auth/register';
const instPath = '/api/v1/ops/institutions';
const statusPath = `/api/v1/ops/institutions/${inst.id}/status`;
const invitePath = `/api/v1/ops/institutions/${inst.id}/staff`;
const staffPath = `/api/v1/inst/staff/${colleague.user.id}`;
const goodInst = () => ({ name: unique('坏输入基金'), short_name: '坏输入', type: 'bank' });
const goodInvite = () => ({ login: unique('bad.'), display_name: '某人', role: 'inst_operator' });

/** A register body of exactly `size` bytes: a valid object padded in display_name. */
function registerBodyOfSize(size) {
  const head = `{"mobile":"${uniqueMobile()}","password":"Valid-pass-1","display_name":"`;
  return head + 'x'.repeat(size - head.length - 2) + '"}';
}

/** A register body whose display_name holds the given raw bytes. */
function registerWithNameBytes(bytes) {
  return Buffer.concat([
    Buffer.from(`{"mobile":"${uniqueMobile()}","password":"Valid-pass-1","display_name":"ab`),
    Buffer.from(bytes),
    Buffer.from('cd"}'),
  ]);
}

// Rows: [name, request, status(es), code(s), field]. A request is
// {method, path, auth, body, headers, contentType}; `body` objects are sent as JSON.
const ROWS = [
  // Not JSON.
  ['truncated JSON', { method: 'POST', path: regPath,
    body: '{"mobile": "13800000001", "password": ' }, 400, 'bad_json'],
  ['trailing comma', { method: 'POST', path: regPath,
    body: '{"mobile": "13800000001", "password": "Valid-pass-1",}' }, 400, 'bad_json'],
  ['single quotes', { method: 'POST', path: regPath,
    body: "{'mobile': '13800000001', 'password': 'Valid-pass-1'}" }, 400, 'bad_json'],
  ['bare word', { method: 'POST', path: regPath, body: 'hello' }, 400, 'bad_json'],
  ['empty body', { method: 'POST', path: regPath, body: '' }, 400, 'bad_json'],
  ['two JSON values', { method: 'POST', path: regPath,
    body: '{"mobile":"13800000001","password":"Valid-pass-1"} {}' }, 400, 'bad_json'],
  ['NaN literal', { method: 'POST', path: '/api/v1/ops/institutions', auth: 'ops',
    body: '{"name": NaN}' }, 400, 'bad_json'],
  ['an array, not an object', { method: 'POST', path: regPath, body: '[]' }, [400, 422]],
  ['a string, not an object', { method: 'POST', path: regPath, body: '"x"' }, [400, 422]],
  ['null, not an object', { method: 'POST', path: regPath, body: 'null' }, [400, 422]],
  ['nesting deeper than the limit', { method: 'POST', path: regPath,
    body: `{"display_name":${'['.repeat(100)}${']'.repeat(100)}}` }, [400, 413, 422]],
  ['duplicate keys', { method: 'POST', path: regPath,
    body: `{"mobile":"${uniqueMobile()}","mobile":"${uniqueMobile()}",` +
      '"password":"Valid-pass-1"}' }, [400, 422]],
  ['NUL escaped in a string', { method: 'POST', path: regPath,
    body: `{"mobile":"${uniqueMobile()}","password":"Valid-pass-1",` +
      '"display_name":"a\\u0000b"}' }, [400, 422]],

  // Wrong types.
  ['mobile as a number', { method: 'POST', path: regPath,
    body: { mobile: 13800000001, password: 'Valid-pass-1' } }, 422, 'invalid_field', 'mobile'],
  ['password as an array', { method: 'POST', path: regPath,
    body: reg({ password: ['Valid-pass-1'] }) }, 422, 'invalid_field', 'password'],
  ['display_name as an object', { method: 'POST', path: regPath,
    body: reg({ display_name: { zh: '张三' } }) }, 422, 'invalid_field', 'display_name'],
  ['display_name as null', { method: 'POST', path: regPath,
    body: reg({ display_name: null }) }, 422, 'invalid_field', 'display_name'],
  ['login as a boolean', { method: 'POST', path: '/api/v1/auth/login',
    body: { login: true, password: 'x' } }, 422, 'invalid_field', 'login'],
  ['institution type as a number', { method: 'POST', path: instPath, auth: 'ops',
    body: { ...goodInst(), type: 1 } }, 422, 'invalid_field', 'type'],
  ['reason as a number', { method: 'POST', path: statusPath, auth: 'ops',
    body: { status: 'pilot', reason: 42 } }, 422, 'invalid_field', 'reason'],
  ['role as null', { method: 'POST', path: invitePath, auth: 'ops',
    body: { ...goodInvite(), role: null } }, 422, ['invalid_field', 'missing_field'], 'role'],
  ['patch role as a number', { method: 'PATCH', path: staffPath, auth: 'admin',
    body: { role: 3 } }, 422, 'invalid_field', 'role'],
  ['new_password as a number', { method: 'POST', path: '/api/v1/me/password',
    auth: 'investor', body: { current_password: 'Investor-pass-1', new_password: 12345678 } },
  422, 'invalid_field', 'new_password'],

  // Missing fields.
  ['register without password', { method: 'POST', path: regPath,
    body: { mobile: uniqueMobile() } }, 422, 'missing_field', 'password'],
  ['register without mobile', { method: 'POST', path: regPath,
    body: { password: 'Valid-pass-1' } }, 422, 'missing_field', 'mobile'],
  ['register with {}', { method: 'POST', path: regPath, body: {} }, 422, 'missing_field'],
  ['login without login', { method: 'POST', path: '/api/v1/auth/login',
    body: { password: 'Valid-pass-1' } }, 422, 'missing_field', 'login'],
  ['login without password', { method: 'POST', path: '/api/v1/auth/login',
    body: { login: investor.user.login } }, 422, 'missing_field', 'password'],
  ['institution without short_name', { method: 'POST', path: instPath, auth: 'ops',
    body: { name: unique('缺字段'), type: 'bank' } }, 422, 'missing_field', 'short_name'],
  ['status without reason', { method: 'POST', path: statusPath, auth: 'ops',
    body: { status: 'pilot' } }, 422, 'missing_field', 'reason'],
  ['invite without role', { method: 'POST', path: invitePath, auth: 'ops',
    body: { login: unique('m.'), display_name: 'x' } }, 422, 'missing_field', 'role'],
  ['accept-invite without token', { method: 'POST', path: '/api/v1/auth/accept-invite',
    body: { password: 'Valid-pass-1' } }, 422, 'missing_field', 'token'],
  ['password change without new_password', { method: 'POST', path: '/api/v1/me/password',
    auth: 'investor', body: { current_password: 'Investor-pass-1' } },
  422, 'missing_field', 'new_password'],

  // Unknown fields: no way to smuggle in a role, a status or an institution.
  ['register with role', { method: 'POST', path: regPath,
    body: reg({ role: 'ops_admin' }) }, 422, 'unknown_field', 'role'],
  ['register with kind', { method: 'POST', path: regPath,
    body: reg({ kind: 'operator' }) }, 422, 'unknown_field', 'kind'],
  ['register with institution_id', { method: 'POST', path: regPath,
    body: reg({ institution_id: inst.id }) }, 422, 'unknown_field', 'institution_id'],
  ['register with Mobile (case differs)', { method: 'POST', path: regPath,
    body: reg({ Mobile: '13800000009' }) }, 422, 'unknown_field', 'Mobile'],
  ['login with remember', { method: 'POST', path: '/api/v1/auth/login',
    body: { login: investor.user.login, password: 'Investor-pass-1', remember: true } },
  422, 'unknown_field', 'remember'],
  ['institution with status', { method: 'POST', path: instPath, auth: 'ops',
    body: { ...goodInst(), status: 'live' } }, 422, 'unknown_field', 'status'],
  ['institution with demo', { method: 'POST', path: instPath, auth: 'ops',
    body: { ...goodInst(), demo: true } }, 422, 'unknown_field', 'demo'],
  ['status with by_user_id', { method: 'POST', path: statusPath, auth: 'ops',
    body: { status: 'pilot', reason: 'x', by_user_id: '1' } }, 422, 'unknown_field',
  'by_user_id'],
  ['inst invite with institution_id', { method: 'POST', path: '/api/v1/inst/staff',
    auth: 'admin', body: { ...goodInvite(), institution_id: '1' } }, 422, 'unknown_field',
  'institution_id'],
  ['password change with user_id', { method: 'POST', path: '/api/v1/me/password',
    auth: 'investor', body: { current_password: 'Investor-pass-1',
      new_password: 'Other-pass-2', user_id: ops.user.id } }, 422, 'unknown_field', 'user_id'],

  // Values outside the field rules.
  ...[['second digit 2', '12000000000'], ['10 digits', '1380000000'],
    ['12 digits', '138000000001'], ['letters', '1380000000a'], ['plus sign', '+8613800000000'],
    ['spaces', '138 0000 0000'], ['full-width digits', '１３８００００００００'],
    ['1000 digits', '1'.repeat(1000)], ['SQL', "' OR 1=1 --"],
    ['SQL drop', '"; DROP TABLE users; --']]
    .map(([why, mobile]) => [`mobile: ${why}`, { method: 'POST', path: regPath,
      body: reg({ mobile }) }, 422, 'invalid_field', 'mobile']),
  ...[['7 bytes', 'abcde12'], ['letters only', 'abcdefghij'], ['digits only', '1234567890'],
    ['129 bytes', `a1${'x'.repeat(127)}`], ['131 bytes in 45 characters', `a1${'密'.repeat(43)}`],
    ['1000 bytes', `a1${'x'.repeat(998)}`]]
    .map(([why, password]) => [`password: ${why}`, { method: 'POST', path: regPath,
      body: reg({ password }) }, 422, 'invalid_field', 'password']),
  ['display_name empty', { method: 'POST', path: regPath,
    body: reg({ display_name: '' }) }, 422, 'invalid_field', 'display_name'],
  ['display_name 65 characters', { method: 'POST', path: regPath,
    body: reg({ display_name: '名'.repeat(65) }) }, 422, 'invalid_field', 'display_name'],
  ['display_name 10000 characters', { method: 'POST', path: regPath,
    body: reg({ display_name: 'x'.repeat(10000) }) }, 422, 'invalid_field', 'display_name'],
  ['institution name 1 character', { method: 'POST', path: instPath, auth: 'ops',
    body: { ...goodInst(), name: '博' } }, 422, 'invalid_field', 'name'],
  ['institution name 65 characters', { method: 'POST', path: instPath, auth: 'ops',
    body: { ...goodInst(), name: '基'.repeat(65) } }, 422, 'invalid_field', 'name'],
  ['short_name empty', { method: 'POST', path: instPath, auth: 'ops',
    body: { ...goodInst(), short_name: '' } }, 422, 'invalid_field', 'short_name'],
  ['short_name 17 characters', { method: 'POST', path: instPath, auth: 'ops',
    body: { ...goodInst(), short_name: '短'.repeat(17) } }, 422, 'invalid_field', 'short_name'],
  ['institution type unknown', { method: 'POST', path: instPath, auth: 'ops',
    body: { ...goodInst(), type: 'hedge_fund' } }, 422, 'invalid_field', 'type'],
  ['staff display_name 65 characters', { method: 'POST', path: invitePath, auth: 'ops',
    body: { ...goodInvite(), display_name: 'n'.repeat(65) } }, 422, 'invalid_field',
  'display_name'],
  ['staff login with SQL', { method: 'POST', path: invitePath, auth: 'ops',
    body: { ...goodInvite(), login: "a' OR '1'='1" } }, 422, 'invalid_field', 'login'],
  ['login with SQL is just a wrong login', { method: 'POST', path: '/api/v1/auth/login',
    body: { login: "' OR 1=1 --", password: "' OR '1'='1" } }, [401, 422],
  ['invalid_credentials', 'invalid_field']],
  ['login with a comment trick', { method: 'POST', path: '/api/v1/auth/login',
    body: { login: `${investor.user.login}'--`, password: 'x' } }, [401, 422],
  ['invalid_credentials', 'invalid_field']],

  // Size.
  ['body one byte over 64 KiB', { method: 'POST', path: regPath,
    body: registerBodyOfSize(BODY_MAX + 1) }, 413, 'body_too_large'],
  ['body of 1 MiB', { method: 'POST', path: regPath,
    body: registerBodyOfSize(1024 * 1024) }, 413, 'body_too_large'],
  ['body of exactly 64 KiB is read (and its display_name refused)', { method: 'POST',
    path: regPath, body: registerBodyOfSize(BODY_MAX) }, 422, 'invalid_field', 'display_name'],

  // Encoding.
  ['0xFF in a string', { method: 'POST', path: regPath,
    body: registerWithNameBytes([0xff]) }, 400, 'invalid_utf8'],
  ['overlong "/" (C0 AF)', { method: 'POST', path: regPath,
    body: registerWithNameBytes([0xc0, 0xaf]) }, 400, 'invalid_utf8'],
  ['UTF-8 encoded surrogate (ED A0 80)', { method: 'POST', path: regPath,
    body: registerWithNameBytes([0xed, 0xa0, 0x80]) }, 400, 'invalid_utf8'],
  ['truncated sequence (E5 AF)', { method: 'POST', path: regPath,
    body: registerWithNameBytes([0xe5, 0xaf]) }, 400, 'invalid_utf8'],
  ['code point above U+10FFFF (F4 90 80 80)', { method: 'POST', path: regPath,
    body: registerWithNameBytes([0xf4, 0x90, 0x80, 0x80]) }, 400, 'invalid_utf8'],
  ['0xFF in a key', { method: 'POST', path: regPath,
    body: Buffer.concat([Buffer.from('{"mob'), Buffer.from([0xff]),
      Buffer.from('ile":"13800000001","password":"Valid-pass-1"}')]) }, 400, 'invalid_utf8'],
  ['lone surrogate escape', { method: 'POST', path: regPath,
    body: `{"mobile":"${uniqueMobile()}","password":"Valid-pass-1",` +
      '"display_name":"a\\ud800b"}' }, 400, ['bad_json', 'invalid_utf8']],

  // Media type.
  ['text/plain body', { method: 'POST', path: regPath, body: reg(),
    contentType: 'text/plain' }, 415, 'unsupported_media_type'],
  ['no Content-Type', { method: 'POST', path: regPath, body: reg(), contentType: null },
    415, 'unsupported_media_type'],
  ['form-encoded body', { method: 'POST', path: regPath,
    body: 'mobile=13800000001&password=Valid-pass-1',
    contentType: 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
  ['multipart body', { method: 'POST', path: instPath, auth: 'ops', body: goodInst(),
    contentType: 'multipart/form-data; boundary=x' }, 415, 'unsupported_media_type'],
  ['application/jsonx', { method: 'POST', path: regPath, body: reg(),
    contentType: 'application/jsonx' }, 415, 'unsupported_media_type'],
  ['PATCH as text/plain', { method: 'PATCH', path: staffPath, auth: 'admin',
    body: { role: 'inst_compliance' }, contentType: 'text/plain' }, 415,
  'unsupported_media_type'],

  // Credentials.
  ['forged token (random 64 hex)', { method: 'GET', path: '/api/v1/me',
    headers: { Authorization: `Bearer ${randomBytes(32).toString('hex')}` } }, 401,
  'unauthenticated'],
  ['forged token on an operator route', { method: 'POST', path: instPath, body: goodInst(),
    headers: { Authorization: `Bearer ${randomBytes(32).toString('hex')}` } }, 401,
  'unauthenticated'],
  ['forged cookie', { method: 'GET', path: '/api/v1/me',
    headers: { Cookie: `cfh_session=${randomBytes(32).toString('hex')}` } }, 401,
  'unauthenticated'],
  ['cookie with SQL', { method: 'GET', path: '/api/v1/me',
    headers: { Cookie: "cfh_session=' OR 1=1 --" } }, [400, 401]],
  ...[['"Bearer" alone', 'Bearer'], ['"Bearer " and nothing', 'Bearer '],
    ['Basic scheme', 'Basic dXNlcjpwYXNz'], ['63 hex digits', `Bearer ${'a'.repeat(63)}`],
    ['65 hex digits', `Bearer ${'a'.repeat(65)}`], ['64 non-hex', `Bearer ${'z'.repeat(64)}`],
    ['a real token with junk after it', `Bearer ${investor.token} junk`],
    ['a real token twice', `Bearer ${investor.token}${investor.token}`],
    ['SQL', "Bearer ' OR 1=1 --"], ['4000 characters', `Bearer ${'b'.repeat(4000)}`]]
    .map(([why, value]) => [`Authorization: ${why}`, { method: 'GET', path: '/api/v1/me',
      headers: { Authorization: value } }, [400, 401], ['bad_request', 'unauthenticated']]),

  // Routes and methods.
  ['unknown route', { method: 'GET', path: '/api/v1/nope' }, 404, 'not_found'],
  ['unknown route with a body', { method: 'POST', path: '/api/v1/nope', body: {} }, 404,
    'not_found'],
  ['unknown route under a known one', { method: 'GET', auth: 'ops',
    path: `/api/v1/ops/institutions/${inst.id}/bogus` }, 404, 'not_found'],
  ['/api/v1 itself', { method: 'GET', path: '/api/v1' }, 404, 'not_found'],
  ['DELETE /api/v1/me', { method: 'DELETE', path: '/api/v1/me', auth: 'investor' }, 405,
    'method_not_allowed', undefined, ['GET']],
  ['PUT /api/v1/ops/institutions', { method: 'PUT', path: instPath, auth: 'ops',
    body: goodInst() }, 405, 'method_not_allowed', undefined, ['GET', 'POST']],
  ['GET /api/v1/auth/login', { method: 'GET', path: '/api/v1/auth/login' }, 405,
    'method_not_allowed', undefined, ['POST']],
  ['GET /api/v1/inst/staff/{id}', { method: 'GET', path: staffPath, auth: 'admin' }, 405,
    'method_not_allowed', undefined, ['PATCH']],
  ['DELETE /api/v1/ops/institutions/{id}', { method: 'DELETE', auth: 'ops',
    path: `/api/v1/ops/institutions/${inst.id}` }, 405, 'method_not_allowed', undefined,
  ['GET']],

  // Path ids and query parameters.
  ...['abc', '-1', '1e3', '0x1f', '99999999999999999999', '1%20OR%201=1', '%00', '12abc']
    .map((id) => [`institution id ${id}`, { method: 'GET', auth: 'ops',
      path: `/api/v1/ops/institutions/${id}` }, 400, 'bad_request']),
  ['staff id with SQL', { method: 'PATCH', auth: 'admin',
    path: "/api/v1/inst/staff/1'%20OR%20'1'='1", body: { role: 'inst_admin' } }, 400,
  'bad_request'],
  ['?status=bogus', { method: 'GET', auth: 'ops', path: `${instPath}?status=bogus` }, 400,
    'bad_request'],
  ['?status= with SQL', { method: 'GET', auth: 'ops',
    path: `${instPath}?status=live'%20OR%20'1'='1` }, 400, 'bad_request'],
  ['?limit=abc', { method: 'GET', auth: 'ops', path: '/api/v1/ops/audit?limit=abc' }, 400,
    'bad_request'],
  ['?after_seq=-1', { method: 'GET', auth: 'ops', path: '/api/v1/ops/audit?after_seq=-1' },
    400, 'bad_request'],
  ['?after_seq beyond 64 bits', { method: 'GET', auth: 'ops',
    path: '/api/v1/ops/audit?after_seq=99999999999999999999999' }, 400, 'bad_request'],
];

function send(req) {
  const headers = { ...(req.headers ?? {}) };
  return api(base, req.method, req.path, {
    body: req.body,
    headers,
    token: req.auth ? TOKENS[req.auth] : undefined,
    contentType: req.contentType,
  });
}

suite('refused requests change nothing', () => {
  for (const [name, req, status, code, field, allow] of ROWS) {
    test(name, async () => {
      const before = await snapshot();
      const res = await send(req);
      const p = expectProblem(res, status, code, field);
      expectDocumented(doc, res);
      if (p.code === 'bad_json') {
        assert.ok(Number.isInteger(p.line) && p.line >= 1, `bad_json line: ${res.text}`);
        assert.ok(Number.isInteger(p.column) && p.column >= 0, `bad_json column: ${res.text}`);
      }
      if (allow) {
        const methods = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim());
        for (const m of allow) assert.ok(methods.includes(m), `Allow: ${methods} lacks ${m}`);
        assert.ok(!methods.includes(req.method), `Allow lists ${req.method}`);
      }
      assert.equal(await snapshot(), before, 'the refused request changed the database');
    });
  }
});

test('bad_json names the line and column of the error', async () => {
  const body = '{\n  "mobile": "13800000001",\n  "password" "Valid-pass-1"\n}';
  const p = expectProblem(await api(base, 'POST', regPath, { body }), 400, 'bad_json');
  assert.equal(p.line, 3, JSON.stringify(p));
  assert.ok(p.column >= 1 && p.column <= 30, JSON.stringify(p));
});

test('a Content-Length over the limit is refused before the body arrives', async () => {
  const res = await socketRequest(base,
    `POST ${regPath} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    'Content-Length: 10485760\r\n\r\n{"mobile":');
  assert.equal(res.status, 413, res.text);
  assert.ok(res.headers['x-request-id']);
  assert.equal(JSON.parse(res.text).code, 'body_too_large');
});

suite('data that looks like code is stored as data', () => {
  const NAMES = [
    '"; DROP TABLE users; --',
    "' OR 1=1 --",
    "Robert'); DROP TABLE institutions;--",
    '%s%s%s%n%x%p',
    '<script>alert(1)</script>',
    '\\x00\\u0000 \\" \\\\',
    '😀中文ﾃｽﾄ',
    '名'.repeat(64),
    '😀'.repeat(64),
  ];

  for (const name of NAMES) {
    const label = [...JSON.stringify(name)].slice(0, 32).join('');
    test(`display_name ${label} reads back intact`, async () => {
      const r = await register(base, { displayName: name });
      assert.equal(r.user.display_name, name);
      const s = await login(base, r.mobile, r.password);
      const me = expectOk(await api(base, 'GET', '/api/v1/me', { token: s.token }));
      assert.equal(me.user.display_name, name);
    });
  }

  test('an institution named with SQL is stored verbatim and the tables survive', async () => {
    const name = "基金'; DROP TABLE institutions; --";
    const created = await createInstitution(base, ops.token, { name, shortName: "'--" });
    const got = expectOk(await api(base, 'GET', `${instPath}/${created.id}`,
      { token: ops.token }));
    assert.equal(got.institution.name, name);
    assert.equal(got.institution.short_name, "'--");
    const tables = await srv.sql("SELECT count(*) FROM sqlite_master WHERE type = 'table' " +
      "AND name IN ('users', 'institutions', 'audit_log');");
    assert.equal(tables.trim(), '3');
  });

  test('Content-Type with a charset parameter is accepted', async () => {
    const res = await api(base, 'POST', regPath,
      { body: reg(), contentType: 'application/json; charset=utf-8' });
    expectOk(res, 201);
  });
});

suite('static paths stay inside the web root', () => {
  const leaked = (text) => text.includes(SECRET_MARKER) || /root:.*:0:0:/.test(text) ||
    text.includes('BUILD   ?= build');
  const STRICT = ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fMakefile'];
  const MORE = [
    '/../SECRET.txt', '/%2e%2e/SECRET.txt', '/assets/..%2f..%2fSECRET.txt',
    '/assets/%2e%2e/%2e%2e/SECRET.txt', '/assets/..%5c..%5cSECRET.txt',
    '/assets/....//....//SECRET.txt', '/%252e%252e/SECRET.txt', '/assets/%00/../../SECRET.txt',
    '/assets/..;/..;/SECRET.txt', '//etc/passwd', '/assets/../../../../../../../../etc/passwd',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/.%2e/.%2e/etc/passwd', '/assets/%c0%ae%c0%ae/SECRET.txt',
  ];

  for (const path of STRICT) {
    test(`${path} is 404 or 400`, async () => {
      const res = await rawRequest(base, 'GET', path);
      assert.ok(!leaked(res.text), `${path} leaked a file`);
      assert.ok([400, 404].includes(res.status), `${path} → ${res.status}`);
      assert.ok(res.headers['x-request-id'], 'X-Request-Id');
    });
  }

  for (const path of MORE) {
    test(`${path} reaches no file outside the web root`, async () => {
      const res = await rawRequest(base, 'GET', path);
      assert.ok(!leaked(res.text), `${path} leaked a file`);
      // An SPA fallback to index.html is acceptable; anything else must be 4xx.
      const fallback = res.status === 200 && res.text === STATIC_INDEX;
      assert.ok(fallback || [400, 404].includes(res.status), `${path} → ${res.status}`);
    });
  }
});

test('the per-IP rate limit answers 429 rate_limited with Retry-After', async () => {
  const limited = await startServer({
    CAIFUHAO_RATE_LIMIT_RPS: '1',
    CAIFUHAO_RATE_LIMIT_BURST: '3',
  });
  try {
    const results = [];
    for (let i = 0; i < 10; i++) {
      results.push(await api(limited.base, 'GET', '/api/v1/public/institutions'));
    }
    const refused = results.filter((r) => r.status === 429);
    assert.ok(refused.length >= 5, `only ${refused.length} of 10 refused with burst 3`);
    assert.ok(results.every((r) => r.status === 200 || r.status === 429));
    const p = expectProblem(refused[0], 429, 'rate_limited');
    const retry = Number(refused[0].headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1, `Retry-After ${retry}`);
    assert.ok(p.detail);
    // After waiting as told, requests pass again.
    await new Promise((r) => setTimeout(r, retry * 1000 + 100));
    expectOk(await api(limited.base, 'GET', '/api/v1/public/institutions'));
  } finally {
    try {
      await limited.stop();
    } finally {
      await limited.removeWorkdir();
    }
  }
});
