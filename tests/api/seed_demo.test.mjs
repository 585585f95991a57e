// `caifuhao seed-demo` creates the five pilot fund companies; once an operator opens them
// (pilot or live) investors see them in the public list.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectOk } from './lib/http.mjs';
import { operatorSession, setStatus } from './lib/fixtures.mjs';
import { fileServer } from './lib/server.mjs';

const PILOTS = ['博时', '兴全', '天弘', '南方', '建信'];

const srv = await fileServer();

const mentions = (inst, brand) => inst.name.includes(brand) || inst.short_name.includes(brand);

test('the five pilot fund companies appear in the public list once opened', async (t) => {
  const seeded = await srv.cli(['seed-demo']);
  t.diagnostic(`seed-demo printed: ${seeded.stdout.trim() || '(nothing)'}`);

  const ops = await operatorSession(srv, 'ops_admin');
  const { items } = expectOk(await api(srv.base, 'GET', '/api/v1/ops/institutions',
    { token: ops.token }));
  for (const brand of PILOTS) {
    const found = items.filter((i) => mentions(i, brand));
    assert.equal(found.length, 1, `${brand}: want one institution, have ${found.length}`);
    const [inst] = found;
    assert.equal(inst.type, 'fund_company', `${brand} is a fund company`);
    assert.equal(inst.demo, true, `${brand} is marked as demo data`);
    if (inst.status === 'applied' || inst.status === 'suspended') {
      await setStatus(srv.base, ops.token, inst.id, 'pilot', '财富号首批试点');
    }
  }

  const pub = expectOk(await api(srv.base, 'GET', '/api/v1/public/institutions')).items;
  for (const brand of PILOTS) {
    const inst = pub.find((i) => mentions(i, brand));
    assert.ok(inst, `${brand} is missing from the public list: ${JSON.stringify(pub)}`);
    assert.ok(inst.status === 'pilot' || inst.status === 'live');
  }
});

test('seed-demo --if-empty on a seeded database adds nothing', async () => {
  const ops = await operatorSession(srv, 'ops_admin');
  const count = async () => expectOk(await api(srv.base, 'GET', '/api/v1/ops/institutions',
    { token: ops.token })).items.length;
  const before = await count();
  await srv.cli(['seed-demo', '--if-empty']);
  assert.equal(await count(), before);
});

test('the demo has the default fair rule in force, published with its notice', async () => {
  const rules = expectOk(await api(srv.base, 'GET', '/api/v1/public/fair-rules'));
  assert.equal(rules.in_force_version, 1);
  const [v1] = rules.items;
  assert.equal(v1.status, 'published');
  assert.equal(v1.notice_days, 15);
  assert.ok(v1.effective_date <= rules.today);
  assert.deepEqual(v1.rule.terms.map((t) => [t.metric, t.weight]), [
    ['question_response_time', 2], ['answer_rate', 2], ['holder_retention_90d', 2],
    ['complaint_rate', 2], ['compliance_record', 3], ['content_engagement', 1],
    ['follower_growth', 1]]);
  assert.deepEqual([v1.rule.floor_days, v1.rule.floor_ppm, v1.rule.cap_ppm, v1.rule.total],
    [30, 10000, 150000, 1000000]);
});
