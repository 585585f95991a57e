// The trading endpoints refuse what they must: every refusal is a clear 4xx problem and
// leaves cash, holdings, orders, the ledger and the evidence tables exactly as they were.
// Orders that race each other for the same cash or the same daily limit never overspend.
// The business clock is set per server (World.at), so the same database is visited at a
// known trading day, after the cutoff, on a weekend, on a holiday, a year later and on the
// day after the National Day closure.

import assert from 'node:assert/strict';
import { after, afterEach, describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import {
  acceptAndLogin, createInstitution, login, opsInvite, register,
} from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import {
  ANSWERS, BANK_CARD, CONFIRMED, ID_NUMBER, World, api, assess, cash, checkContract, clientId,
  cstMs, expectCash, expectLedgerOk, institutionWithStaff, placeOrder, productBody, publishNav,
  putProfile, redeem, subscribe, topup,
} from './lib/trading.mjs';

const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

// Everything a refused request could change, in one comparable string.
const SNAPSHOT_SQL = `
SELECT 'orders', count(*), group_concat(status) FROM (SELECT status FROM orders ORDER BY id);
SELECT 'ledger', asset, kind, owner_id, balance FROM ledger_accounts ORDER BY asset, kind, owner_id;
SELECT 'entries', count(*) FROM ledger_entries;
SELECT 'lots', count(*), total(shares_h) FROM share_lots;
SELECT 'evidence', count(*) FROM suitability_confirmations;
SELECT 'products', count(*), group_concat(status) FROM (SELECT status FROM products ORDER BY id);
SELECT 'navs', count(*), total(confirmed) FROM navs;
SELECT 'profiles', count(*), group_concat(bank_card_masked) FROM investor_profiles;
SELECT 'assessments', count(*) FROM risk_assessments;`;

/** Runs `fn` and asserts that nothing in the database changed. */
async function unchanged(what, fn) {
  const before = await w.sql(SNAPSHOT_SQL);
  const out = await fn();
  assert.equal(await w.sql(SNAPSHOT_SQL), before, `${what} changed the database`);
  return out;
}

/** GB 11643 check character of the first 17 digits. */
function idWithCheck(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const total = [...first17].reduce((acc, c, i) => acc + Number(c) * weights[i], 0);
  return first17 + '10X98765432'[total % 11];
}

const s = {};

async function relogin() {
  for (const who of ['rich', 'mid', 'aging']) {
    if (s[who]) s[who].token = (await login(w.base, s[who].mobile, s[who].password)).token;
  }
  for (const st of [s.staff, s.other]) {
    if (!st) continue;
    for (const role of ['admin', 'operator', 'compliance']) {
      st[role].token = (await login(w.base, st[role].login, 'Staff-pass-1')).token;
    }
  }
}

async function investor(answers, cashAmount) {
  const r = await register(w.base);
  const sess = await login(w.base, r.mobile, r.password);
  await putProfile(w.base, sess.token);
  if (answers) await assess(w.base, sess.token, answers);
  if (cashAmount) await topup(w.base, sess.token, cashAmount);
  return { mobile: r.mobile, password: r.password, token: sess.token, id: sess.user.id };
}

test('2025-03-03: an investor takes an assessment a year before the trading days', async () => {
  await w.at('2025-03-03');
  checkContract(await loadOpenApi(w.base));
  s.aging = await investor(ANSWERS.C5, '1000.00');
});

test('2026-03-02: institutions, products and investors', async () => {
  await w.at('2026-03-02');
  await relogin();
  s.staff = await institutionWithStaff(w.srv);
  s.other = await institutionWithStaff(w.srv);
  const admin = s.staff.admin.token;
  const create = async (token, overrides) => expectOk(await api(w.base, 'POST',
    '/api/v1/inst/products', { token, body: productBody(overrides) }), 201).product;
  s.p3 = await create(admin, {});
  s.p2 = await create(admin, { type: 'mixed', equity_leaning: false, risk_level: 'R2',
    sub_fees: [{ min_amount: '0', rate: '0.005' }] });
  s.p1 = await create(admin, { type: 'bond', equity_leaning: false, risk_level: 'R1',
    sub_fees: [{ min_amount: '0', rate: '0.003' }], redeem_delay_days: 2 });
  s.paused = await create(admin, { type: 'bond', risk_level: 'R1',
    sub_fees: [{ min_amount: '0', rate: '0.003' }] });
  s.mmf = await create(admin, { type: 'money_market', risk_level: 'R1',
    sub_fees: [{ min_amount: '0.00', max_amount: null, rate: '0' }],
    red_fees: [{ min_days: 0, rate: '0' }], share_rounding: 'truncate', redeem_delay_days: 1,
    fee_discount: '1' });
  s.q = await create(s.other.admin.token, {});
  s.rich = await investor(ANSWERS.C3, '100000.00');
  assert.deepEqual(await cash(w.base, s.rich.token), { available: '100000.00', held: '0.00',
    in_transit: '0.00', currency: 'CNY' });
});

suite('orders with bad amounts, shares or fields', () => {
  const rows = [
    // [name, body (merged into a valid subscription of p3), status, code, field]
    ['below the minimum purchase', { amount: '99.99' }, 422, 'invalid_field', 'amount'],
    ['above the daily limit', { amount: '50000.01' }, 422, 'limit_exceeded', 'amount'],
    ['three decimals', { amount: '100.001' }, 422, 'invalid_field', 'amount'],
    ['negative', { amount: '-100.00' }, 422, 'invalid_field', 'amount'],
    ['negative zero', { amount: '-0.00' }, 422, 'invalid_field', 'amount'],
    ['zero', { amount: '0' }, 422, 'invalid_field', 'amount'],
    ['zero with decimals', { amount: '0.00' }, 422, 'invalid_field', 'amount'],
    ['absurdly large', { amount: '9'.repeat(30) }, 422, 'invalid_field', 'amount'],
    ['just above 10^12 CNY', { amount: '1000000000000.01' }, 422, 'invalid_field', 'amount'],
    ['an exponent', { amount: '1e3' }, 422, 'invalid_field', 'amount'],
    ['a leading zero', { amount: '0100.00' }, 422, 'invalid_field', 'amount'],
    ['a trailing dot', { amount: '100.' }, 422, 'invalid_field', 'amount'],
    ['a space', { amount: ' 100.00' }, 422, 'invalid_field', 'amount'],
    ['a comma', { amount: '1,000.00' }, 422, 'invalid_field', 'amount'],
    ['full-width digits', { amount: '１００' }, 422, 'invalid_field', 'amount'],
    ['a JSON number', { amount: 100 }, 422, 'invalid_field', 'amount'],
    ['null', { amount: null }, 422, 'invalid_field', 'amount'],
    ['no amount', { amount: undefined }, 422, 'missing_field', 'amount'],
    ['shares on a subscription', { shares: '100.00' }, 422, 'invalid_field', 'shares'],
    ['a side that does not exist', { side: 'buy' }, 422, 'invalid_field', 'side'],
    ['a product id that is not an id', { product_id: 'abc' }, 422, 'invalid_field',
      'product_id'],
    ['a product id as a number', { product_id: 12345 }, 422, 'invalid_field', 'product_id'],
    ['a product that does not exist', { product_id: '1234567890123' }, 404, 'not_found'],
    ['an empty client order id', { client_order_id: '' }, 422, 'invalid_field',
      'client_order_id'],
    ['a client order id with a space', { client_order_id: 'a b' }, 422, 'invalid_field',
      'client_order_id'],
    ['a client order id of 65 characters', { client_order_id: 'x'.repeat(65) }, 422,
      'invalid_field', 'client_order_id'],
    ['an unknown member', { price: '1.0000' }, 422, 'unknown_field', 'price'],
    ['confirm_risk_warning not a boolean', { confirm_risk_warning: 'yes' }, 422,
      'invalid_field', 'confirm_risk_warning'],
  ];
  for (const [name, change, status, code, field] of rows) {
    test(name, async () => {
      const body = { client_order_id: clientId('bad'), product_id: s.p3.id, side: 'subscribe',
        amount: '1000.00', ...change };
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      await unchanged(name, async () => {
        expectProblem(await placeOrder(w.base, s.rich.token, body), status, code, field);
      });
    });
  }

  const redeemRows = [
    ['redeeming shares never held', { shares: '1.00' }, 409, 'insufficient_funds'],
    ['redeeming zero shares', { shares: '0.00' }, 422, 'invalid_field', 'shares'],
    ['redeeming negative shares', { shares: '-1.00' }, 422, 'invalid_field', 'shares'],
    ['redeeming 3-decimal shares', { shares: '1.001' }, 422, 'invalid_field', 'shares'],
    ['a redemption without shares', {}, 422, 'missing_field', 'shares'],
    ['an amount on a redemption', { shares: '1.00', amount: '100.00' }, 422, 'invalid_field',
      'amount'],
  ];
  for (const [name, change, status, code, field] of redeemRows) {
    test(name, async () => {
      const body = { client_order_id: clientId('badr'), product_id: s.p3.id, side: 'redeem',
        ...change };
      await unchanged(name, async () => {
        expectProblem(await placeOrder(w.base, s.rich.token, body), status, code, field);
      });
    });
  }

  test('the daily limit counts the day\'s accepted subscriptions together', async () => {
    const first = expectOk(await subscribe(w.base, s.rich.token, s.p3.id, '30000.00'), 201);
    await unchanged('over the daily limit', async () => {
      expectProblem(await subscribe(w.base, s.rich.token, s.p3.id, '20000.01'), 422,
        'limit_exceeded');
    });
    expectOk(await subscribe(w.base, s.rich.token, s.p3.id, '20000.00'), 201);
    await expectCash(w.base, s.rich.token, { available: '50000.00', held: '50000.00' });
    // A cancelled order no longer counts.
    expectOk(await api(w.base, 'POST', `/api/v1/investor/orders/${first.order.id}/cancel`,
      { token: s.rich.token }));
    expectOk(await subscribe(w.base, s.rich.token, s.p3.id, '30000.00'), 201);
    await expectCash(w.base, s.rich.token, { available: '50000.00', held: '50000.00' });
    // Another product has its own limit; more than the cash is refused by the ledger.
    expectOk(await subscribe(w.base, s.rich.token, s.p2.id, '40000.00'), 201);
    await unchanged('more than the cash', async () => {
      expectProblem(await subscribe(w.base, s.rich.token, s.p1.id, '10000.01'), 409,
        'insufficient_funds');
    });
    await expectCash(w.base, s.rich.token, { available: '10000.00', held: '90000.00' });
  });
});

suite('suitability', () => {
  test('a mismatch is refused until the specific warning is confirmed', async () => {
    s.mid = await investor(ANSWERS.C2, '5000.00');
    for (const extra of [{}, { confirm_risk_warning: true },
      { risk_warning_version: 'suit-warning-v1' },
      { confirm_risk_warning: false, risk_warning_version: 'suit-warning-v1' },
      { confirm_risk_warning: true, risk_warning_version: 'suit-warning-v2' }]) {
      await unchanged(`mismatch ${JSON.stringify(extra)}`, async () => {
        const p = expectProblem(await subscribe(w.base, s.mid.token, s.p3.id, '1000.00', extra),
          409, 'risk_warning_required');
        assert.equal(p.warning_version, 'suit-warning-v1');
      });
    }
    // Within the category, no warning at all.
    expectOk(await subscribe(w.base, s.mid.token, s.p2.id, '1000.00'), 201);
  });

  test('the lowest category is refused anything above R1, even confirmed', async () => {
    const low = await investor(null, null);
    const a = await assess(w.base, low.token, ANSWERS.lowest);
    assert.deepEqual([a.category, a.lowest, a.max_risk_level], ['C1', true, 'R1']);
    await topup(w.base, low.token, '1000.00');
    for (const p of [s.p3, s.p2]) {
      await unchanged(`lowest category, ${p.risk_level}`, async () => {
        expectProblem(await subscribe(w.base, low.token, p.id, '100.00', CONFIRMED), 403,
          'suitability_refused');
      });
    }
    expectOk(await subscribe(w.base, low.token, s.p1.id, '100.00'), 201);
    // A C1 investor who can bear some loss may insist, with the warning.
    const c1 = await investor(ANSWERS.C1, '1000.00');
    const a1 = (await api(w.base, 'GET', '/api/v1/investor/assessment', { token: c1.token }))
      .json.assessment;
    assert.deepEqual([a1.category, a1.lowest, a1.score], ['C1', false, 25]);
    await unchanged('C1 without the warning', async () => {
      expectProblem(await subscribe(w.base, c1.token, s.p2.id, '100.00'), 409,
        'risk_warning_required');
    });
    expectOk(await subscribe(w.base, c1.token, s.p2.id, '100.00', CONFIRMED), 201);
  });

  test('no assessment: nothing is sold, not even R1', async () => {
    const none = await investor(null, '1000.00');
    for (const p of [s.p1, s.p3]) {
      await unchanged(`no assessment, ${p.risk_level}`, async () => {
        expectProblem(await subscribe(w.base, none.token, p.id, '100.00', CONFIRMED), 403,
          'suitability_refused');
      });
    }
  });
});

suite('paused and closed products', () => {
  test('subscriptions paused, redemptions paused, closed for good', async () => {
    const p = s.paused.id;
    const path = `/api/v1/inst/products/${p}/status`;
    const setStatus = async (status, token = s.staff.operator.token) =>
      expectOk(await api(w.base, 'POST', path, { token, body: { status } })).product;

    assert.equal((await setStatus('subscriptions_paused')).status, 'subscriptions_paused');
    await unchanged('subscribing a paused product', async () => {
      expectProblem(await subscribe(w.base, s.rich.token, p, '100.00'), 409,
        'product_unavailable');
    });
    // Redemptions go on: this one fails only for want of shares.
    expectProblem(await redeem(w.base, s.rich.token, p, '1.00'), 409, 'insufficient_funds');

    await setStatus('redemptions_paused');
    await unchanged('redeeming a paused product', async () => {
      expectProblem(await redeem(w.base, s.rich.token, p, '1.00'), 409, 'product_unavailable');
    });
    expectOk(await subscribe(w.base, s.rich.token, p, '100.00'), 201);

    await setStatus('closed');
    await unchanged('a closed product', async () => {
      expectProblem(await subscribe(w.base, s.rich.token, p, '100.00'), 409,
        'product_unavailable');
      expectProblem(await redeem(w.base, s.rich.token, p, '1.00'), 409, 'product_unavailable');
    });
    const pub = expectOk(await api(w.base, 'GET',
      `/api/v1/public/products?institution_id=${s.staff.inst.id}`)).items;
    assert.ok(!pub.some((x) => x.id === p), 'a closed product is listed publicly');

    await unchanged('refused status changes', async () => {
      expectProblem(await api(w.base, 'POST', path,
        { token: s.staff.compliance.token, body: { status: 'open' } }), 403, 'forbidden');
      expectProblem(await api(w.base, 'POST', path,
        { token: s.other.admin.token, body: { status: 'open' } }), 404, 'not_found');
      expectProblem(await api(w.base, 'POST', path,
        { token: s.staff.admin.token, body: { status: 'paused' } }), 422, 'invalid_field',
      'status');
      expectProblem(await api(w.base, 'POST', path,
        { token: s.staff.admin.token, body: {} }), 422, 'missing_field', 'status');
    });
    // Closing (清盘) is final: the product cannot be reopened.
    await unchanged('reopening a closed product', async () => {
      expectProblem(await api(w.base, 'POST', path,
        { token: s.staff.admin.token, body: { status: 'open' } }), 409, 'conflict');
    });
  });
});

suite('racing orders', () => {
  test('20 parallel subscriptions that fit alone but not together', async () => {
    const racer = await investor(ANSWERS.C3, '10000.00');
    const results = await Promise.all(Array.from({ length: 20 },
      () => subscribe(w.base, racer.token, s.p3.id, '1000.00')));
    const accepted = results.filter((r) => r.status === 201);
    for (const r of results) {
      if (r.status !== 201) expectProblem(r, 409, 'insufficient_funds');
    }
    const held = accepted.reduce((acc, r) => acc + Number(r.json.order.amount), 0);
    assert.ok(held <= 10000, `accepted ${held} CNY of 10000`);
    assert.equal(accepted.length, 10, 'every order that fits is accepted');
    await expectCash(w.base, racer.token, { available: '0.00', held: '10000.00' });
    await expectLedgerOk(w.db);
  });

  test('parallel subscriptions never pass the daily limit together', async () => {
    const racer = await investor(ANSWERS.C3, '100000.00');
    const results = await Promise.all(Array.from({ length: 12 },
      () => subscribe(w.base, racer.token, s.p3.id, '5000.00')));
    const accepted = results.filter((r) => r.status === 201).length;
    for (const r of results) {
      if (r.status !== 201) expectProblem(r, 422, 'limit_exceeded');
    }
    assert.equal(accepted, 10);
    await expectCash(w.base, racer.token, { available: '50000.00', held: '50000.00' });
  });

  test('parallel withdrawals never overdraw', async () => {
    const racer = await investor(ANSWERS.C3, '5000.00');
    const results = await Promise.all(Array.from({ length: 20 }, () => api(w.base, 'POST',
      '/api/v1/investor/cash/withdraw', { token: racer.token, body: { amount: '600.00' } })));
    for (const r of results) {
      if (r.status !== 200) expectProblem(r, 409, 'insufficient_funds');
    }
    assert.equal(results.filter((r) => r.status === 200).length, 8);
    await expectCash(w.base, racer.token, { available: '200.00' });
  });

  test('the same client order id sent 10 times at once makes one order', async () => {
    const racer = await investor(ANSWERS.C3, '5000.00');
    const body = { client_order_id: clientId('same'), product_id: s.p3.id, side: 'subscribe',
      amount: '1500.00' };
    const results = await Promise.all(Array.from({ length: 10 },
      () => placeOrder(w.base, racer.token, body)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(results.map((r) => r.json.order.id)).size, 1);
    assert.deepEqual(results.map((r) => r.json.repeat).sort(),
      [false, true, true, true, true, true, true, true, true, true]);
    await expectCash(w.base, racer.token, { available: '3500.00', held: '1500.00' });
    await expectLedgerOk(w.db);
  });
});

suite('profile, cash and assessment input', () => {
  test('bad identities and cards are refused', async () => {
    const r = await register(w.base);
    const token = (await login(w.base, r.mobile, r.password)).token;
    const good = { real_name: '赵六', id_number: ID_NUMBER, bank_card: BANK_CARD };
    const rows = [
      [{ id_number: '110105194912310021' }, 'id_number'],        // wrong check character
      [{ id_number: '11010519491231002' }, 'id_number'],         // 17 characters
      [{ id_number: idWithCheck('11010519490230001') }, 'id_number'], // 30 February
      [{ id_number: idWithCheck('11010520990101001') }, 'id_number'], // born in the future
      [{ id_number: idWithCheck('01010519491231001') }, 'id_number'], // region starts with 0
      [{ bank_card: '6222021234567890127' }, 'bank_card'],      // Luhn check digit wrong
      [{ bank_card: '622202123456789' }, 'bank_card'],          // 15 digits
      [{ bank_card: '6222-0212-3456-7890' }, 'bank_card'],
      [{ real_name: '张3' }, 'real_name'],
      [{ real_name: '' }, 'real_name'],
    ];
    for (const [change, field] of rows) {
      await unchanged(JSON.stringify(change), async () => {
        expectProblem(await api(w.base, 'PUT', '/api/v1/investor/profile',
          { token, body: { ...good, ...change } }), 422, 'invalid_field', field);
      });
    }
    await unchanged('unknown member', async () => {
      expectProblem(await api(w.base, 'PUT', '/api/v1/investor/profile',
        { token, body: { ...good, mobile: '13800000000' } }), 422, 'unknown_field', 'mobile');
    });
    // Lower-case x is the same check character.
    const lower = expectOk(await api(w.base, 'PUT', '/api/v1/investor/profile',
      { token, body: { ...good, id_number: ID_NUMBER.toLowerCase() } })).profile;
    assert.equal(lower.id_number, '110***********002X');
    // The identity is fixed once verified; the card may change.
    await unchanged('another identity', async () => {
      expectProblem(await api(w.base, 'PUT', '/api/v1/investor/profile', { token,
        body: { ...good, id_number: idWithCheck('44030419900101001') } }), 409, 'conflict');
    });
    const card = expectOk(await api(w.base, 'PUT', '/api/v1/investor/profile',
      { token, body: { ...good, bank_card: '4111111111111111' } })).profile;
    assert.equal(card.bank_card, '4111 **** **** 1111');
  });

  test('bad top-ups and withdrawals are refused', async () => {
    const inv = await investor(ANSWERS.C2, '1000.00');
    const rows = [['0'], ['0.00'], ['-1.00'], ['1.001'], ['1000000.01'], ['abc'], [100],
      [null]];
    for (const [amount] of rows) {
      for (const op of ['topup', 'withdraw']) {
        await unchanged(`${op} ${amount}`, async () => {
          expectProblem(await api(w.base, 'POST', `/api/v1/investor/cash/${op}`,
            { token: inv.token, body: { amount } }), 422, 'invalid_field', 'amount');
        });
      }
    }
    await unchanged('withdraw more than available', async () => {
      expectProblem(await api(w.base, 'POST', '/api/v1/investor/cash/withdraw',
        { token: inv.token, body: { amount: '1000.01' } }), 409, 'insufficient_funds');
    });
    await unchanged('no amount', async () => {
      expectProblem(await api(w.base, 'POST', '/api/v1/investor/cash/topup',
        { token: inv.token, body: {} }), 422, 'missing_field', 'amount');
    });
    // The largest transfer is 1,000,000.00.
    expectOk(await api(w.base, 'POST', '/api/v1/investor/cash/topup',
      { token: inv.token, body: { amount: '1000000.00' } }));
    await expectCash(w.base, inv.token, { available: '1001000.00' });
  });

  test('bad answer sheets are refused', async () => {
    const inv = await investor(null, null);
    const rows = [
      [{ questionnaire_version: 2, answers: ANSWERS.C2 }, 409, 'questionnaire_outdated'],
      [{ questionnaire_version: 1, answers: ANSWERS.C2.slice(0, 9) }, 422, 'invalid_field'],
      [{ questionnaire_version: 1, answers: [...ANSWERS.C2, 1] }, 422, 'invalid_field'],
      [{ questionnaire_version: 1, answers: [5, 1, 1, 1, 1, 1, 1, 1, 1, 1] }, 422,
        'invalid_field'],
      [{ questionnaire_version: 1, answers: [1, 1, 1, 1, 1, 1, 1, 1, 1, 3] }, 422,
        'invalid_field'], // the last question has 3 options
      [{ questionnaire_version: 1, answers: [-1, 1, 1, 1, 1, 1, 1, 1, 1, 1] }, 422,
        'invalid_field'],
      [{ questionnaire_version: 1, answers: ['1', 1, 1, 1, 1, 1, 1, 1, 1, 1] }, 422,
        'invalid_field'],
      [{ questionnaire_version: 1, answers: [] }, 422, 'invalid_field'],
      [{ questionnaire_version: '1', answers: ANSWERS.C2 }, 422, 'invalid_field'],
      [{ answers: ANSWERS.C2 }, 422, 'missing_field'],
    ];
    for (const [body, status, code] of rows) {
      await unchanged(JSON.stringify(body), async () => {
        expectProblem(await api(w.base, 'POST', '/api/v1/investor/assessments',
          { token: inv.token, body }), status, code);
      });
    }
    expectProblem(await api(w.base, 'GET', '/api/v1/investor/assessment',
      { token: inv.token }), 404, 'not_found');
  });

  test('bad paging parameters of the order list are refused', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=x', 'before_ms=abc', 'before_ms=0']) {
      expectProblem(await api(w.base, 'GET', `/api/v1/investor/orders?${q}`,
        { token: s.rich.token }), 400, 'bad_request');
    }
  });

  test('a status or side filter that does not exist is refused, not an empty page', async () => {
    for (const q of ['status=bogus', 'side=buy']) {
      expectProblem(await api(w.base, 'GET', `/api/v1/investor/orders?${q}`,
        { token: s.rich.token }), 400, 'bad_request');
    }
  });
});

