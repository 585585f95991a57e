// Registration, login and logout with both kinds of session, CSRF, roles, and password change.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { api, expectOk, expectProblem } from './lib/http.mjs';
import {
  INVESTOR_PASSWORD, createInstitution, institutionWithAdmin, investorSession, login,
  operatorSession, parseSetCookies, register, uniqueMobile,
} from './lib/fixtures.mjs';
import { fileServer } from './lib/server.mjs';

const srv = await fileServer();
const base = srv.base;

suite('registration', () => {
  test('a valid registration answers 201 with the new investor', async () => {
    const mobile = uniqueMobile();
    const res = await api(base, 'POST', '/api/v1/auth/register',
      { body: { mobile, password: INVESTOR_PASSWORD, display_name: '张三' } });
    const { user } = expectOk(res, 201);
    assert.match(user.id, /^[0-9]+$/, 'ids are decimal strings');
    assert.equal(user.kind, 'investor');
    assert.equal(user.role, 'investor');
    assert.equal(user.login, mobile);
    assert.equal(user.display_name, '张三');
    assert.equal(user.institution_id, null);
    assert.equal(user.status, 'active');
    assert.equal(typeof user.created_ms, 'number');
    assert.ok(Math.abs(user.created_ms - Date.now()) < 60000, 'created_ms is UTC ms now');
    assert.equal(user.password_hash, undefined);
  });

  test('display_name is optional', async () => {
    const { user } = await register(base);
    assert.equal(typeof user.display_name, 'string');
  });

  test('the same mobile twice is 409 conflict', async () => {
    const { mobile } = await register(base);
    const res = await api(base, 'POST', '/api/v1/auth/register',
      { body: { mobile, password: 'Another-pass-2' } });
    expectProblem(res, 409, 'conflict');
    // The first account keeps its password.
    await login(base, mobile, INVESTOR_PASSWORD);
  });

  test('a bad mobile is 422 naming mobile', async () => {
    const res = await api(base, 'POST', '/api/v1/auth/register',
      { body: { mobile: '12000000000', password: INVESTOR_PASSWORD } });
    expectProblem(res, 422, 'invalid_field', 'mobile');
  });

  for (const [why, password] of [
    ['too short', 'abc1234'],
    ['no digit', 'abcdefghij'],
    ['no letter', '1234567890'],
    ['over 128 bytes', `a1${'x'.repeat(127)}`],
  ]) {
    test(`a password ${why} is 422 naming password`, async () => {
      const mobile = uniqueMobile();
      const res = await api(base, 'POST', '/api/v1/auth/register',
        { body: { mobile, password } });
      expectProblem(res, 422, 'invalid_field', 'password');
      const again = await api(base, 'POST', '/api/v1/auth/login',
        { body: { login: mobile, password } });
      expectProblem(again, 401, 'invalid_credentials');
    });
  }

  test('a password of exactly 8 and of exactly 128 bytes is accepted', async () => {
    await register(base, { password: 'abcdefg1' });
    await register(base, { password: `a1${'x'.repeat(126)}` });
  });
});

suite('login and logout', () => {
  test('Bearer: login, /me, logout, and the token is dead', async () => {
    const { mobile, password, user } = await register(base);
    const s = await login(base, mobile, password);
    assert.match(s.token, /^[0-9a-f]{64}$/, 'token is 64 hex characters');
    assert.equal(typeof s.csrf, 'string');
    assert.ok(s.csrf.length > 0);
    assert.equal(s.user.id, user.id);
    assert.ok(s.expires_ms > Date.now(), 'expires_ms is in the future');

    const me = expectOk(await api(base, 'GET', '/api/v1/me', { token: s.token }));
    assert.equal(me.user.id, user.id);
    assert.equal(me.user.login, mobile);

    const out = await api(base, 'POST', '/api/v1/auth/logout', { token: s.token });
    assert.equal(out.status, 204, out.text);
    expectProblem(await api(base, 'GET', '/api/v1/me', { token: s.token }), 401,
      'unauthenticated');
    expectProblem(await api(base, 'POST', '/api/v1/auth/logout', { token: s.token }), 401,
      'unauthenticated');
  });

  test('login sets cfh_session (HttpOnly, SameSite=Strict) and cfh_csrf cookies', async () => {
    const { mobile, password } = await register(base);
    const s = await login(base, mobile, password);
    const cookies = parseSetCookies(s.res.headers);
    assert.ok(cookies.cfh_session, 'no cfh_session cookie');
    assert.ok(cookies.cfh_csrf, 'no cfh_csrf cookie');
    assert.equal(cookies.cfh_session.value, s.token);
    assert.equal(cookies.cfh_csrf.value, s.csrf);
    assert.ok(cookies.cfh_session.attrs.has('httponly'));
    assert.ok(cookies.cfh_session.attrs.has('samesite=strict'));
    assert.ok(cookies.cfh_session.attrs.has('path=/'));
    assert.ok(!cookies.cfh_csrf.attrs.has('httponly'), 'the web UI must read cfh_csrf');
    assert.ok(cookies.cfh_csrf.attrs.has('samesite=strict'));
    assert.ok(cookies.cfh_csrf.attrs.has('path=/'));
  });

  test('cookie: /me works, logout needs the CSRF header, then the cookie is dead', async () => {
    const { mobile, password } = await register(base);
    const s = await login(base, mobile, password);
    const session = { cookie: s.cookie, csrf: s.csrf };
    expectOk(await api(base, 'GET', '/api/v1/me', { session }));
    const out = await api(base, 'POST', '/api/v1/auth/logout', { session });
    assert.equal(out.status, 204, out.text);
    expectProblem(await api(base, 'GET', '/api/v1/me', { session }), 401, 'unauthenticated');
  });

  test('wrong password and unknown login are both 401 invalid_credentials', async () => {
    const { mobile } = await register(base);
    expectProblem(await api(base, 'POST', '/api/v1/auth/login',
      { body: { login: mobile, password: 'Wrong-pass-9' } }), 401, 'invalid_credentials');
    expectProblem(await api(base, 'POST', '/api/v1/auth/login',
      { body: { login: uniqueMobile(), password: 'Wrong-pass-9' } }), 401,
    'invalid_credentials');
  });

  test('logging out one session leaves the others open', async () => {
    const { mobile, password } = await register(base);
    const a = await login(base, mobile, password);
    const b = await login(base, mobile, password);
    assert.notEqual(a.token, b.token);
    assert.equal((await api(base, 'POST', '/api/v1/auth/logout', { token: a.token })).status,
      204);
    expectOk(await api(base, 'GET', '/api/v1/me', { token: b.token }));
  });
});

