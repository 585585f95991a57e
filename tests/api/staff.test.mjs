// Institution staff: operators invite an institution's first admin, the admin invites and
// manages colleagues, and no institution ever sees or touches another's staff.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { api, expectOk, expectProblem } from './lib/http.mjs';
import {
  STAFF_PASSWORD, acceptAndLogin, createInstitution, instInvite, institutionWithAdmin,
  investorSession, login, operatorSession, opsInvite, unique,
} from './lib/fixtures.mjs';
import { fileServer } from './lib/server.mjs';

const srv = await fileServer();
const base = srv.base;
const ops = await operatorSession(srv, 'ops_admin');

const listOwn = async (token) =>
  expectOk(await api(base, 'GET', '/api/v1/inst/staff', { token })).items;
const patch = (token, id, body) =>
  api(base, 'PATCH', `/api/v1/inst/staff/${id}`, { token, body });

suite('invitation', () => {
  test('operator invites, the invitee accepts, logs in and sees their institution', async () => {
    const inst = await createInstitution(base, ops.token);
    const loginName = unique('boshi.admin');
    const res = await api(base, 'POST', `/api/v1/ops/institutions/${inst.id}/staff`, {
      token: ops.token, body: { login: loginName, display_name: '博时管理员', role: 'inst_admin' },
    });
    const invite = expectOk(res, 201);
    assert.equal(typeof invite.invite_token, 'string');
    assert.ok(invite.invite_token.length >= 32, 'an invite token must be unguessable');
    const { user } = invite;
    assert.equal(user.kind, 'staff');
    assert.equal(user.role, 'inst_admin');
    assert.equal(user.login, loginName);
    assert.equal(user.display_name, '博时管理员');
    assert.equal(user.institution_id, inst.id);
    assert.equal(user.status, 'invited');

    // No password yet: no login.
    expectProblem(await api(base, 'POST', '/api/v1/auth/login',
      { body: { login: loginName, password: STAFF_PASSWORD } }), 401, 'invalid_credentials');

    const s = await acceptAndLogin(base, invite);
    assert.equal(s.user.id, user.id);
    assert.equal(s.user.role, 'inst_admin');
    const own = expectOk(await api(base, 'GET', '/api/v1/inst/institution', { token: s.token }));
    assert.equal(own.institution.id, inst.id);

    const listed = expectOk(await api(base, 'GET', `/api/v1/ops/institutions/${inst.id}/staff`,
      { token: ops.token })).items;
    assert.deepEqual(listed.map((u) => [u.id, u.status]), [[user.id, 'active']]);
  });

  test('an invite token works once', async () => {
    const inst = await createInstitution(base, ops.token);
    const invite = await opsInvite(base, ops.token, inst.id);
    await acceptAndLogin(base, invite);
    const again = await api(base, 'POST', '/api/v1/auth/accept-invite',
      { body: { token: invite.invite_token, password: 'Taken-over-9' } });
    expectProblem(again, 404, 'not_found');
    // The account keeps the first password.
    await login(base, invite.user.login, STAFF_PASSWORD);
    expectProblem(await api(base, 'POST', '/api/v1/auth/login',
      { body: { login: invite.user.login, password: 'Taken-over-9' } }), 401,
    'invalid_credentials');
  });

  test('an unknown invite token is 404; a weak password is 422', async () => {
    expectProblem(await api(base, 'POST', '/api/v1/auth/accept-invite',
      { body: { token: 'a'.repeat(64), password: STAFF_PASSWORD } }), 404, 'not_found');
    const inst = await createInstitution(base, ops.token);
    const invite = await opsInvite(base, ops.token, inst.id);
    expectProblem(await api(base, 'POST', '/api/v1/auth/accept-invite',
      { body: { token: invite.invite_token, password: 'weak' } }), 422, 'invalid_field',
    'password');
    // Still usable after the refusal.
    await acceptAndLogin(base, invite);
  });

  test('invite rules: role, login format, duplicate login, unknown institution', async () => {
    const inst = await createInstitution(base, ops.token);
    const path = `/api/v1/ops/institutions/${inst.id}/staff`;
    const ok = { login: unique('dup.'), display_name: '某人', role: 'inst_operator' };
    expectOk(await api(base, 'POST', path, { token: ops.token, body: ok }), 201);
    expectProblem(await api(base, 'POST', path, { token: ops.token, body: ok }), 409,
      'conflict');
    for (const role of ['ops_admin', 'investor', 'admin']) {
      expectProblem(await api(base, 'POST', path,
        { token: ops.token, body: { ...ok, login: unique('r.'), role } }), 422,
      'invalid_field', 'role');
    }
    for (const bad of ['ab', '1abc', 'Upper.case', 'has space', 'a'.repeat(33), '-dash', '张三']) {
      expectProblem(await api(base, 'POST', path,
        { token: ops.token, body: { ...ok, login: bad } }), 422, 'invalid_field', 'login');
    }
    expectProblem(await api(base, 'POST', '/api/v1/ops/institutions/1234567890123/staff',
      { token: ops.token, body: { ...ok, login: unique('x.') } }), 404, 'not_found');
  });

  test('a staff login is unique across institutions', async () => {
    const one = await createInstitution(base, ops.token);
    const two = await createInstitution(base, ops.token);
    const loginName = unique('same.');
    await opsInvite(base, ops.token, one.id, 'inst_operator', loginName);
    expectProblem(await api(base, 'POST', `/api/v1/ops/institutions/${two.id}/staff`, {
      token: ops.token, body: { login: loginName, display_name: 'x', role: 'inst_admin' },
    }), 409, 'conflict');
  });
});