suite('fee schedules that break a rule are refused', () => {
  const sub = (...tiers) => ({ sub_fees: tiers });
  const red = (...tiers) => ({ red_fees: tiers });
  const CAP = 'fee above the cap for the fund type';
  const rows = [
    // [name, product overrides, field, rule, tier]
    ['equity above 0.8%', sub({ min_amount: '0', rate: '0.0081' }), 'sub_fees', CAP, 0],
    ['equity-leaning mixed above 0.8%', { type: 'mixed', equity_leaning: true,
      ...sub({ min_amount: '0', rate: '0.0081' }) }, 'sub_fees', CAP, 0],
    ['other mixed above 0.5%', { type: 'mixed', equity_leaning: false,
      ...sub({ min_amount: '0', rate: '0.0051' }) }, 'sub_fees', CAP, 0],
    ['index above 0.3%', { type: 'index', ...sub({ min_amount: '0', rate: '0.0031' }) },
      'sub_fees', CAP, 0],
    ['bond above 0.3% in a later tier', { type: 'bond', ...sub(
      { min_amount: '0', max_amount: '1000000', rate: '0.003' },
      { min_amount: '1000000', rate: '0.0031' }) }, 'sub_fees', CAP, 1],
    ['QDII above 0.8%', { type: 'qdii', ...sub({ min_amount: '0', rate: '0.0081' }) },
      'sub_fees', CAP, 0],
    ['a fixed fee above the cap on the tier\'s smallest order', { type: 'bond', ...sub(
      { min_amount: '0', max_amount: '1000000', rate: '0.003' },
      { min_amount: '1000000', fixed: '3000.01' }) }, 'sub_fees', CAP, 1],
    ['a money-market fund with a subscription fee', { type: 'money_market',
      ...sub({ min_amount: '0', rate: '0.0001' }), ...red({ min_days: 0, rate: '0' }) },
    'sub_fees', 'money-market funds charge no fee', 0],
    ['a money-market fund with a redemption fee', { type: 'money_market',
      ...sub({ min_amount: '0', rate: '0' }), ...red({ min_days: 0, rate: '0.0001' }) },
    'red_fees', 'money-market funds charge no fee', 0],
    ['a gap between tiers', sub({ min_amount: '0', max_amount: '1000', rate: '0.008' },
      { min_amount: '2000', rate: '0.005' }), 'sub_fees', 'a gap between tiers', 1],
    ['overlapping tiers', sub({ min_amount: '0', max_amount: '1000', rate: '0.008' },
      { min_amount: '500', rate: '0.005' }), 'sub_fees', 'overlapping tiers', 1],
    ['not starting at 0', sub({ min_amount: '100', rate: '0.008' }), 'sub_fees',
      'the first tier does not start at 0', 0],
    ['not open-ended', sub({ min_amount: '0', max_amount: '1000000', rate: '0.008' }),
      'sub_fees', 'the last tier is not open-ended', 0],
    ['a tier that ends where it starts', sub(
      { min_amount: '0', max_amount: '0', rate: '0.008' }, { min_amount: '0', rate: '0.005' }),
    'sub_fees', 'a tier ends before it starts', 0],
    ['a rate above 100%', sub({ min_amount: '0', rate: '1.5' }), 'sub_fees',
      'rate outside 0% to 100%', 0],
    ['holdings under 7 days below 1.5%', red({ min_days: 0, max_days: 7, rate: '0.0149' },
      { min_days: 7, rate: '0' }), 'red_fees', 'holdings under 7 days must pay at least 1.5%', 0],
    ['a later tier under 7 days below 1.5%', red({ min_days: 0, max_days: 3, rate: '0.015' },
      { min_days: 3, rate: '0.005' }), 'red_fees',
    'holdings under 7 days must pay at least 1.5%', 1],
    ['a gap between redemption tiers', red({ min_days: 0, max_days: 7, rate: '0.015' },
      { min_days: 8, rate: '0' }), 'red_fees', 'a gap between tiers', 1],
  ];
  for (const [name, overrides, field, rule, tier] of rows) {
    test(name, async () => {
      await unchanged(name, async () => {
        const p = expectProblem(await api(w.base, 'POST', '/api/v1/inst/products',
          { token: s.staff.admin.token, body: productBody(overrides) }), 422,
        'fee_schedule_invalid', field);
        assert.equal(p.rule, rule);
        assert.equal(p.tier, tier);
      });
    });
  }

  test('the caps themselves are allowed', async () => {
    const ok = [
      { type: 'mixed', equity_leaning: false, ...sub({ min_amount: '0', rate: '0.005' }) },
      { type: 'index', ...sub({ min_amount: '0', rate: '0.003' }) },
      { type: 'bond', ...sub({ min_amount: '0', max_amount: '1000000', rate: '0.003' },
        { min_amount: '1000000', fixed: '3000.00' }) },
      { type: 'qdii', ...sub({ min_amount: '0', rate: '0.008' }) },
      red({ min_days: 0, max_days: 7, rate: '0.015' }, { min_days: 7, rate: '0' }),
    ];
    for (const overrides of ok) {
      expectOk(await api(w.base, 'POST', '/api/v1/inst/products',
        { token: s.staff.operator.token, body: productBody(overrides) }), 201);
    }
  });

  const shapeRows = [
    ['no tiers', { sub_fees: [] }, 'sub_fees'],
    ['nine tiers', { red_fees: Array.from({ length: 9 },
      (_, i) => ({ min_days: i, max_days: i === 8 ? null : i + 1, rate: '0.015' })) },
    'red_fees'],
    ['a rate and a fixed fee', sub({ min_amount: '0', rate: '0.003', fixed: '1.00' }),
      'sub_fees'],
    ['neither rate nor fixed fee', sub({ min_amount: '0' }), 'sub_fees'],
    ['7 decimals in a rate', sub({ min_amount: '0', rate: '0.0010001' }), 'sub_fees'],
    ['an unknown member in a tier', sub({ min_amount: '0', rate: '0.003', note: 'x' }),
      'sub_fees'],
    ['days as a string', red({ min_days: '0', rate: '0.015' }), 'red_fees'],
    ['a bad fund code', { code: '12345' }, 'code'],
    ['a type that does not exist', { type: 'stock' }, 'type'],
    ['risk level R6', { risk_level: 'R6' }, 'risk_level'],
    ['a zero minimum purchase', { min_purchase: '0' }, 'min_purchase'],
    ['a daily limit below the minimum', { min_purchase: '100.00', daily_limit: '99.99' },
      'daily_limit'],
    ['a discount above 1', { fee_discount: '1.5' }, 'fee_discount'],
    ['a rounding that does not exist', { share_rounding: 'up' }, 'share_rounding'],
    ['a redemption delay of 0 days', { redeem_delay_days: 0 }, 'redeem_delay_days'],
    ['a redemption delay of 11 days', { redeem_delay_days: 11 }, 'redeem_delay_days'],
    ['a plain http prospectus', { prospectus_url: 'http://example.com/p.pdf' },
      'prospectus_url'],
    ['an inception date that is no date', { inception_date: '2020-02-30' }, 'inception_date'],
  ];
  for (const [name, overrides, field] of shapeRows) {
    test(name, async () => {
      await unchanged(name, async () => {
        expectProblem(await api(w.base, 'POST', '/api/v1/inst/products',
          { token: s.staff.admin.token, body: productBody(overrides) }), 422, 'invalid_field',
        field);
      });
    });
  }

  test('a duplicate fund code, a compliance officer', async () => {
    await unchanged('duplicates', async () => {
      expectProblem(await api(w.base, 'POST', '/api/v1/inst/products',
        { token: s.staff.admin.token, body: productBody({ code: s.p3.code }) }), 409,
      'conflict');
      expectProblem(await api(w.base, 'POST', '/api/v1/inst/products',
        { token: s.staff.compliance.token, body: productBody() }), 403, 'forbidden');
    });
  });
});