suite('CSRF', () => {
  test('cookie + POST without X-CSRF-Token, or with a wrong one, is 403 csrf_failed', async () => {
    const s = await investorSession(base);
    const session = { cookie: s.cookie, csrf: s.csrf };
    expectProblem(await api(base, 'POST', '/api/v1/auth/logout', { session, csrf: false }),
      403, 'csrf_failed');
    expectProblem(await api(base, 'POST', '/api/v1/auth/logout', {
      session: { cookie: s.cookie, csrf: s.csrf }, csrf: false,
      headers: { 'X-CSRF-Token': 'f'.repeat(s.csrf.length) },
    }), 403, 'csrf_failed');
    // Another session's CSRF token is just as wrong.
    const other = await investorSession(base);
    expectProblem(await api(base, 'POST', '/api/v1/auth/logout', {
      session, csrf: false, headers: { 'X-CSRF-Token': other.csrf },
    }), 403, 'csrf_failed');
    // Nothing happened: the session is still open.
    expectOk(await api(base, 'GET', '/api/v1/me', { session }));
  });

  test('a refused password change by cookie changes nothing', async () => {
    const { mobile, password } = await register(base);
    const s = await login(base, mobile, password);
    const res = await api(base, 'POST', '/api/v1/me/password', {
      session: { cookie: s.cookie, csrf: s.csrf }, csrf: false,
      body: { current_password: password, new_password: 'Changed-pass-3' },
    });
    expectProblem(res, 403, 'csrf_failed');
    await login(base, mobile, password);
  });

  test('an operator action by cookie without the header creates nothing', async () => {
    const ops = await operatorSession(srv);
    const before = expectOk(await api(base, 'GET', '/api/v1/ops/institutions',
      { token: ops.token })).items.length;
    const res = await api(base, 'POST', '/api/v1/ops/institutions', {
      session: { cookie: ops.cookie, csrf: ops.csrf }, csrf: false,
      body: { name: 'CSRF 测试基金', short_name: 'CSRF', type: 'fund_company' },
    });
    expectProblem(res, 403, 'csrf_failed');
    const after = expectOk(await api(base, 'GET', '/api/v1/ops/institutions',
      { token: ops.token })).items.length;
    assert.equal(after, before);
    // With the header it works.
    const ok = await api(base, 'POST', '/api/v1/ops/institutions', {
      session: { cookie: ops.cookie, csrf: ops.csrf },
      body: { name: 'CSRF 测试基金', short_name: 'CSRF', type: 'fund_company' },
    });
    expectOk(ok, 201);
  });

  test('Bearer needs no CSRF header; a cookie GET needs none either', async () => {
    const s = await investorSession(base);
    expectOk(await api(base, 'GET', '/api/v1/me',
      { session: { cookie: s.cookie, csrf: s.csrf } }));
    const res = await api(base, 'POST', '/api/v1/auth/logout', { token: s.token });
    assert.equal(res.status, 204, res.text);
  });
});

