// Institution onboarding by operators: create, move through the status machine, history,
// and what the public list shows.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectOk, expectProblem } from './lib/http.mjs';
import { createInstitution, operatorSession, setStatus, unique } from './lib/fixtures.mjs';
import { fileServer } from './lib/server.mjs';

const srv = await fileServer();
const base = srv.base;
const ops = await operatorSession(srv, 'ops_admin');
const reviewer = await operatorSession(srv, 'ops_reviewer');

const ALLOWED = new Set(['applied>pilot', 'applied>live', 'pilot>live', 'pilot>suspended',
  'live>suspended', 'suspended>pilot', 'suspended>live']);
const STATUSES = ['applied', 'pilot', 'live', 'suspended'];

async function detail(id, token = ops.token) {
  return expectOk(await api(base, 'GET', `/api/v1/ops/institutions/${id}`, { token }));
}

async function publicIds() {
  const { items } = expectOk(await api(base, 'GET', '/api/v1/public/institutions'));
  return new Set(items.map((i) => i.id));
}

/** An institution brought to `status` along allowed transitions. */
async function institutionIn(status) {
  const inst = await createInstitution(base, ops.token);
  if (status === 'applied') return inst;
  if (status === 'suspended') {
    await setStatus(base, ops.token, inst.id, 'live');
  }
  return setStatus(base, ops.token, inst.id, status);
}

test('create answers 201 with an applied institution', async () => {
  const name = unique('兴全测试基金管理有限公司');
  const before = Date.now();
  const res = await api(base, 'POST', '/api/v1/ops/institutions',
    { token: ops.token, body: { name, short_name: '兴全测试', type: 'fund_company' } });
  const { institution: inst } = expectOk(res, 201);
  assert.match(inst.id, /^[0-9]+$/);
  assert.equal(inst.name, name);
  assert.equal(inst.short_name, '兴全测试');
  assert.equal(inst.type, 'fund_company');
  assert.equal(inst.status, 'applied');
  assert.equal(inst.demo, false);
  assert.ok(inst.created_ms >= before - 5000 && inst.created_ms <= Date.now() + 5000);
  assert.ok(inst.updated_ms >= inst.created_ms);

  const got = await detail(inst.id);
  assert.deepEqual(got.institution, inst);
  assert.ok(Array.isArray(got.history));
  // Any reviewer may read it too.
  assert.deepEqual((await detail(inst.id, reviewer.token)).institution, inst);
});

test('every institution type is accepted', async () => {
  for (const type of ['fund_company', 'bank', 'insurer', 'securities_firm']) {
    const inst = await createInstitution(base, ops.token, { type });
    assert.equal(inst.type, type);
  }
});

test('a duplicate name is 409 conflict', async () => {
  const inst = await createInstitution(base, ops.token);
  const res = await api(base, 'POST', '/api/v1/ops/institutions',
    { token: ops.token, body: { name: inst.name, short_name: '重复', type: 'bank' } });
  expectProblem(res, 409, 'conflict');
});

test('lifecycle applied → pilot → live → suspended, with history', async () => {
  const inst = await createInstitution(base, ops.token);
  assert.ok(!(await publicIds()).has(inst.id), 'an applied institution is not public');

  const steps = [['pilot', '试点开放'], ['live', '正式上线'], ['suspended', '违规暂停：测试']];
  let prev = inst;
  for (const [status, reason] of steps) {
    const res = await api(base, 'POST', `/api/v1/ops/institutions/${inst.id}/status`,
      { token: ops.token, body: { status, reason } });
    const { institution } = expectOk(res, 200);
    assert.equal(institution.status, status);
    assert.equal(institution.id, inst.id);
    assert.ok(institution.updated_ms >= prev.updated_ms);
    const visible = (await publicIds()).has(inst.id);
    assert.equal(visible, status === 'pilot' || status === 'live',
      `public list after → ${status}`);
    prev = institution;
  }

  const { institution, history } = await detail(inst.id);
  assert.equal(institution.status, 'suspended');
  // A creation entry (from null) may come first; the changes follow in order.
  const changes = history.filter((h) => h.from !== null);
  assert.deepEqual(changes.map((h) => [h.from, h.to, h.reason]), [
    ['applied', 'pilot', '试点开放'],
    ['pilot', 'live', '正式上线'],
    ['live', 'suspended', '违规暂停：测试'],
  ]);
  for (const h of changes) {
    assert.equal(h.by_user_id, ops.user.id);
    assert.equal(typeof h.at_ms, 'number');
  }
  for (let i = 1; i < history.length; i++) {
    assert.ok(history[i].at_ms >= history[i - 1].at_ms, 'history is oldest first');
  }
});