suite('institutions reach only their own products; the public only what is on sale', () => {
  test('another institution\'s product is not found', async () => {
    await unchanged('cross-institution', async () => {
      expectProblem(await api(w.base, 'GET', `/api/v1/inst/products/${s.q.id}`,
        { token: s.staff.admin.token }), 404, 'not_found');
      expectProblem(await publishNav(w.base, s.staff.admin.token, s.q.id,
        { date: '2026-03-02', nav: '1.0000', acc_nav: '1.0000' }), 404, 'not_found');
      expectProblem(await api(w.base, 'POST',
        `/api/v1/inst/products/${s.q.id}/navs/2026-03-02/confirm`,
        { token: s.staff.admin.token }), 404, 'not_found');
    });
    const mine = expectOk(await api(w.base, 'GET', '/api/v1/inst/products',
      { token: s.other.compliance.token })).items;
    assert.deepEqual(mine.map((p) => p.id), [s.q.id]);
  });

  test('a product of an institution not yet open is not public', async () => {
    const ops = await login(w.base, s.staff.ops.login, s.staff.ops.password);
    const inst = await createInstitution(w.base, ops.token); // status: applied
    const admin = await acceptAndLogin(w.base,
      await opsInvite(w.base, ops.token, inst.id, 'inst_admin'));
    const p = expectOk(await api(w.base, 'POST', '/api/v1/inst/products',
      { token: admin.token, body: productBody() }), 201).product;
    const list = expectOk(await api(w.base, 'GET', '/api/v1/public/products')).items;
    assert.ok(!list.some((x) => x.id === p.id), 'listed publicly');
    await unchanged('ordering it', async () => {
      expectProblem(await subscribe(w.base, s.rich.token, p.id, '100.00'), 404, 'not_found');
    });
    expectProblem(await api(w.base, 'GET', `/api/v1/public/products/${p.id}`), 404,
      'not_found');
  });

  test('the NAV history of a product that does not exist is not found', async () => {
    expectProblem(await api(w.base, 'GET', '/api/v1/public/products/1234567890123/navs'), 404,
      'not_found');
    expectProblem(await api(w.base, 'GET',
      `/api/v1/public/products/${s.p3.id}/navs?from=2026-3-1`), 400, 'bad_request');
  });
});

