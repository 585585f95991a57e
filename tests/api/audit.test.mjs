// The audit log: every operator and institution-admin action leaves an entry naming its
// actor; the entries form a hash chain that /ops/audit/verify checks; and a row changed
// behind the server's back is found.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectOk, expectProblem } from './lib/http.mjs';
import {
  acceptAndLogin, auditAfter, createInstitution, instInvite, operatorSession, opsInvite,
  setStatus,
} from './lib/fixtures.mjs';
import { fileServer } from './lib/server.mjs';

// srv.base changes when the server restarts: always read it at the call.
const srv = await fileServer();
const ops = await operatorSession(srv, 'ops_admin');
const risk = await operatorSession(srv, 'ops_risk');

const HEX64 = /^[0-9a-f]{64}$/;

async function lastSeq() {
  const all = await auditAfter(srv.base, ops.token, 0);
  return all.length ? all[all.length - 1].seq : 0;
}

/**
 * Asserts that entries after `since` include one by `actor` (a session) that mentions
 * every string in `mentions`; answers the new last seq.
 */
async function expectEntry(since, actor, mentions, what) {
  const fresh = await auditAfter(srv.base, ops.token, since);
  assert.ok(fresh.length > 0, `${what}: no audit entry after seq ${since}`);
  const hit = fresh.find((e) => e.actor_user_id === actor.user.id &&
    e.actor_role === actor.user.role &&
    mentions.every((m) => JSON.stringify(e).includes(m)));
  assert.ok(hit, `${what}: no entry by ${actor.user.role} ${actor.user.id} mentioning ` +
    `${mentions.join(', ')} in\n${JSON.stringify(fresh, null, 1)}`);
  for (const e of fresh) {
    assert.equal(typeof e.seq, 'number');
    assert.equal(typeof e.at_ms, 'number');
    assert.equal(typeof e.action, 'string');
    assert.equal(typeof e.subject, 'string');
    assert.ok(e.detail !== null && typeof e.detail === 'object' && !Array.isArray(e.detail),
      'detail is a JSON object');
    assert.match(e.hash, HEX64);
    assert.match(e.prev_hash, HEX64);
  }
  return fresh[fresh.length - 1].seq;
}

test('each operator and institution-admin action leaves an entry by its actor', async () => {
  let seq = await lastSeq();

  const inst = await createInstitution(srv.base, ops.token);
  seq = await expectEntry(seq, ops, [inst.id], 'institution create');

  await setStatus(srv.base, ops.token, inst.id, 'pilot', 'audit test pilot');
  seq = await expectEntry(seq, ops, [inst.id, 'pilot'], 'status change');

  const invite = await opsInvite(srv.base, ops.token, inst.id, 'inst_admin');
  seq = await expectEntry(seq, ops, [invite.user.id], 'operator invites staff');
  const admin = await acceptAndLogin(srv.base, invite);
  seq = await lastSeq(); // accepting may or may not be audited

  const colleague = await instInvite(srv.base, admin.token, 'inst_operator');
  seq = await expectEntry(seq, admin, [colleague.user.id], 'admin invites staff');

  const res = await api(srv.base, 'PATCH', `/api/v1/inst/staff/${colleague.user.id}`,
    { token: admin.token, body: { role: 'inst_compliance' } });
  expectOk(res);
  seq = await expectEntry(seq, admin, [colleague.user.id, 'inst_compliance'],
    'admin changes a role');

  // Institution staff actions carry their institution.
  const mine = (await auditAfter(srv.base, ops.token, 0))
    .filter((e) => e.actor_user_id === admin.user.id);
  assert.ok(mine.length >= 2);
  for (const e of mine) assert.equal(e.institution_id, inst.id);
});

test('a refused action leaves no entry', async () => {
  const before = await lastSeq();
  const res = await api(srv.base, 'POST', '/api/v1/ops/institutions',
    { token: risk.token, body: { name: '拒绝基金', short_name: '拒绝', type: 'bank' } });
  expectProblem(res, 403, 'forbidden');
  const bad = await api(srv.base, 'POST', '/api/v1/ops/institutions',
    { token: ops.token, body: { name: 'x', short_name: '拒绝', type: 'bank' } });
  expectProblem(bad, 422, 'invalid_field', 'name');
  assert.equal(await lastSeq(), before);
});

