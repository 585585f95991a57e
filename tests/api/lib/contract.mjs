// The served OpenAPI document as a test oracle: which operation a request hits, and whether
// the status it got is one the document lists for that operation.

import assert from 'node:assert/strict';

import { api, describe, expectOk } from './http.mjs';

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
export const ALL_ROLES = ['investor', 'inst_admin', 'inst_operator', 'inst_compliance',
  'ops_admin', 'ops_reviewer', 'ops_risk'];

export async function loadOpenApi(base) {
  return expectOk(await api(base, 'GET', '/api/v1/openapi.json'));
}

/** Every operation as {method (upper case), template, op}. */
export function operations(doc) {
  const out = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      if (item[m]) out.push({ method: m.toUpperCase(), template, op: item[m] });
    }
  }
  return out;
}

/** The operation a request (path may carry a query) is routed to, or null. */
export function operationFor(doc, method, path) {
  const segs = path.split('?')[0].split('/');
  for (const o of operations(doc)) {
    if (o.method !== method) continue;
    const t = o.template.split('/');
    if (t.length === segs.length && t.every((s, i) => s.startsWith('{') || s === segs[i])) {
      return o;
    }
  }
  return null;
}

/** Asserts that the response's status is listed for the operation the request hit. */
export function expectDocumented(doc, res) {
  const o = operationFor(doc, res.method, res.path);
  if (o === null) return; // unknown route or method: 404/405 are documented globally
  assert.ok(Object.hasOwn(o.op.responses, String(res.status)),
    `openapi.yaml lists no ${res.status} for ${o.method} ${o.template}: ${describe(res)}`);
}