suite('inst_admin manages own staff', () => {
  test('invite colleagues, change a role, disable an account', async () => {
    const { inst, admin } = await institutionWithAdmin(base, ops.token);
    const inv = await instInvite(base, admin.token, 'inst_operator');
    assert.equal(inv.user.institution_id, inst.id, 'staff join the admin\'s institution');
    assert.equal(inv.user.role, 'inst_operator');
    const op = await acceptAndLogin(base, inv);

    const seen = await listOwn(op.token);
    assert.deepEqual(new Set(seen.map((u) => u.id)), new Set([admin.user.id, op.user.id]));

    const r1 = await patch(admin.token, op.user.id, { role: 'inst_compliance' });
    assert.equal(expectOk(r1).user.role, 'inst_compliance');
    const meAfter = expectOk(await api(base, 'GET', '/api/v1/me', { token: op.token }));
    assert.equal(meAfter.user.role, 'inst_compliance');

    const r2 = await patch(admin.token, op.user.id, { status: 'disabled' });
    assert.equal(expectOk(r2).user.status, 'disabled');
    const refused = await api(base, 'POST', '/api/v1/auth/login',
      { body: { login: op.user.login, password: STAFF_PASSWORD } });
    expectProblem(refused, 403, 'forbidden');
    // A wrong password says nothing about the account's state.
    expectProblem(await api(base, 'POST', '/api/v1/auth/login',
      { body: { login: op.user.login, password: 'Wrong-pass-1' } }), 401, 'invalid_credentials');

    const r3 = await patch(admin.token, op.user.id, { status: 'active' });
    assert.equal(expectOk(r3).user.status, 'active');
    await login(base, op.user.login, STAFF_PASSWORD);
  });

  test('an admin cannot change their own role or status (409)', async () => {
    const { admin } = await institutionWithAdmin(base, ops.token);
    for (const body of [{ status: 'disabled' }, { role: 'inst_operator' }]) {
      expectProblem(await patch(admin.token, admin.user.id, body), 409, 'conflict');
    }
    const me = expectOk(await api(base, 'GET', '/api/v1/me', { token: admin.token })).user;
    assert.deepEqual([me.role, me.status], ['inst_admin', 'active']);
  });

  test('only inst_admin may invite or change staff', async () => {
    const { admin } = await institutionWithAdmin(base, ops.token);
    const op = await acceptAndLogin(base, await instInvite(base, admin.token, 'inst_operator'));
    const co = await acceptAndLogin(base,
      await instInvite(base, admin.token, 'inst_compliance'));
    for (const s of [op, co]) {
      expectProblem(await api(base, 'POST', '/api/v1/inst/staff', {
        token: s.token, body: { login: unique('n.'), display_name: 'x', role: 'inst_admin' },
      }), 403, 'forbidden');
      expectProblem(await patch(s.token, s.user.id, { role: 'inst_admin' }), 403, 'forbidden');
    }
    assert.equal(expectOk(await api(base, 'GET', '/api/v1/me', { token: op.token })).user.role,
      'inst_operator');
  });

  test('patch rules', async () => {
    const { admin } = await institutionWithAdmin(base, ops.token);
    const inv = await instInvite(base, admin.token, 'inst_operator');
    expectProblem(await patch(admin.token, inv.user.id, { role: 'ops_admin' }), 422,
      'invalid_field', 'role');
    expectProblem(await patch(admin.token, inv.user.id, { status: 'invited' }), 422,
      'invalid_field', 'status');
    expectProblem(await patch(admin.token, inv.user.id, { institution_id: '1' }), 422,
      'unknown_field', 'institution_id');
    expectProblem(await patch(admin.token, '1234567890123', { role: 'inst_admin' }), 404,
      'not_found');
    expectProblem(await patch(admin.token, 'abc', { role: 'inst_admin' }), 400, 'bad_request');
  });
});

