// Every operation of the served OpenAPI document, exercised once on its success path (and on
// a few of its documented errors): the status must be listed for the operation and the body
// must fit the documented schema, undocumented members included.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadOpenApi, operationFor, operations } from './lib/contract.mjs';
import { STAFF_PASSWORD, login, uniqueMobile, unique } from './lib/fixtures.mjs';
import { api } from './lib/http.mjs';
import { expectConforms, validate } from './lib/schema.mjs';
import { fileServer } from './lib/server.mjs';

const srv = await fileServer();
const doc = await loadOpenApi(srv.base);
const exercised = new Set();

/** Sends a request, checks it against the document, and answers it if the status is `want`. */
async function call(want, method, path, opts) {
  const res = await api(srv.base, method, path, opts);
  expectConforms(doc, res);
  assert.equal(res.status, want, `${method} ${path}: ${res.status} ${res.text}`);
  const o = operationFor(doc, method, path);
  exercised.add(`${o.method} ${o.template}`);
  return res.json;
}

test('the component schemas accept good objects and refuse bad ones', () => {
  const user = { id: '1', kind: 'investor', role: 'investor', login: '13800000000',
    display_name: 'x', institution_id: null, status: 'active', created_ms: 1 };
  const schema = { $ref: '#/components/schemas/User' };
  assert.deepEqual(validate(doc, schema, user), []);
  assert.notDeepEqual(validate(doc, schema, { ...user, password_hash: 'x' }), []);
  assert.notDeepEqual(validate(doc, schema, { ...user, id: 1 }), []);
  assert.notDeepEqual(validate(doc, schema, { ...user, role: 'root' }), []);
  const { created_ms: _, ...partial } = user;
  assert.notDeepEqual(validate(doc, schema, partial), []);
});

test('every operation answers as documented', async () => {
  await call(200, 'GET', '/healthz');
  await call(200, 'GET', '/readyz');
  await call(200, 'GET', '/metrics');
  await call(200, 'GET', '/api/v1/openapi.json');
  await call(200, 'GET', '/api/v1/public/institutions');

  // Accounts and sessions.
  const mobile = uniqueMobile();
  const password = 'Investor-pass-1';
  await call(201, 'POST', '/api/v1/auth/register',
    { body: { mobile, password, display_name: '文档' } });
  await call(409, 'POST', '/api/v1/auth/register', { body: { mobile, password } });
  await call(422, 'POST', '/api/v1/auth/register', { body: { mobile: 'x', password } });
  await call(400, 'POST', '/api/v1/auth/register', { body: '{' });
  await call(415, 'POST', '/api/v1/auth/register', { body: '{}', contentType: 'text/plain' });
  await call(401, 'POST', '/api/v1/auth/login', { body: { login: mobile, password: 'Wrong-1x' } });
  const inv = await call(200, 'POST', '/api/v1/auth/login', { body: { login: mobile, password } });
  await call(200, 'GET', '/api/v1/me', { token: inv.token });
  await call(401, 'GET', '/api/v1/me');
  await call(422, 'POST', '/api/v1/me/password', { token: inv.token,
    body: { current_password: 'Wrong-pass-1', new_password: 'Next-pass-2' } });
  await call(204, 'POST', '/api/v1/me/password', { token: inv.token,
    body: { current_password: password, new_password: 'Next-pass-2' } });
  await call(403, 'GET', '/api/v1/ops/institutions', { token: inv.token });
  await call(204, 'POST', '/api/v1/auth/logout', { token: inv.token });

  // Operators and institutions.
  const { password: opsPassword } = await srv.createOperator('conf.ops', 'ops_admin');
  const ops = (await login(srv.base, 'conf.ops', opsPassword)).token;
  const created = await call(201, 'POST', '/api/v1/ops/institutions',
    { token: ops, body: { name: unique('文档基金'), short_name: '文档', type: 'fund_company' } });
  const id = created.institution.id;
  await call(200, 'GET', '/api/v1/ops/institutions', { token: ops });
  await call(200, 'GET', `/api/v1/ops/institutions/${id}`, { token: ops });
  await call(404, 'GET', '/api/v1/ops/institutions/1234567890123', { token: ops });
  await call(400, 'GET', '/api/v1/ops/institutions/abc', { token: ops });
  await call(409, 'POST', `/api/v1/ops/institutions/${id}/status`,
    { token: ops, body: { status: 'suspended', reason: 'not allowed from applied' } });
  await call(200, 'POST', `/api/v1/ops/institutions/${id}/status`,
    { token: ops, body: { status: 'pilot', reason: '试点' } });
  await call(200, 'GET', `/api/v1/ops/institutions/${id}`, { token: ops });

  // Staff.
  const invite = await call(201, 'POST', `/api/v1/ops/institutions/${id}/staff`,
    { token: ops, body: { login: unique('conf.a'), display_name: '管理员', role: 'inst_admin' } });
  await call(200, 'GET', `/api/v1/ops/institutions/${id}/staff`, { token: ops });
  await call(404, 'POST', '/api/v1/auth/accept-invite',
    { body: { token: 'f'.repeat(64), password: STAFF_PASSWORD } });
  await call(200, 'POST', '/api/v1/auth/accept-invite',
    { body: { token: invite.invite_token, password: STAFF_PASSWORD } });
  const admin = (await login(srv.base, invite.user.login, STAFF_PASSWORD)).token;
  await call(200, 'GET', '/api/v1/inst/institution', { token: admin });
  const colleague = await call(201, 'POST', '/api/v1/inst/staff', { token: admin,
    body: { login: unique('conf.o'), display_name: '运营', role: 'inst_operator' } });
  await call(200, 'GET', '/api/v1/inst/staff', { token: admin });
  await call(200, 'PATCH', `/api/v1/inst/staff/${colleague.user.id}`,
    { token: admin, body: { role: 'inst_compliance' } });
  await call(409, 'PATCH', `/api/v1/inst/staff/${invite.user.id}`,
    { token: admin, body: { status: 'disabled' } });
  await call(404, 'PATCH', '/api/v1/inst/staff/1234567890123',
    { token: admin, body: { status: 'disabled' } });

  // Audit.
  await call(200, 'GET', '/api/v1/ops/audit?limit=3', { token: ops });
  await call(400, 'GET', '/api/v1/ops/audit?limit=0', { token: ops });
  await call(200, 'GET', '/api/v1/ops/audit/verify', { token: ops });

  const missing = operations(doc).map((o) => `${o.method} ${o.template}`)
    .filter((k) => !exercised.has(k));
  assert.deepEqual(missing, [], 'operations this test does not exercise yet');
});
