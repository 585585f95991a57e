// Session expiry, with the limits shrunk to seconds so that the tests can wait them out.
// Two servers: one with a short idle limit, one with a short absolute limit.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { api, expectOk, expectProblem } from './lib/http.mjs';
import { investorSession } from './lib/fixtures.mjs';
import { fileServer, sleep } from './lib/server.mjs';

const IDLE_S = 2;
const ABSOLUTE_S = 4;

const idleSrv = await fileServer({
  CAIFUHAO_SESSION_IDLE_S: String(IDLE_S),
  CAIFUHAO_SESSION_ABSOLUTE_S: '600',
});
const absSrv = await fileServer({
  CAIFUHAO_SESSION_IDLE_S: String(ABSOLUTE_S),
  CAIFUHAO_SESSION_ABSOLUTE_S: String(ABSOLUTE_S),
});

const me = (srv, s) => api(srv.base, 'GET', '/api/v1/me', { token: s.token });

// The two servers are independent, so their waits may overlap.
suite('session expiry', { concurrency: true }, () => {
  test(`a session unused for more than ${IDLE_S} s ends`, async () => {
    const s = await investorSession(idleSrv.base);
    expectOk(await me(idleSrv, s));
    await sleep(IDLE_S * 1000 + 1200);
    expectProblem(await me(idleSrv, s), 401, 'unauthenticated');
    // Expired means gone: it does not come back.
    expectProblem(await me(idleSrv, s), 401, 'unauthenticated');
  });

  test('a session in use stays open past the idle limit', async () => {
    const loginAt = Date.now();
    const s = await investorSession(idleSrv.base);
    // Used every 0.7 s for over twice the idle limit: never idle for IDLE_S.
    while (Date.now() < loginAt + IDLE_S * 2000 + 500) {
      await sleep(700);
      const res = await me(idleSrv, s);
      const elapsed = ((Date.now() - loginAt) / 1000).toFixed(1);
      assert.equal(res.status, 200, `${elapsed} s after login: ${res.status} ${res.text}`);
    }
  });

  test('an idle-expired cookie session is refused too', async () => {
    const s = await investorSession(idleSrv.base);
    const session = { cookie: s.cookie, csrf: s.csrf };
    expectOk(await api(idleSrv.base, 'GET', '/api/v1/me', { session }));
    await sleep(IDLE_S * 1000 + 1200);
    expectProblem(await api(idleSrv.base, 'GET', '/api/v1/me', { session }), 401,
      'unauthenticated');
  });

  test(`a session ends ${ABSOLUTE_S} s after login however much it is used`, async () => {
    const loginAt = Date.now();
    const s = await investorSession(absSrv.base);
    assert.ok(Math.abs(s.expires_ms - (loginAt + ABSOLUTE_S * 1000)) < 2000,
      `expires_ms ${s.expires_ms} is not login + ${ABSOLUTE_S} s (${loginAt})`);
    // Keep it busy (never idle for long) until just before the absolute limit.
    while (Date.now() < loginAt + ABSOLUTE_S * 1000 - 1200) {
      expectOk(await me(absSrv, s));
      await sleep(600);
    }
    while (Date.now() < loginAt + ABSOLUTE_S * 1000 + 1200) await sleep(100);
    expectProblem(await me(absSrv, s), 401, 'unauthenticated');
    // A fresh login works.
    const again = await investorSession(absSrv.base);
    expectOk(await me(absSrv, again));
  });
});