test('2026-03-02 after 15:00: too late to cancel; new orders go to the next day', async () => {
  const before = expectOk(await subscribe(w.base, s.rich.token, s.p1.id, '100.00'), 201).order;
  assert.equal(before.trade_date, '2026-03-02');
  const cashBefore = await cash(w.base, s.rich.token);
  await w.at('2026-03-02', '15:00:01');
  await relogin();
  await unchanged('a cancel after the cutoff', async () => {
    expectProblem(await api(w.base, 'POST', `/api/v1/investor/orders/${before.id}/cancel`,
      { token: s.rich.token }), 409, 'conflict');
  });
  assert.deepEqual(await cash(w.base, s.rich.token), cashBefore);
  const late = expectOk(await subscribe(w.base, s.rich.token, s.p1.id, '100.00'), 201).order;
  assert.equal(late.trade_date, '2026-03-03');
  assert.equal(late.confirm_date, '2026-03-04');
  assert.equal(late.cancel_deadline_ms, cstMs('2026-03-03', '15:00:00'));
  assert.equal(expectOk(await api(w.base, 'POST', `/api/v1/investor/orders/${late.id}/cancel`,
    { token: s.rich.token })).order.status, 'cancelled');
});

test('orders on a Saturday and on a holiday take the next trading day', async () => {
  // The confirmation date is the trading day after the trade date, across weekends and
  // holidays too (Qingming on Monday 2026-04-06; National Day to 2026-10-07).
  for (const [date, time, want, confirm] of [
    ['2026-03-07', '11:00:00', '2026-03-09', '2026-03-10'],
    ['2026-04-03', '16:00:00', '2026-04-07', '2026-04-08'],
    ['2026-09-30', '15:30:00', '2026-10-08', '2026-10-09'],
    ['2026-03-06', '15:00:01', '2026-03-09', '2026-03-10'],
    ['2026-03-06', '14:30:00', '2026-03-06', '2026-03-09']]) {
    await w.at(date, time);
    await relogin();
    const o = expectOk(await subscribe(w.base, s.rich.token, s.p1.id, '100.00'), 201).order;
    assert.equal(o.trade_date, want, `${date} ${time}`);
    assert.equal(o.confirm_date, confirm, `${date} ${time}`);
    const read = expectOk(await api(w.base, 'GET', `/api/v1/investor/orders/${o.id}`,
      { token: s.rich.token })).order;
    assert.equal(read.confirm_date, confirm);
  }
});

