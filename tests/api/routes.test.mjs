// The route table and the OpenAPI document must describe the same API, and the operational
// endpoints (/healthz, /readyz, /metrics, static files) must answer as the contract says.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectOk } from './lib/http.mjs';
import { STATIC_ASSET, STATIC_INDEX, fileServer, runCliOk } from './lib/server.mjs';

const srv = await fileServer();
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

async function openapi() {
  const res = await api(srv.base, 'GET', '/api/v1/openapi.json');
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
  return expectOk(res, 200);
}

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

  const doc = await openapi();
  const documented = new Set();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) if (item[m]) documented.add(`${m.toUpperCase()} ${path}`);
  }
  const lines = [
    ...diff('served but not in openapi.yaml', routes, documented),
    ...diff('in openapi.yaml but not served', documented, routes),
  ];
  assert.deepEqual(lines, [], `route table and OpenAPI differ\n${lines.join('\n')}`);
});

test('every operation has a unique operationId and a non-empty x-roles list', async () => {
  const doc = await openapi();
  assert.match(doc.openapi, /^3\.1\./);
  const ids = new Set();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      assert.equal(typeof op.operationId, 'string', `${m} ${path}: no operationId`);
      assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
      ids.add(op.operationId);
      assert.ok(Array.isArray(op['x-roles']) && op['x-roles'].length > 0,
        `${m} ${path}: no x-roles`);
    }
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