suite('tenant isolation', () => {
  test('staff of A never see B and get 404 for B\'s staff', async () => {
    const a = await institutionWithAdmin(base, ops.token);
    const b = await institutionWithAdmin(base, ops.token);
    const bOp = await acceptAndLogin(base, await instInvite(base, b.admin.token, 'inst_operator'));
    const bIds = [b.admin.user.id, bOp.user.id];

    for (const id of bIds) {
      for (const body of [{ role: 'inst_compliance' }, { status: 'disabled' }]) {
        expectProblem(await patch(a.admin.token, id, body), 404, 'not_found');
      }
    }
    // B's staff are untouched and still work.
    const bList = await listOwn(b.admin.token);
    assert.deepEqual(bList.map((u) => [u.id, u.role, u.status]).sort(), [
      [b.admin.user.id, 'inst_admin', 'active'],
      [bOp.user.id, 'inst_operator', 'active'],
    ].sort());
    await login(base, bOp.user.login, STAFF_PASSWORD);

    // A's views never mention B.
    const aList = await listOwn(a.admin.token);
    const aText = JSON.stringify(aList);
    assert.ok(aList.every((u) => u.institution_id === a.inst.id));
    for (const id of [b.inst.id, ...bIds]) assert.ok(!aText.includes(id), `A's list shows ${id}`);
    const own = expectOk(await api(base, 'GET', '/api/v1/inst/institution',
      { token: a.admin.token }));
    assert.equal(own.institution.id, a.inst.id);
  });

  test('an institution id in the request cannot move staff elsewhere', async () => {
    const a = await institutionWithAdmin(base, ops.token);
    const b = await institutionWithAdmin(base, ops.token);
    const res = await api(base, 'POST', '/api/v1/inst/staff', {
      token: a.admin.token,
      body: { login: unique('m.'), display_name: 'x', role: 'inst_admin',
        institution_id: b.inst.id },
    });
    expectProblem(res, 422, 'unknown_field', 'institution_id');
    const bList = await listOwn(b.admin.token);
    assert.deepEqual(bList.map((u) => u.id), [b.admin.user.id]);
  });

  test('an inst_admin gets 404 for investors and operators', async () => {
    const a = await institutionWithAdmin(base, ops.token);
    const inv = await investorSession(base);
    for (const id of [inv.user.id, ops.user.id]) {
      expectProblem(await patch(a.admin.token, id, { status: 'disabled' }), 404, 'not_found');
    }
    expectOk(await api(base, 'GET', '/api/v1/me', { token: inv.token }));
    expectOk(await api(base, 'GET', '/api/v1/me', { token: ops.token }));
  });
});