test('an assessment expires after one year', async () => {
  await w.at('2026-03-03', '09:00:00');
  await relogin();
  let a = expectOk(await api(w.base, 'GET', '/api/v1/investor/assessment',
    { token: s.aging.token })).assessment;
  assert.equal(a.valid, true, 'still valid on the morning of the anniversary');
  expectOk(await subscribe(w.base, s.aging.token, s.p3.id, '100.00'), 201);

  await w.at('2026-03-04');
  await relogin();
  a = expectOk(await api(w.base, 'GET', '/api/v1/investor/assessment',
    { token: s.aging.token })).assessment;
  assert.equal(a.valid, false);
  assert.equal(a.valid_until_ms - a.taken_ms, cstMs('2026-03-03') - cstMs('2025-03-03'));
  for (const p of [s.p1, s.p3]) {
    await unchanged(`expired assessment, ${p.risk_level}`, async () => {
      expectProblem(await subscribe(w.base, s.aging.token, p.id, '100.00', CONFIRMED), 403,
        'suitability_refused');
    });
  }
  // Redemptions need no assessment; a new assessment opens the door again.
  await assess(w.base, s.aging.token, ANSWERS.C5);
  expectOk(await subscribe(w.base, s.aging.token, s.p3.id, '100.00'), 201);
});

