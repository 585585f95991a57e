// Account lockout after consecutive wrong passwords, with a short lock so the test can
// wait it out.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectOk, expectProblem } from './lib/http.mjs';
import { login, register } from './lib/fixtures.mjs';
import { fileServer, sleep } from './lib/server.mjs';

const MAX_FAILURES = 3;
const LOCK_S = 2;

const srv = await fileServer({
  CAIFUHAO_LOGIN_MAX_FAILURES: String(MAX_FAILURES),
  CAIFUHAO_LOGIN_LOCK_S: String(LOCK_S),
});
const base = srv.base;

const attempt = (loginName, password) =>
  api(base, 'POST', '/api/v1/auth/login', { body: { login: loginName, password } });

test(`${MAX_FAILURES} wrong passwords lock the account for ${LOCK_S} s`, async () => {
  const { mobile, password } = await register(base);
  for (let i = 0; i < MAX_FAILURES; i++) {
    expectProblem(await attempt(mobile, 'Wrong-pass-1'), 401, 'invalid_credentials');
  }
  const lockedAt = Date.now();
  // Locked: even the right password is refused, with a Retry-After.
  const res = await attempt(mobile, password);
  expectProblem(res, 429, 'login_locked');
  const retry = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= LOCK_S,
    `Retry-After ${res.headers.get('retry-after')} not in 1..${LOCK_S}`);
  assert.equal(res.json.token, undefined);
  expectProblem(await attempt(mobile, 'Wrong-pass-1'), 429, 'login_locked');

  while (Date.now() < lockedAt + LOCK_S * 1000 + 300) await sleep(100);
  const s = await login(base, mobile, password);
  expectOk(await api(base, 'GET', '/api/v1/me', { token: s.token }));
});

test('a successful login resets the failure count', async () => {
  const { mobile, password } = await register(base);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      expectProblem(await attempt(mobile, 'Wrong-pass-1'), 401, 'invalid_credentials');
    }
    await login(base, mobile, password);
  }
});

test('a lock on one account leaves the others alone', async () => {
  const a = await register(base);
  const b = await register(base);
  for (let i = 0; i < MAX_FAILURES; i++) {
    expectProblem(await attempt(a.mobile, 'Wrong-pass-1'), 401, 'invalid_credentials');
  }
  expectProblem(await attempt(a.mobile, a.password), 429, 'login_locked');
  await login(base, b.mobile, b.password);
});
