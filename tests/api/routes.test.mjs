// The route table and the OpenAPI document must describe the same API, and the operational
// endpoints (/healthz, /readyz, /metrics, static files) must answer as the contract says.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ALL_ROLES, expectDocumented, loadOpenApi, operations } from './lib/contract.mjs';
import {
  STAFF_PASSWORD, acceptAndLogin, instInvite, institutionWithAdmin, login, register,
} from './lib/fixtures.mjs';
import { api, expectOk, expectProblem } from './lib/http.mjs';
import { STATIC_ASSET, STATIC_INDEX, fileServer, runCliOk } from './lib/server.mjs';

const srv = await fileServer();

function diff(label, a, b) {
  const missing = [...a].filter((x) => !b.has(x)).sort();
  return missing.length ? [`${label}:`, ...missing.map((x) => `  ${x}`)] : [];
}

test('`caifuhao routes` and the paths of /api/v1/openapi.json are the same set', async () => {
  const { stdout } = await runCliOk(['routes']);
  const routes = new Set(stdout.split('\n').map((l) => l.trim()).filter(Boolean)
    .map((l) => l.split(/\s+/).join(' ')));
  assert.ok(routes.size > 0, 'caifuhao routes printed nothing');
  for (const r of routes) assert.match(r, /^[A-Z]+ \/\S*$/, `not "METHOD PATH": ${r}`);

  const res = await api(srv.base, 'GET', '/api/v1/openapi.json');
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
  const documented = new Set(operations(expectOk(res)).map((o) => `${o.method} ${o.template}`));
  const lines = [
    ...diff('served but not in openapi.yaml', routes, documented),
    ...diff('in openapi.yaml but not served', documented, routes),
  ];
  assert.deepEqual(lines, [], `route table and OpenAPI differ\n${lines.join('\n')}`);
});

test('every operation has a unique operationId and a non-empty x-roles list', async () => {
  const doc = await loadOpenApi(srv.base);
  assert.match(doc.openapi, /^3\.1\./);
  const ids = new Set();
  for (const { method, template, op } of operations(doc)) {
    assert.equal(typeof op.operationId, 'string', `${method} ${template}: no operationId`);
    assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
    ids.add(op.operationId);
    assert.ok(Array.isArray(op['x-roles']) && op['x-roles'].length > 0,
      `${method} ${template}: no x-roles`);
  }
  for (const name of ['Problem', 'User', 'Institution', 'AuditEntry']) {
    assert.ok(doc.components.schemas[name], `components/schemas/${name} missing`);
  }
});

test('/healthz, /readyz and /metrics', async () => {
  assert.deepEqual(expectOk(await api(srv.base, 'GET', '/healthz')), { status: 'ok' });
  assert.deepEqual(expectOk(await api(srv.base, 'GET', '/readyz')), { status: 'ready' });
  const metrics = await api(srv.base, 'GET', '/metrics');
  expectOk(metrics);
  assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain\b/);
  // Prometheus text: "# HELP"/"# TYPE" comments and "name{labels} value" samples.
  assert.match(metrics.text, /^# (HELP|TYPE) \w+/m);
  assert.match(metrics.text, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [0-9.eE+-]+$/m);
});

test('request ids are unique per request', async () => {
  const a = await api(srv.base, 'GET', '/healthz');
  const b = await api(srv.base, 'GET', '/healthz');
  assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
});

test('the web root is served', async () => {
  const index = await api(srv.base, 'GET', '/');
  assert.equal(index.status, 200);
  assert.equal(index.text, STATIC_INDEX);
  const asset = await api(srv.base, 'GET', '/assets/app.js');
  assert.equal(asset.status, 200);
  assert.equal(asset.text, STATIC_ASSET);
});

/** Credentials of one account per role, so that each check can open a fresh session. */
async function accountPerRole() {
  const accounts = {};
  const inv = await register(srv.base);
  accounts.investor = { login: inv.mobile, password: inv.password };
  for (const role of ['ops_admin', 'ops_reviewer', 'ops_risk']) {
    accounts[role] = await srv.createOperator(`matrix.${role.replace('_', '.')}`, role);
  }
  const ops = await login(srv.base, accounts.ops_admin.login, accounts.ops_admin.password);
  const { admin } = await institutionWithAdmin(srv.base, ops.token);
  accounts.inst_admin = { login: admin.user.login, password: STAFF_PASSWORD };
  for (const role of ['inst_operator', 'inst_compliance']) {
    const s = await acceptAndLogin(srv.base, await instInvite(srv.base, admin.token, role));
    accounts[role] = { login: s.user.login, password: STAFF_PASSWORD };
  }
  return accounts;
}

test('each role reaches exactly the operations whose x-roles name it', async () => {
  const doc = await loadOpenApi(srv.base);
  const accounts = await accountPerRole();
  const sessions = {};
  for (const role of ALL_ROLES) {
    sessions[role] = await login(srv.base, accounts[role].login, accounts[role].password);
    assert.equal(sessions[role].user.role, role);
  }
  for (const { method, template, op } of operations(doc)) {
    const roles = op['x-roles'];
    for (const r of roles) assert.ok(r === 'public' || ALL_ROLES.includes(r), `x-roles: ${r}`);
    // A missing id and an empty body: the interesting part is whether the role check passes.
    const path = template.replace('{id}', '1234567890123');
    const body = method === 'GET' || template.endsWith('/logout') ? undefined : {};
    if (roles.includes('public')) {
      const res = await api(srv.base, method, path, { body });
      assert.ok(res.status !== 401 && res.status !== 403, `${method} ${path} → ${res.status}`);
      expectDocumented(doc, res);
      continue;
    }
    expectProblem(await api(srv.base, method, path, { body }), 401, 'unauthenticated');
    for (const role of ALL_ROLES) {
      // Logging out ends the session: give it one of its own.
      const s = template.endsWith('/logout')
        ? await login(srv.base, accounts[role].login, accounts[role].password)
        : sessions[role];
      const res = await api(srv.base, method, path, { body, token: s.token });
      if (roles.includes(role)) {
        assert.ok(res.status !== 401 && res.status !== 403,
          `${role} refused at ${method} ${template}: ${res.status} ${res.text}`);
      } else {
        expectProblem(res, 403, 'forbidden');
      }
      expectDocumented(doc, res);
    }
  }
});
