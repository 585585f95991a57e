// The confirmation batch survives being killed. About 3000 orders of 60 investors in two
// products (subscriptions, and redemptions of lots confirmed the trading day before) wait for
// `batch confirm`. A copy of the database is confirmed in one uninterrupted run; the original
// is confirmed by runs killed with SIGKILL at random moments, then run to completion. After
// every kill the ledger must reconcile (a chunk commits entirely or not at all), and at the
// end both databases must hold the same orders, balances, entries and lots.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { after, afterEach, test } from 'node:test';

import { login, register } from './lib/fixtures.mjs';
import { expectOk } from './lib/http.mjs';
import { BIN } from './lib/server.mjs';
import {
  ANSWERS, World, api, assess, batchReport, clockEnv, expectLedgerOk, institutionWithStaff,
  productBody, publishNavOk, putProfile, topup,
} from './lib/trading.mjs';

const INVESTORS = 60;
const SUBSCRIPTIONS = 40; // per investor, over both products
const REDEMPTIONS = 10;   // per investor, of the lots bought the trading day before
const CONCURRENCY = 24;
const KILLS_WANTED = 3;   // kills that land while the batch is half done
const T = '2026-03-02';

const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

/** Runs `fn` over `items` with at most `n` at a time. */
async function pool(items, n, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
}

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function rng(seed) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** Starts `batch confirm` on `db`; answers {child, done: Promise<{code, signal, stdout}>}. */
function startConfirm(db) {
  const child = spawn(BIN, ['batch', 'confirm', '--date', T, '--db', db], {
    // Chunks of 512 orders, so that this test's few thousand orders make several.
    env: { ...process.env, ...clockEnv(T, '20:00:00'), CAIFUHAO_BATCH_CHUNK: '512' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stdout += d; });
  const done = new Promise((resolve) => child.on('close',
    (code, signal) => resolve({ code, signal, stdout })));
  return { child, done };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The state two runs must agree on; ids of accounts, entries and lots are random, so rows are
// compared by what they mean.
const STATE_SQL = `
SELECT 'order', id, status, coalesce(nav_e4, ''), coalesce(fee_fen, ''), coalesce(net_fen, ''),
  coalesce(gross_fen, ''), coalesce(confirmed_shares_h, ''), coalesce(cash_date, ''),
  coalesce(fail_reason, '') FROM orders ORDER BY id;
SELECT 'account', asset, kind, owner_id, balance FROM ledger_accounts
  ORDER BY asset, kind, owner_id;
SELECT 'entry', e.event, coalesce(e.order_id, ''), e.asset, f.kind, f.owner_id, t.kind,
  t.owner_id, e.amount FROM ledger_entries e JOIN ledger_accounts f ON f.id = e.from_account
  JOIN ledger_accounts t ON t.id = e.to_account
  ORDER BY 2, 3, 4, 5, 6, 7, 8, 9;
SELECT 'lot', investor_id, product_id, confirmed_date, shares_h, cost_fen,
  coalesce(order_id, '') FROM share_lots ORDER BY 2, 3, 4, 7, 5, 6;`;

const s = {};

test('2026-02-26: 60 investors buy into two products, confirmed into lots', async () => {
  await w.at('2026-02-26');
  const staff = await institutionWithStaff(w.srv);
  s.staff = staff;
  const create = async (overrides) => expectOk(await api(w.base, 'POST', '/api/v1/inst/products',
    { token: staff.admin.token, body: productBody({ daily_limit: '1000000.00',
      ...overrides }) }), 201).product;
  s.products = [
    await create({}),
    await create({ type: 'bond', equity_leaning: false, risk_level: 'R2', fee_discount: '1',
      sub_fees: [{ min_amount: '0', rate: '0.003' }], share_rounding: 'truncate',
      redeem_delay_days: 2 }),
  ];
  s.investors = [];
  await pool(Array.from({ length: INVESTORS }, (_, i) => i), 8, async () => {
    const r = await register(w.base);
    const sess = await login(w.base, r.mobile, r.password);
    await putProfile(w.base, sess.token);
    await assess(w.base, sess.token, ANSWERS.C5);
    await topup(w.base, sess.token, '70000.00');
    for (const p of s.products) {
      const res = await api(w.base, 'POST', '/api/v1/investor/orders', { token: sess.token,
        body: { client_order_id: `first-${p.code}`, product_id: p.id, side: 'subscribe',
          amount: '10000.00' } });
      expectOk(res, 201);
    }
    s.investors.push({ ...r, token: sess.token });
  });
  for (const p of s.products) {
    await publishNavOk(w.base, staff.admin.token, p.id, '2026-02-26', '1.0000', '1.0000');
  }
  const rep = await w.confirm('2026-02-26');
  assert.deepEqual([rep.processed, rep.failed], [2 * INVESTORS, 0], rep.stdout);
});

test(`${T}: about 3000 orders wait for confirmation`, async () => {
  await w.at(T);
  const rand = rng(20260302);
  const orders = [];
  for (const inv of s.investors) {
    for (let k = 0; k < SUBSCRIPTIONS; k++) {
      const amount = `${100 + Math.floor(rand() * 900)}.${String(Math.floor(rand() * 100))
        .padStart(2, '0')}`;
      orders.push({ inv, body: { client_order_id: `s${k}`, product_id: s.products[k % 2].id,
        side: 'subscribe', amount } });
    }
    for (let k = 0; k < REDEMPTIONS; k++) {
      const shares = `${10 + Math.floor(rand() * 90)}.${String(Math.floor(rand() * 100))
        .padStart(2, '0')}`;
      orders.push({ inv, body: { client_order_id: `r${k}`, product_id: s.products[k % 2].id,
        side: 'redeem', shares } });
    }
  }
  for (const inv of s.investors) {
    inv.token = (await login(w.base, inv.mobile, inv.password)).token;
  }
  s.staff.admin.token = (await login(w.base, s.staff.admin.login, 'Staff-pass-1')).token;
  const started = Date.now();
  let failures = 0;
  await pool(orders, CONCURRENCY, async ({ inv, body }) => {
    const res = await api(w.base, 'POST', '/api/v1/investor/orders', { token: inv.token, body });
    if (res.status !== 201) {
      failures++;
      assert.fail(`order refused: ${res.status} ${res.text}`);
    }
  });
  assert.equal(failures, 0);
  s.total = orders.length;
  process.stderr.write(`# ${orders.length} orders placed in ${Date.now() - started} ms\n`);
  for (const [i, p] of s.products.entries()) {
    await publishNavOk(w.base, s.staff.admin.token, p.id, T, i === 0 ? '1.0123' : '1.0007',
      '1.5000');
  }
  await w.stop();
  const accepted = (await w.sql(`SELECT count(*) FROM orders WHERE status = 'accepted'
    AND trade_date = '${T}';`)).trim();
  assert.equal(Number(accepted), s.total);
});

test('killed runs, then a full run, end where one uninterrupted run ends', async (t) => {
  // The reference: a copy confirmed in one go.
  const ref = `${w.db}.reference`;
  await w.sql(`.backup '${ref}'`);
  await copyFile(`${w.db}.key`, `${ref}.key`);
  let started = Date.now();
  const whole = await startConfirm(ref).done;
  const wholeMs = Date.now() - started;
  assert.equal(whole.code, 0, whole.stdout);
  const wholeReport = batchReport(whole);
  assert.deepEqual([wholeReport.processed, wholeReport.failed, wholeReport.waiting],
    [s.total, 0, 0], whole.stdout);
  assert.ok(wholeReport.chunks >= Math.ceil(s.total / 512), whole.stdout);
  await expectLedgerOk(ref);

  // How long a run takes that finds nothing to do: start-up, before the first chunk.
  started = Date.now();
  const idle = await startConfirm(ref).done;
  const idleMs = Date.now() - started;
  assert.equal(batchReport(idle).processed, 0, idle.stdout);
  t.diagnostic(`uninterrupted run ${wholeMs} ms, idle run ${idleMs} ms`);

  const count = async () => Number((await w.sql(`SELECT count(*) FROM orders WHERE status
    <> 'accepted' AND trade_date = '${T}';`)).trim());
  // Kill times aim between chunk commits: a chunk takes about wholeMs / chunks, and a run
  // spends about half a chunk's time before its first one. The aim is rough on a busy
  // machine; kills before the first commit or after the last are fine too, only counted apart.
  const seed = Date.now() % 100000;
  const rand = rng(seed);
  const chunkMs = wholeMs / (wholeReport.chunks + 0.5);
  let midRun = 0;
  let attempts = 0;
  let done = 0;
  const log = [];
  while (midRun < KILLS_WANTED && attempts < 8 && done < s.total) {
    attempts++;
    const delay = Math.round(chunkMs * (1.1 + rand() * 1.4)); // after 1 or 2 commits

    const run = startConfirm(w.db);
    await sleep(delay);
    run.child.kill('SIGKILL');
    const end = await run.done;
    const now = await count();
    log.push(`kill after ${delay} ms: ${end.signal ?? `exit ${end.code}`}, ${now} confirmed`);
    // Whatever the moment, what was committed reconciles, in whole chunks.
    await expectLedgerOk(w.db);
    assert.ok(now >= done, 'confirmed orders went back to accepted');
    assert.ok(now % 512 === 0 || now === s.total,
      `a kill left ${now} orders confirmed: not a whole number of 512-order chunks`);
    if (end.signal === 'SIGKILL' && now > done && now < s.total) midRun++;
    done = now;
  }
  t.diagnostic(`seed ${seed}: ${attempts} kills, ${midRun} between commits`);
  for (const line of log) t.diagnostic(line);
  assert.ok(midRun >= 1, `no kill landed while the batch was half done:\n${log.join('\n')}`);

  const last = await startConfirm(w.db).done;
  assert.equal(last.code, 0, last.stdout);
  const lastReport = batchReport(last);
  assert.equal(lastReport.processed, s.total - done, last.stdout);
  assert.equal(await count(), s.total);
  await expectLedgerOk(w.db);

  const mine = await w.sql(STATE_SQL);
  const theirs = await w.sql(STATE_SQL.replaceAll('FROM ', 'FROM ref.')
    .replaceAll('JOIN ledger_accounts', 'JOIN ref.ledger_accounts')
    .replace(/^/, `ATTACH '${ref}' AS ref;\n`));
  const a = mine.split('\n');
  const b = theirs.split('\n');
  assert.equal(a.length, b.length, 'the two databases hold different numbers of rows');
  const diff = a.map((line, i) => [line, b[i]]).filter(([x, y]) => x !== y).slice(0, 10);
  assert.deepEqual(diff, [], 'killed and uninterrupted runs differ');
  assert.ok(a.filter((l) => l.startsWith('order|')).length >= s.total);
  assert.ok(a.some((l) => /^order\|\d+\|confirmed\|10123\|/.test(l)));
});