suite('roles', () => {
  const OPS_GETS = ['/api/v1/ops/institutions', '/api/v1/ops/audit', '/api/v1/ops/audit/verify'];
  const INST_GETS = ['/api/v1/inst/institution', '/api/v1/inst/staff'];
  const SIGNED_IN = ['/api/v1/me', ...OPS_GETS, ...INST_GETS];

  test('anonymous callers get 401 on every signed-in route', async () => {
    for (const path of SIGNED_IN) {
      expectProblem(await api(base, 'GET', path), 401, 'unauthenticated');
    }
    const posts = [
      ['/api/v1/auth/logout', undefined],
      ['/api/v1/me/password', { current_password: 'a', new_password: 'Abcdefg12' }],
      ['/api/v1/ops/institutions', { name: '匿名基金', short_name: '匿名', type: 'bank' }],
      ['/api/v1/inst/staff', { login: 'anon.user', display_name: 'x', role: 'inst_operator' }],
    ];
    for (const [path, body] of posts) {
      expectProblem(await api(base, 'POST', path, { body }), 401, 'unauthenticated');
    }
    expectProblem(await api(base, 'PATCH', '/api/v1/inst/staff/12345',
      { body: { role: 'inst_admin' } }), 401, 'unauthenticated');
  });

  test('an investor cannot reach /ops or /inst routes (403 forbidden)', async () => {
    const s = await investorSession(base);
    for (const path of [...OPS_GETS, ...INST_GETS]) {
      expectProblem(await api(base, 'GET', path, { token: s.token }), 403, 'forbidden');
    }
    expectProblem(await api(base, 'POST', '/api/v1/ops/institutions', {
      token: s.token, body: { name: '越权基金', short_name: '越权', type: 'fund_company' },
    }), 403, 'forbidden');
    expectProblem(await api(base, 'POST', '/api/v1/inst/staff', {
      token: s.token, body: { login: 'sneaky.one', display_name: 'x', role: 'inst_admin' },
    }), 403, 'forbidden');
  });

  test('ops_reviewer reads institutions but may not create them or read the audit log',
    async () => {
      const rev = await operatorSession(srv, 'ops_reviewer');
      expectOk(await api(base, 'GET', '/api/v1/ops/institutions', { token: rev.token }));
      expectProblem(await api(base, 'POST', '/api/v1/ops/institutions', {
        token: rev.token, body: { name: '审核员基金', short_name: '审核', type: 'bank' },
      }), 403, 'forbidden');
      expectProblem(await api(base, 'GET', '/api/v1/ops/audit', { token: rev.token }), 403,
        'forbidden');
      expectProblem(await api(base, 'GET', '/api/v1/inst/staff', { token: rev.token }), 403,
        'forbidden');
    });

  test('ops_risk reads the audit log but may not change institutions', async () => {
    const risk = await operatorSession(srv, 'ops_risk');
    const admin = await operatorSession(srv, 'ops_admin');
    const inst = await createInstitution(base, admin.token);
    expectOk(await api(base, 'GET', '/api/v1/ops/audit', { token: risk.token }));
    expectOk(await api(base, 'GET', '/api/v1/ops/audit/verify', { token: risk.token }));
    expectProblem(await api(base, 'POST', `/api/v1/ops/institutions/${inst.id}/status`, {
      token: risk.token, body: { status: 'pilot', reason: 'not mine to do' },
    }), 403, 'forbidden');
  });

  test('institution staff cannot reach /ops routes; operators cannot reach /inst', async () => {
    const ops = await operatorSession(srv);
    const { admin } = await institutionWithAdmin(base, ops.token);
    for (const path of OPS_GETS) {
      expectProblem(await api(base, 'GET', path, { token: admin.token }), 403, 'forbidden');
    }
    for (const path of INST_GETS) {
      expectProblem(await api(base, 'GET', path, { token: ops.token }), 403, 'forbidden');
    }
  });
});

suite('password change', () => {
  test('other sessions end, the changing one stays, the new password works', async () => {
    const { mobile, password } = await register(base);
    const a = await login(base, mobile, password);
    const b = await login(base, mobile, password);
    const res = await api(base, 'POST', '/api/v1/me/password', {
      token: a.token, body: { current_password: password, new_password: 'Brand-new-pass-7' },
    });
    assert.equal(res.status, 204, res.text);
    expectProblem(await api(base, 'GET', '/api/v1/me', { token: b.token }), 401,
      'unauthenticated');
    expectOk(await api(base, 'GET', '/api/v1/me', { token: a.token }));
    expectProblem(await api(base, 'POST', '/api/v1/auth/login',
      { body: { login: mobile, password } }), 401, 'invalid_credentials');
    await login(base, mobile, 'Brand-new-pass-7');
  });

  test('a wrong current password changes nothing', async () => {
    const { mobile, password } = await register(base);
    const s = await login(base, mobile, password);
    const res = await api(base, 'POST', '/api/v1/me/password', {
      token: s.token, body: { current_password: 'Not-my-pass-1', new_password: 'Other-pass-5' },
    });
    // 422, not 401: the session is fine, a field is wrong (openapi.yaml says so).
    expectProblem(res, 422, 'invalid_field', 'current_password');
    expectOk(await api(base, 'GET', '/api/v1/me', { token: s.token }));
    await login(base, mobile, password);
  });

  test('a new password that breaks the rules is 422 naming new_password', async () => {
    const { mobile, password } = await register(base);
    const s = await login(base, mobile, password);
    const res = await api(base, 'POST', '/api/v1/me/password', {
      token: s.token, body: { current_password: password, new_password: 'short' },
    });
    expectProblem(res, 422, 'invalid_field', 'new_password');
    await login(base, mobile, password);
  });
});