test('entries form a hash chain with consecutive seq numbers', async () => {
  const all = await auditAfter(srv.base, risk.token, 0);
  assert.ok(all.length >= 5);
  for (let i = 0; i < all.length; i++) {
    assert.equal(all[i].seq, i + 1, 'seq numbers are 1, 2, 3, …');
    if (i > 0) {
      assert.equal(all[i].prev_hash, all[i - 1].hash, `prev_hash of seq ${all[i].seq}`);
      assert.ok(all[i].at_ms >= all[i - 1].at_ms, 'entries are in time order');
    }
  }
  assert.equal(new Set(all.map((e) => e.hash)).size, all.length, 'hashes are distinct');
});

test('pages follow next_after_seq and cover the log exactly once', async () => {
  const all = await auditAfter(srv.base, ops.token, 0);
  const seen = [];
  let after = 0;
  for (let guard = 0; guard < all.length + 2; guard++) {
    const page = expectOk(await api(srv.base, 'GET',
      `/api/v1/ops/audit?after_seq=${after}&limit=2`, { token: ops.token }));
    assert.ok(page.items.length <= 2);
    seen.push(...page.items.map((e) => e.seq));
    if (page.next_after_seq === null) break;
    assert.equal(page.next_after_seq, page.items[page.items.length - 1].seq);
    after = page.next_after_seq;
  }
  assert.deepEqual(seen, all.map((e) => e.seq));
  for (const q of ['limit=abc', 'limit=0', 'limit=-5', 'after_seq=-1', 'after_seq=x']) {
    expectProblem(await api(srv.base, 'GET', `/api/v1/ops/audit?${q}`, { token: ops.token }),
      400, 'bad_request');
  }
});

test('verify is ok and checks every entry', async () => {
  const all = await auditAfter(srv.base, ops.token, 0);
  const v = expectOk(await api(srv.base, 'GET', '/api/v1/ops/audit/verify', { token: risk.token }));
  assert.equal(v.ok, true, JSON.stringify(v));
  assert.ok(v.checked >= all.length, `checked ${v.checked} < ${all.length} entries`);
  assert.equal(v.broken_at_seq, undefined);
});

test('a row changed in the database breaks the chain at that row', async () => {
  assert.ok(await lastSeq() >= 3, 'the earlier tests leave at least three entries');
  await srv.stop();
  const original = (await srv.sql('SELECT action FROM audit_log WHERE seq = 2;')).trim();
  // The table refuses updates through a trigger; whoever tampers drops it first.
  await srv.sql("DROP TRIGGER IF EXISTS audit_log_no_update;\n" +
    "UPDATE audit_log SET action = 'x' WHERE seq = 2;");
  await srv.start();
  const again = await operatorSession(srv, 'ops_risk');

  const v = expectOk(await api(srv.base, 'GET', '/api/v1/ops/audit/verify',
    { token: again.token }));
  assert.equal(v.ok, false, JSON.stringify(v));
  assert.equal(v.broken_at_seq, 2, JSON.stringify(v));

  // Putting the row back repairs the chain: the check is on content, not on the edit.
  await srv.sql(`UPDATE audit_log SET action = '${original.replaceAll("'", "''")}' ` +
    'WHERE seq = 2;');
  const fixed = expectOk(await api(srv.base, 'GET', '/api/v1/ops/audit/verify',
    { token: again.token }));
  assert.equal(fixed.ok, true, JSON.stringify(fixed));

  // A change to the detail of the newest entry is found too.
  const last = await lastSeqWith(again.token);
  await srv.sql(`UPDATE audit_log SET detail = '{"forged":true}' WHERE seq = ${last};`);
  const v2 = expectOk(await api(srv.base, 'GET', '/api/v1/ops/audit/verify',
    { token: again.token }));
  assert.equal(v2.ok, false, JSON.stringify(v2));
  assert.equal(v2.broken_at_seq, last, JSON.stringify(v2));
});

async function lastSeqWith(token) {
  const all = await auditAfter(srv.base, token, 0);
  return all[all.length - 1].seq;
}