suite('NAV publication on 2026-10-09', () => {
  const nav = (date, extra = {}) => ({ date, nav: '1.0500', acc_nav: '1.5500', ...extra });

  test('start the day', async () => {
    await w.at('2026-10-09');
    await relogin();
  });

  const rows = [
    // [name, product key, body, status, code, field]
    ['a closed day (National Day)', 'p3', nav('2026-10-01'), 422, 'invalid_field', 'date'],
    ['a Saturday', 'p3', nav('2026-10-03'), 422, 'invalid_field', 'date'],
    ['tomorrow', 'p3', nav('2026-10-10'), 422, 'invalid_field', 'date'],
    ['a date that does not exist', 'p3', nav('2026-02-30'), 422, 'invalid_field', 'date'],
    ['NAV 0', 'p3', nav('2026-10-09', { nav: '0.0000' }), 422, 'invalid_field', 'nav'],
    ['a negative NAV', 'p3', nav('2026-10-09', { nav: '-1.0500' }), 422, 'invalid_field',
      'nav'],
    ['5 decimals', 'p3', nav('2026-10-09', { nav: '1.05001' }), 422, 'invalid_field', 'nav'],
    ['above 10000', 'p3', nav('2026-10-09', { nav: '10000.0001' }), 422, 'invalid_field',
      'nav'],
    ['a number', 'p3', nav('2026-10-09', { nav: 1.05 }), 422, 'invalid_field', 'nav'],
    ['no accumulated NAV', 'p3', { date: '2026-10-09', nav: '1.0500' }, 422, 'missing_field',
      'acc_nav'],
    ['income for a fund that is not money-market', 'p3',
      nav('2026-10-09', { income_per_10k: '0.5000' }), 422, 'invalid_field', 'income_per_10k'],
    ['a 7-day yield for a fund that is not money-market', 'p3',
      nav('2026-10-08', { yield_7d: '1.825' }), 422, 'invalid_field', 'yield_7d'],
    ['a money-market NAV other than 1', 'mmf',
      nav('2026-10-01', { nav: '1.0100', income_per_10k: '0.5000' }), 422, 'invalid_field',
      'nav'],
    ['a money-market fund without its income', 'mmf', nav('2026-10-01', { nav: '1.0000' }),
      422, ['missing_field', 'invalid_field'], 'income_per_10k'],
  ];
  for (const [name, key, body, status, code, field] of rows) {
    test(name, async () => {
      await unchanged(name, async () => {
        expectProblem(await publishNav(w.base, s.staff.admin.token, s[key].id, body), status,
          code, field);
      });
    });
  }

  test('a money-market fund publishes on holidays; the platform computes its yield', async () => {
    const mmf = (date, extra = {}) => publishNav(w.base, s.staff.admin.token, s.mmf.id,
      { date, nav: '1.0000', acc_nav: '1.0000', income_per_10k: '0.5000', ...extra });
    for (let d = 1; d <= 6; d++) {
      const res = expectOk(await mmf(`2026-10-0${d}`), 201);
      assert.equal(res.nav.yield_7d, undefined, 'no yield before 7 days of income');
    }
    // 7 × 0.5000 per 10,000 shares: 3.5 / 7 × 365 / 10000 × 100% = 1.825%.
    await unchanged('a wrong 7-day yield', async () => {
      expectProblem(await mmf('2026-10-07', { yield_7d: '1.826' }), 422, 'invalid_field');
    });
    const res = expectOk(await mmf('2026-10-07', { yield_7d: '1.825' }), 201);
    assert.deepEqual(res.nav, { date: '2026-10-07', nav: '1.0000', acc_nav: '1.0000',
      income_per_10k: '0.5000', yield_7d: '1.825', confirmed: true });
  });

  test('one NAV per date', async () => {
    expectOk(await publishNav(w.base, s.staff.admin.token, s.p3.id, nav('2026-10-09')), 201);
    await unchanged('a second NAV for the date', async () => {
      expectProblem(await publishNav(w.base, s.staff.operator.token, s.p3.id,
        nav('2026-10-09', { nav: '1.0600' })), 409, 'conflict');
      expectProblem(await publishNav(w.base, s.staff.compliance.token, s.p3.id,
        nav('2026-10-08')), 403, 'forbidden');
      expectProblem(await api(w.base, 'POST',
        `/api/v1/inst/products/${s.p3.id}/navs/2026-1-9/confirm`,
        { token: s.staff.operator.token }), 400, 'bad_request');
    });
  });

  test('the ledger reconciles after all of it', async () => {
    await w.stop();
    await expectLedgerOk(w.db);
  });
});