test('every transition outside the allowed set is 409 and changes nothing', async () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const inst = await institutionIn(from);
      const before = await detail(inst.id);
      const res = await api(base, 'POST', `/api/v1/ops/institutions/${inst.id}/status`,
        { token: ops.token, body: { status: to, reason: `${from} to ${to}` } });
      if (ALLOWED.has(`${from}>${to}`)) {
        assert.equal(expectOk(res, 200).institution.status, to);
        continue;
      }
      expectProblem(res, 409, 'conflict');
      assert.deepEqual(await detail(inst.id), before, `${from} → ${to} changed something`);
    }
  }
});

test('status changes need a valid status and a reason of 1–500 characters', async () => {
  const inst = await createInstitution(base, ops.token);
  const path = `/api/v1/ops/institutions/${inst.id}/status`;
  const cases = [
    [{ status: 'pilot' }, 'missing_field', 'reason'],
    [{ reason: 'why' }, 'missing_field', 'status'],
    [{ status: 'pilot', reason: '' }, 'invalid_field', 'reason'],
    [{ status: 'pilot', reason: 'r'.repeat(501) }, 'invalid_field', 'reason'],
    [{ status: 'closed', reason: 'why' }, 'invalid_field', 'status'],
    [{ status: 'PILOT', reason: 'why' }, 'invalid_field', 'status'],
  ];
  for (const [body, code, field] of cases) {
    expectProblem(await api(base, 'POST', path, { token: ops.token, body }), 422, code, field);
  }
  assert.equal((await detail(inst.id)).institution.status, 'applied');
  // 500 characters (not bytes) is the limit: 500 CJK characters are fine.
  const ok = await api(base, 'POST', path,
    { token: ops.token, body: { status: 'pilot', reason: '由'.repeat(500) } });
  assert.equal(expectOk(ok).institution.status, 'pilot');
});

test('unknown institution ids are 404, malformed ones 400', async () => {
  expectProblem(await api(base, 'GET', '/api/v1/ops/institutions/1234567890123',
    { token: ops.token }), 404, 'not_found');
  expectProblem(await api(base, 'POST', '/api/v1/ops/institutions/1234567890123/status',
    { token: ops.token, body: { status: 'pilot', reason: 'x' } }), 404, 'not_found');
  expectProblem(await api(base, 'GET', '/api/v1/ops/institutions/1234567890123/staff',
    { token: ops.token }), 404, 'not_found');
  for (const bad of ['abc', '-1', '1.5', '99999999999999999999999', '0x10']) {
    expectProblem(await api(base, 'GET', `/api/v1/ops/institutions/${bad}`,
      { token: ops.token }), 400, 'bad_request');
  }
});

test('the list filters by status', async () => {
  const live = await institutionIn('live');
  const applied = await institutionIn('applied');
  const all = expectOk(await api(base, 'GET', '/api/v1/ops/institutions', { token: ops.token }));
  const ids = new Set(all.items.map((i) => i.id));
  assert.ok(ids.has(live.id) && ids.has(applied.id));
  for (const status of STATUSES) {
    const { items } = expectOk(await api(base, 'GET',
      `/api/v1/ops/institutions?status=${status}`, { token: reviewer.token }));
    assert.ok(items.every((i) => i.status === status), `?status=${status} leaks others`);
  }
  const { items: liveItems } = expectOk(await api(base, 'GET',
    '/api/v1/ops/institutions?status=live', { token: ops.token }));
  assert.ok(liveItems.some((i) => i.id === live.id));
  expectProblem(await api(base, 'GET', '/api/v1/ops/institutions?status=bogus',
    { token: ops.token }), 400, 'bad_request');
});

test('the public list shows pilot and live institutions only, anonymously', async () => {
  const byStatus = {};
  for (const s of STATUSES) byStatus[s] = await institutionIn(s);
  const { items } = expectOk(await api(base, 'GET', '/api/v1/public/institutions'));
  const ids = new Set(items.map((i) => i.id));
  assert.ok(items.every((i) => i.status === 'pilot' || i.status === 'live'));
  assert.ok(ids.has(byStatus.pilot.id) && ids.has(byStatus.live.id));
  assert.ok(!ids.has(byStatus.applied.id) && !ids.has(byStatus.suspended.id));
});
