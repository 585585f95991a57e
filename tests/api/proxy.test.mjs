// Behind a reverse proxy the per-client rate limit must see clients, not the proxy: with
// CAIFUHAO_TRUSTED_PROXY set to the proxy's address, the client is the last address the
// proxy appended to X-Forwarded-For; without it, the header is ignored (it is forgeable).

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { startServer } from './lib/server.mjs';

const PATH = '/api/v1/public/institutions';
const LIMITS = { CAIFUHAO_RATE_LIMIT_RPS: '1', CAIFUHAO_RATE_LIMIT_BURST: '3' };

async function statuses(base, xff, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(base + PATH, { headers: xff ? { 'X-Forwarded-For': xff } : {} });
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

const proxied = await startServer({ ...LIMITS, CAIFUHAO_TRUSTED_PROXY: '127.0.0.1' });
const direct = await startServer(LIMITS);
after(async () => {
  for (const srv of [proxied, direct]) {
    await srv.stop();
    await srv.removeWorkdir();
  }
});

test('behind the trusted proxy each forwarded client has its own budget', async () => {
  const a = await statuses(proxied.base, '10.0.0.1', 5);
  assert.deepEqual(a.slice(0, 3), [200, 200, 200]);
  assert.ok(a.slice(3).includes(429), `client A was never limited: ${a}`);
  // Another client is not held back by A.
  assert.deepEqual(await statuses(proxied.base, '10.0.0.2', 3), [200, 200, 200]);
  // The proxy appends the real client last: what the client claimed before it is ignored.
  const forged = await statuses(proxied.base, '10.0.0.9, 10.0.0.1', 1);
  assert.deepEqual(forged, [429]);
});

test('without a trusted proxy X-Forwarded-For is ignored', async () => {
  await statuses(direct.base, '10.0.0.1', 5);
  // A "different" client from the same socket address shares the exhausted budget.
  const b = await statuses(direct.base, '10.0.0.2', 2);
  assert.ok(b.includes(429), `a forged header escaped the limit: ${b}`);
});