test('a NAV file with one bad line publishes nothing; a good one publishes every line',
  async () => {
    // Its own server, stopped at the end: a leak or a crash of the upload shows here.
    await w.at('2026-10-09', '11:00:00');
    await relogin();
    const upload = (body, contentType = 'text/csv') => api(w.base, 'POST',
      `/api/v1/inst/products/${s.p2.id}/navs.csv`,
      { token: s.staff.admin.token, body, contentType });
    await unchanged('bad files', async () => {
      let p = expectProblem(await upload(
        'date,nav,acc_nav\n2026-09-28,1.0100,1.0100\n2026-09-29,1.0x,1.0200\n'), 422,
      'csv_invalid');
      assert.deepEqual(p.errors.map((e) => [e.line, e.field]), [[3, 'nav']]);
      p = expectProblem(await upload('2026-09-28,1.0100,1.0100\n2026-09-28,1.0200,1.0200\n'),
        422, 'csv_invalid');
      assert.equal(p.errors.length, 1);
      p = expectProblem(await upload('2026-09-27,1.0100,1.0100\n'), 422, 'csv_invalid');
      assert.deepEqual(p.errors.map((e) => [e.line, e.field]), [[1, 'date']], 'a Sunday');
      expectProblem(await upload('date,nav,acc_nav\n'), 422, 'csv_invalid');
      expectProblem(await upload('2026-09-28,1.0100,1.0100\n', 'application/json'), 415,
        'unsupported_media_type');
    });
    const ok = expectOk(await upload(
      'date,nav,acc_nav\r\n2026-09-29,1.0200,1.0200\r\n2026-09-28,1.0100,1.0100\r\n'), 201);
    assert.deepEqual(ok, { published: 2, needs_confirmation: 0, first: '2026-09-28',
      last: '2026-09-29' });
    await unchanged('a date already published', async () => {
      expectProblem(await upload('2026-09-30,1.0300,1.0300\n2026-09-29,1.0200,1.0200\n'), 409,
        'conflict');
    });
    const navs = expectOk(await api(w.base, 'GET',
      `/api/v1/public/products/${s.p2.id}/navs?from=2026-09-01`)).items;
    assert.deepEqual(navs.map((n) => [n.date, n.nav]),
      [['2026-09-28', '1.0100'], ['2026-09-29', '1.0200']]);
    await w.stop();
  });
