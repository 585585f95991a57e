// An investor's cash statement, and operators publishing versions of the risk questionnaire.
//
// The statement is read back after every kind of cash movement, with the business clock placed
// on both sides of midnight (China Standard Time) so that the range boundaries are exact: the
// opening balance plus the signed movements must give the closing balance, and each movement
// must carry its event, its order and its sign. Timeline (CST), one investor:
//
//   Sun 2026-03-01 23:59  top-up 1000.00                        before the range
//   Mon 2026-03-02 00:00  top-up 2000.00                        first minute of the range
//   Mon 2026-03-02 10:00  subscription A 300.00, cancelled; subscription B 1500.00;
//                         withdrawal 200.00; 20:00 B confirmed   (no movement of available cash)
//   Tue 2026-03-03 10:00  redemption R of 500.00 shares; 20:00 confirmed (cash in transit)
//   Tue 2026-03-03 23:59  top-up 50.00                          last minute of the range
//   Wed 2026-03-04 00:00  withdrawal 25.00                      after the range
//   Wed 2026-03-04 20:00  R's cash paid (T+1)                   after the range
//
// Then, on Thu 2026-03-05, an operator publishes a questionnaire whose scores put the same
// answers in another category; every figure is recomputed here from the published scores.

import assert from 'node:assert/strict';
import { after, afterEach, describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { STAFF_PASSWORD, auditAfter, login, register } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import {
  ANSWERS, World, api, assess, cash, checkContract, cstDate, cstMs, expectCash,
  expectLedgerOk, fmt, getOrder, institutionWithStaff, productBody, publishNavOk, putProfile,
  redQuote, redeem, subQuote, subscribe, topup, units,
} from './lib/trading.mjs';

const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

const s = {};

/**
 * Moves the business clock (a new server on the same database) and logs everyone in again.
 * The clock offset is whole seconds, rounded: asked for 23:59:01 it reads 23:59:00.5 at the
 * earliest, so the minute named is the minute the requests happen in.
 */
async function at(date, time = '10:00:00') {
  await w.at(date, time);
  if (!s.doc) {
    s.doc = await loadOpenApi(w.base);
    checkContract(s.doc);
  }
  if (s.inv) s.inv.token = (await login(w.base, s.inv.mobile, s.inv.password)).token;
  if (s.staff) {
    for (const who of ['admin', 'operator', 'compliance']) {
      s.staff[who].token = (await login(w.base, s.staff[who].login, STAFF_PASSWORD)).token;
    }
    s.staff.ops.token = (await login(w.base, s.staff.ops.login, s.staff.ops.password)).token;
  }
}

function statement(token, from, to) {
  return api(w.base, 'GET', `/api/v1/investor/statement?from=${from}&to=${to}`, { token });
}

/**
 * Fetches a statement and checks what must hold of any: the range echoed, CNY, nothing
 * truncated, movements oldest first with their CST date, signs that follow the event, and
 * opening + Σ movements = closing (BigInt). Answers the statement.
 */
async function reconciled(from, to, token = s.inv.token) {
  const st = expectOk(await statement(token, from, to));
  assert.equal(st.from, from);
  assert.equal(st.to, to);
  assert.equal(st.currency, 'CNY');
  assert.equal(st.truncated, false);
  let total = units(st.opening_available, 2);
  let prev = -Infinity;
  for (const m of st.movements) {
    assert.ok(m.at_ms >= prev, `movements out of order: ${JSON.stringify(st.movements)}`);
    prev = m.at_ms;
    assert.ok(m.at_ms >= cstMs(from, '00:00:00'), `${JSON.stringify(m)} before ${from}`);
    assert.ok(m.at_ms < cstMs(to, '00:00:00') + 86400000, `${JSON.stringify(m)} after ${to}`);
    assert.equal(m.date, cstDate(m.at_ms), `the CST date of ${m.at_ms}`);
    const v = units(m.amount, 2);
    assert.notEqual(v, 0n, `a movement of nothing: ${JSON.stringify(m)}`);
    const inward = ['topup', 'subscribe.release', 'redeem.pay'].includes(m.event);
    assert.equal(v > 0n, inward, `sign of ${m.event}: ${m.amount}`);
    assert.equal(m.order_id === null, ['topup', 'withdraw'].includes(m.event),
      `order of ${m.event}: ${m.order_id}`);
    total += v;
  }
  assert.equal(fmt(total, 2), st.closing_available, `opening + Σ movements ≠ closing (${from}` +
    ` to ${to}): ${JSON.stringify(st)}`);
  return st;
}

/** The movements as [event, order id, amount]. */
const rows = (st) => st.movements.map((m) => [m.event, m.order_id, m.amount]);

suite('the statement', () => {
  test('Sun 23:59: an investor tops up just before the range', async () => {
    await at('2026-03-01', '23:59:01');
    s.staff = await institutionWithStaff(w.srv);
    // Redemption cash on T+1, so that a payment falls inside the story.
    const res = await api(w.base, 'POST', '/api/v1/inst/products',
      { token: s.staff.admin.token, body: productBody({ redeem_delay_days: 1 }) });
    s.product = expectOk(res, 201).product;
    const r = await register(w.base);
    const sess = await login(w.base, r.mobile, r.password);
    s.inv = { mobile: r.mobile, password: r.password, token: sess.token, id: sess.user.id };

    // No cash account yet: an empty statement, not an error.
    assert.deepEqual(await reconciled('2026-03-01', '2026-03-01'), { from: '2026-03-01',
      to: '2026-03-01', currency: 'CNY', opening_available: '0.00', closing_available: '0.00',
      movements: [], truncated: false });

    await putProfile(w.base, s.inv.token);
    await assess(w.base, s.inv.token, ANSWERS.C5);
    await topup(w.base, s.inv.token, '1000.00');
    const st = await reconciled('2026-03-01', '2026-03-01');
    assert.deepEqual(rows(st), [['topup', null, '1000.00']]);
    assert.ok(st.movements[0].at_ms >= cstMs('2026-03-01', '23:59:00'));
    assert.equal(st.closing_available, '1000.00');
  });

  test('Mon 00:00: a top-up in the first minute of the range', async () => {
    await at('2026-03-02', '00:00:01');
    await topup(w.base, s.inv.token, '2000.00');
    const st = await reconciled('2026-03-02', '2026-03-02');
    assert.deepEqual(rows(st), [['topup', null, '2000.00']]);
    assert.equal(st.opening_available, '1000.00', 'Sunday 23:59 is before the range');
    assert.ok(st.movements[0].at_ms < cstMs('2026-03-02', '00:01:00'));
    // The day before does not see it.
    const sun = await reconciled('2026-03-01', '2026-03-01');
    assert.deepEqual(rows(sun), [['topup', null, '1000.00']]);
  });

  test('Mon 10:00: a subscription cancelled, one held, a withdrawal', async () => {
    await at('2026-03-02');
    const inv = s.inv.token;
    s.orderA = expectOk(await subscribe(w.base, inv, s.product.id, '300.00'), 201).order;
    expectOk(await api(w.base, 'POST', `/api/v1/investor/orders/${s.orderA.id}/cancel`,
      { token: inv }));
    s.orderB = expectOk(await subscribe(w.base, inv, s.product.id, '1500.00'), 201).order;
    expectOk(await api(w.base, 'POST', '/api/v1/investor/cash/withdraw',
      { token: inv, body: { amount: '200.00' } }));
    await expectCash(w.base, inv, { available: '1300.00', held: '1500.00' });

    const st = await reconciled('2026-03-02', '2026-03-02');
    assert.deepEqual(rows(st), [
      ['topup', null, '2000.00'],
      ['subscribe.hold', s.orderA.id, '-300.00'],
      ['subscribe.release', s.orderA.id, '300.00'],
      ['subscribe.hold', s.orderB.id, '-1500.00'],
      ['withdraw', null, '-200.00'],
    ]);
    assert.equal(st.closing_available, '1300.00');
    assert.equal(st.closing_available, (await cash(w.base, inv)).available);
  });

  test('Mon 20:00: the confirmation takes the held cash, not the available', async () => {
    await publishNavOk(w.base, s.staff.admin.token, s.product.id, '2026-03-02', '1.0000');
    const rep = await w.confirm('2026-03-02');
    assert.deepEqual([rep.processed, rep.failed], [1, 0], rep.stdout);
    const b = await getOrder(w.base, s.inv.token, s.orderB.id);
    assert.equal(b.status, 'confirmed');
    const q = subQuote({ amount: '1500.00', rate: '0.008', discount: '0.1', nav: '1.0000' });
    assert.deepEqual({ fee: b.fee, net: b.net, shares: b.confirmed_shares }, q);
    await expectCash(w.base, s.inv.token, { available: '1300.00' }, 'after confirmation');
    const st = await reconciled('2026-03-02', '2026-03-02');
    assert.equal(st.movements.length, 5, 'the confirmation adds no movement');
    assert.equal(st.closing_available, '1300.00');
    s.sharesB = q.shares;
  });

  test('Tue: a redemption confirmed; a top-up in the last minute of the range', async () => {
    await at('2026-03-03');
    s.orderR = expectOk(await redeem(w.base, s.inv.token, s.product.id, '500.00'), 201).order;
    await publishNavOk(w.base, s.staff.admin.token, s.product.id, '2026-03-03', '1.0100');
    const rep = await w.confirm('2026-03-03');
    assert.deepEqual([rep.processed, rep.failed], [1, 0], rep.stdout);
    const r = await getOrder(w.base, s.inv.token, s.orderR.id);
    const q = redQuote({ lots: [{ shares: s.sharesB, date: '2026-03-03' }],
      tiers: s.product.fees.redemption, shares: '500.00', nav: '1.0100',
      tradeDate: '2026-03-03' });
    // 500.00 × 1.0100 = 505.00; held 0 days: 1.5% = 7.575 → 7.58; net 497.42.
    assert.deepEqual([q.gross, q.fee, q.net], ['505.00', '7.58', '497.42']);
    assert.deepEqual([r.status, r.gross, r.fee, r.net, r.cash_date],
      ['confirmed', q.gross, q.fee, q.net, '2026-03-04']);
    await expectCash(w.base, s.inv.token, { available: '1300.00', in_transit: '497.42' });
    s.redeemNet = q.net;

    await at('2026-03-03', '23:59:01');
    await topup(w.base, s.inv.token, '50.00');
    const st = await reconciled('2026-03-03', '2026-03-03');
    assert.deepEqual(rows(st), [['topup', null, '50.00']],
      'the redemption\'s confirmation moves cash in transit only');
    assert.equal(st.opening_available, '1300.00');
    assert.ok(st.movements[0].at_ms >= cstMs('2026-03-03', '23:59:00'));
  });

  test('Wed: a withdrawal at 00:00 and the redemption paid fall after the range', async () => {
    await at('2026-03-04', '00:00:01');
    expectOk(await api(w.base, 'POST', '/api/v1/investor/cash/withdraw',
      { token: s.inv.token, body: { amount: '25.00' } }));
    const paid = await w.settle('2026-03-04');
    assert.equal(paid.processed, 1, paid.stdout);
    await at('2026-03-04', '21:00:00');
    await expectCash(w.base, s.inv.token, { available: '1822.42' });

    const range = await reconciled('2026-03-02', '2026-03-03');
    assert.deepEqual(rows(range), [
      ['topup', null, '2000.00'],
      ['subscribe.hold', s.orderA.id, '-300.00'],
      ['subscribe.release', s.orderA.id, '300.00'],
      ['subscribe.hold', s.orderB.id, '-1500.00'],
      ['withdraw', null, '-200.00'],
      ['topup', null, '50.00'],
    ]);
    assert.deepEqual([range.opening_available, range.closing_available],
      ['1000.00', '1350.00']);
    assert.equal(range.movements.at(0).date, '2026-03-02');
    assert.equal(range.movements.at(-1).date, '2026-03-03');
    assert.ok(range.movements.at(-1).at_ms < cstMs('2026-03-04', '00:00:00'));

    const wed = await reconciled('2026-03-04', '2026-03-04');
    assert.deepEqual(rows(wed), [['withdraw', null, '-25.00'],
      ['redeem.pay', s.orderR.id, s.redeemNet]]);
    assert.deepEqual([wed.opening_available, wed.closing_available], ['1350.00', '1822.42']);
    assert.ok(wed.movements[0].at_ms >= cstMs('2026-03-04', '00:00:00'));
    assert.equal(wed.movements[0].date, '2026-03-04');

    // The whole story at once, and a year ahead with nothing in it.
    const all = await reconciled('2026-03-01', '2026-03-04');
    assert.equal(all.opening_available, '0.00');
    assert.deepEqual(rows(all), [['topup', null, '1000.00'], ...rows(range), ...rows(wed)]);
    assert.equal(all.closing_available, (await cash(w.base, s.inv.token)).available);
    const ahead = await reconciled('2026-03-05', '2027-03-05');
    assert.deepEqual([ahead.opening_available, ahead.closing_available, ahead.movements],
      ['1822.42', '1822.42', []]);
    await expectLedgerOk(w.db);
  });

  test('each investor sees only their own movements; others may not ask', async () => {
    const other = await register(w.base);
    const os = await login(w.base, other.mobile, other.password);
    assert.deepEqual(rows(await reconciled('2026-03-01', '2026-03-04', os.token)), []);
    for (const token of [s.staff.ops.token, s.staff.admin.token, s.staff.compliance.token]) {
      expectProblem(await statement(token, '2026-03-01', '2026-03-04'), 403, 'forbidden');
    }
    expectProblem(await statement(undefined, '2026-03-01', '2026-03-04'), 401,
      'unauthenticated');
  });

  suite('ranges', () => {
    const good = [
      // [name, from, to]
      ['one day', '2026-03-04', '2026-03-04'],
      ['366 days', '2025-01-01', '2026-01-01'],
      ['366 days of a leap year', '2024-01-01', '2024-12-31'],
      ['a leap day', '2024-02-29', '2024-02-29'],
    ];
    for (const [name, from, to] of good) {
      test(`${name} is a range`, async () => {
        await reconciled(from, to);
      });
    }

    const bad = [
      // [name, query]
      ['no parameters', ''],
      ['no to', '?from=2026-03-01'],
      ['no from', '?to=2026-03-01'],
      ['empty values', '?from=&to='],
      ['from after to', '?from=2026-03-02&to=2026-03-01'],
      ['367 days', '?from=2025-01-01&to=2026-01-02'],
      ['367 days across a leap day', '?from=2024-01-01&to=2025-01-01'],
      ['several years', '?from=2020-01-01&to=2026-03-01'],
      ['30 February', '?from=2026-02-30&to=2026-03-01'],
      ['29 February of a common year', '?from=2026-02-01&to=2026-02-29'],
      ['month 13', '?from=2026-03-01&to=2026-13-01'],
      ['day 00', '?from=2026-03-00&to=2026-03-01'],
      ['no leading zeros', '?from=2026-3-1&to=2026-03-02'],
      ['no dashes', '?from=20260301&to=20260302'],
      ['slashes', '?from=2026/03/01&to=2026/03/02'],
      ['a time of day', '?from=2026-03-01T00:00:00&to=2026-03-02'],
      ['a trailing space', '?from=2026-03-01%20&to=2026-03-02'],
      ['a year before 1970', '?from=1969-12-31&to=1970-01-01'],
      ['five-digit year', '?from=12026-03-01&to=12026-03-02'],
      ['words', '?from=yesterday&to=today'],
      ['milliseconds', `?from=${cstMs('2026-03-01')}&to=${cstMs('2026-03-02')}`],
    ];
    for (const [name, query] of bad) {
      test(`${name}: 400`, async () => {
        expectProblem(await api(w.base, 'GET', `/api/v1/investor/statement${query}`,
          { token: s.inv.token }), 400, 'bad_request');
      });
    }
  });
});

// ---- the risk questionnaire ----

/** The total, category and lowest flag of `answers` under a full definition, by its rules. */
function score(def, answers) {
  assert.equal(answers.length, def.questions.length);
  let total = 0;
  let disqualified = false;
  def.questions.forEach((q, i) => {
    const o = q.options[answers[i]];
    total += o.score;
    disqualified ||= o.disqualifying === true;
  });
  const lowest = disqualified || total < (def.lowest_below ?? 0);
  const category = lowest ? 1 : 1 + def.thresholds.filter((t) => total >= t).length;
  return { score: total, category: `C${category}`, lowest };
}

/** A definition as the server stores it: `disqualifying` and `lowest_below` spelled out. */
function canonical(def) {
  return {
    questions: def.questions.map((q) => ({ id: q.id, text: q.text,
      options: q.options.map((o) => ({ text: o.text, score: o.score,
        disqualifying: o.disqualifying ?? false })) })),
    thresholds: def.thresholds,
    lowest_below: def.lowest_below ?? 0,
  };
}

const clone = (v) => structuredClone(v);

suite('risk questionnaire versions', () => {
  const investorFresh = async () => {
    const r = await register(w.base);
    const sess = await login(w.base, r.mobile, r.password);
    await putProfile(w.base, sess.token);
    return { token: sess.token, id: sess.user.id };
  };
  const current = async (token = s.q.reviewer) =>
    expectOk(await api(w.base, 'GET', '/api/v1/ops/questionnaire', { token }));
  const publish = (body, token = s.q.risk) =>
    api(w.base, 'POST', '/api/v1/ops/questionnaire', { token, body });
  const answer = (token, version, answers) => api(w.base, 'POST',
    '/api/v1/investor/assessments', { token, body: { questionnaire_version: version, answers } });

  test('Thu 2026-03-05: version 1 is the built-in questionnaire, scores for operators only',
    async () => {
      await at('2026-03-05');
      s.q = { accounts: {} };
      for (const role of ['ops_risk', 'ops_reviewer']) {
        const acc = await w.srv.createOperator(`q.ops.${role.slice(4)}`, role);
        s.q.accounts[role.slice(4)] = acc;
        s.q[role.slice(4)] = (await login(w.base, acc.login, acc.password)).token;
      }
      const v1 = await current();
      assert.equal(v1.version, 1);
      const def = v1.definition;
      assert.deepEqual(def.thresholds, [30, 45, 60, 80]);
      assert.equal(def.lowest_below, 20);
      assert.equal(def.questions.length, 10);
      assert.deepEqual(def.questions[0].options.map((o) => o.score), [1, 4, 8, 8, 10]);
      const loss = def.questions.find((q) => q.id === 'loss_tolerance');
      assert.deepEqual(loss.options.map((o) => o.disqualifying),
        [true, false, false, false, false]);
      for (const token of [s.staff.ops.token, s.q.risk]) {
        assert.deepEqual(await current(token), v1);
      }
      s.v1 = v1.definition;

      // The built-in answer sheets of lib/trading.mjs land where its comments say.
      for (const [want, answers] of Object.entries(ANSWERS)) {
        const got = score(s.v1, answers);
        assert.equal(want === 'lowest' ? 'C1' : want, got.category, want);
        assert.equal(got.lowest, want === 'lowest', want);
      }

      // Investors see the same questions without any score.
      const pub = expectOk(await api(w.base, 'GET', '/api/v1/investor/questionnaire',
        { token: s.inv.token })).questionnaire;
      assert.equal(pub.version, 1);
      assert.deepEqual(pub.questions, def.questions.map((q) => ({ id: q.id, text: q.text,
        options: q.options.map((o, index) => ({ index, text: o.text })) })));

      // An investor answers version 1 before anything changes.
      s.early = await investorFresh();
      const a = expectOk(await answer(s.early.token, 1, ANSWERS.C2), 201).assessment;
      assert.deepEqual([a.questionnaire_version, a.score, a.category, a.lowest],
        [1, score(s.v1, ANSWERS.C2).score, 'C2', false]);
      s.earlyAssessment = a;
    });

  test('only ops_admin and ops_risk publish; only operators read the scores', async () => {
    const body = clone(s.v1);
    const before = await w.sql('SELECT count(*) FROM questionnaires;');
    for (const token of [s.q.reviewer, s.inv.token, s.staff.admin.token,
      s.staff.operator.token, s.staff.compliance.token]) {
      expectProblem(await publish(body, token), 403, 'forbidden');
    }
    for (const token of [s.inv.token, s.staff.admin.token, s.staff.compliance.token]) {
      expectProblem(await api(w.base, 'GET', '/api/v1/ops/questionnaire', { token }), 403,
        'forbidden');
    }
    expectProblem(await publish(body, null), 401, 'unauthenticated');
    expectProblem(await api(w.base, 'GET', '/api/v1/ops/questionnaire'), 401,
      'unauthenticated');
    // A cookie session needs the CSRF token on a publish.
    const acc = await w.srv.createOperator('q.ops.cookie', 'ops_risk');
    const cookie = await login(w.base, acc.login, acc.password);
    expectProblem(await api(w.base, 'POST', '/api/v1/ops/questionnaire',
      { session: cookie, csrf: false, body }), 403, 'csrf_failed');
    assert.equal(await w.sql('SELECT count(*) FROM questionnaires;'), before);
    assert.equal((await current()).version, 1);
  });

  test('ops_risk publishes version 2: the same answers score into another category',
    async () => {
      s.auditSeq = (await auditAfter(w.base, s.staff.ops.token)).at(-1).seq;
      // Experience under two years is worth 6 rather than 3, and the liquidity question is
      // reworded; the cut points stay.
      const v2 = clone(s.v1);
      const experience = v2.questions.find((q) => q.id === 'experience');
      experience.options[1].score = 6;
      const liquidity = v2.questions.find((q) => q.id === 'liquidity');
      liquidity.text = '未来一年内，您是否可能需要动用这笔投资资金？（含紧急备用金）';
      // The defaults may be left out of the request.
      for (const q of v2.questions) {
        for (const o of q.options) if (!o.disqualifying) delete o.disqualifying;
      }
      s.v2 = canonical(v2);
      const was = score(s.v1, ANSWERS.C2);
      const now = score(s.v2, ANSWERS.C2);
      assert.deepEqual([was.score, was.category, now.score, now.category],
        [42, 'C2', 45, 'C3'], 'the test\'s own scoring');

      assert.deepEqual(expectOk(await publish(v2), 201), { version: 2 });
      const got = await current();
      assert.equal(got.version, 2);
      assert.deepEqual(got.definition, s.v2);

      const pub = expectOk(await api(w.base, 'GET', '/api/v1/investor/questionnaire',
        { token: s.inv.token })).questionnaire;
      assert.equal(pub.version, 2);
      assert.equal(pub.questions.find((q) => q.id === 'liquidity').text, liquidity.text);
      assert.deepEqual(pub.questions.map((q) => q.options.map((o) => o.text)),
        s.v2.questions.map((q) => q.options.map((o) => o.text)));
    });

  test('an answer sheet for version 1 is outdated; version 2 is scored by its scores',
    async () => {
      const late = await investorFresh();
      const count = 'SELECT count(*) FROM risk_assessments;';
      const before = await w.sql(count);
      for (const version of [1, 0, 3, -1]) {
        expectProblem(await answer(late.token, version, ANSWERS.C2), 409,
          'questionnaire_outdated', 'questionnaire_version');
      }
      assert.equal(await w.sql(count), before, 'an outdated sheet is not stored');
      expectProblem(await api(w.base, 'GET', '/api/v1/investor/assessment',
        { token: late.token }), 404, 'not_found');

      for (const [name, answers] of Object.entries(ANSWERS)) {
        const want = score(s.v2, answers);
        const a = expectOk(await answer(late.token, 2, answers), 201).assessment;
        assert.deepEqual({ version: a.questionnaire_version, score: a.score,
          category: a.category, lowest: a.lowest }, { version: 2, ...want }, name);
      }
      const a = expectOk(await answer(late.token, 2, ANSWERS.C2), 201).assessment;
      assert.deepEqual([a.score, a.category, a.max_risk_level], [45, 'C3', 'R3']);
      assert.deepEqual(expectOk(await api(w.base, 'GET', '/api/v1/investor/assessment',
        { token: late.token })).assessment, a);
      const row = (await w.sql(`SELECT questionnaire_version, answers, score, category
        FROM risk_assessments WHERE id = ${a.id};`)).trim();
      assert.equal(row, `2|${JSON.stringify(ANSWERS.C2)}|45|3`);

      // The sheet answered before keeps its version and category until it expires.
      const early = expectOk(await api(w.base, 'GET', '/api/v1/investor/assessment',
        { token: s.early.token })).assessment;
      assert.deepEqual(early, s.earlyAssessment);
      assert.equal(early.valid, true);
      expectProblem(await answer(s.early.token, 1, ANSWERS.C2), 409, 'questionnaire_outdated');
      assert.equal(expectOk(await answer(s.early.token, 2, ANSWERS.C2), 201).assessment
        .category, 'C3');
    });

  suite('a questionnaire that breaks a rule is refused and nothing is published', () => {
    // A small valid questionnaire, each case breaking one thing.
    const one = () => ({
      questions: [{ id: 'q1', text: '问题一', options: [0, 10, 20, 30, 40]
        .map((v, i) => ({ text: `选项${i}`, score: v })) }],
      thresholds: [10, 20, 30, 40],
    });
    const edit = (fn) => () => {
      const d = one();
      fn(d);
      return d;
    };
    const v1 = () => clone(s.v1);
    const cases = [
      // [name, body (a function: s.v1 is known only once the tests run), status, code, field]
      ['a question with one option', edit((d) => { d.questions[0].options.length = 1; }), 422,
        'questionnaire_invalid'],
      ['a question with seven options', edit((d) => {
        d.questions[0].options.push({ text: '5', score: 1 }, { text: '6', score: 2 });
      }), 422, 'questionnaire_invalid'],
      ['a question without options', edit((d) => { d.questions[0].options = []; }), 422,
        'questionnaire_invalid'],
      ['C3 unreachable between reachable totals (no total in [15, 20))',
        edit((d) => { d.thresholds = [10, 15, 20, 40]; }), 422, 'questionnaire_invalid'],
      ['C5 above the largest total', () => ({ ...v1(), thresholds: [30, 45, 60, 101] }), 422,
        'questionnaire_invalid'],
      ['C1 reachable only through a disqualifying option', edit((d) => {
        d.questions[0].options[0].disqualifying = true;
      }), 422, 'questionnaire_invalid'],
      ['equal thresholds', edit((d) => { d.thresholds = [10, 10, 30, 40]; }), 422,
        'questionnaire_invalid'],
      ['descending thresholds', () => ({ ...v1(), thresholds: [45, 30, 60, 80] }), 422,
        'questionnaire_invalid'],
      ['a threshold above 2000', edit((d) => { d.thresholds = [10, 20, 30, 2001]; }), 422,
        'questionnaire_invalid'],
      ['a negative threshold', edit((d) => { d.thresholds = [-1, 20, 30, 40]; }), 422,
        'questionnaire_invalid'],
      ['a threshold that is not an integer', edit((d) => { d.thresholds = [10, 20.5, 30, 40]; }),
        422, 'questionnaire_invalid'],
      ['three thresholds', edit((d) => { d.thresholds = [10, 20, 30]; }), 422, 'invalid_field',
        'thresholds'],
      ['five thresholds', edit((d) => { d.thresholds = [10, 20, 30, 40, 50]; }), 422,
        'invalid_field', 'thresholds'],
      ['thresholds as a string', edit((d) => { d.thresholds = '10,20,30,40'; }), 422,
        'invalid_field', 'thresholds'],
      ['a score of 1.5', edit((d) => { d.questions[0].options[1].score = 1.5; }), 422,
        'questionnaire_invalid'],
      ['a score as a string', edit((d) => { d.questions[0].options[1].score = '10'; }), 422,
        'questionnaire_invalid'],
      ['a score of null', edit((d) => { d.questions[0].options[1].score = null; }), 422,
        'questionnaire_invalid'],
      ['no score', edit((d) => { delete d.questions[0].options[1].score; }), 422,
        'questionnaire_invalid'],
      ['a score of 101', edit((d) => { d.questions[0].options[4].score = 101; }), 422,
        'questionnaire_invalid'],
      ['a negative score', edit((d) => { d.questions[0].options[0].score = -1; }), 422,
        'questionnaire_invalid'],
      ['every option disqualifying', edit((d) => {
        for (const o of d.questions[0].options) o.disqualifying = true;
      }), 422, 'questionnaire_invalid'],
      ['disqualifying as a string', edit((d) => {
        d.questions[0].options[0].disqualifying = 'true';
      }), 422, 'questionnaire_invalid'],
      ['two questions with one id', () => {
        const d = v1();
        d.questions[1].id = d.questions[0].id;
        return d;
      }, 422, 'questionnaire_invalid'],
      ['an id in capitals', edit((d) => { d.questions[0].id = 'Q1'; }), 422,
        'questionnaire_invalid'],
      ['an empty id', edit((d) => { d.questions[0].id = ''; }), 422, 'questionnaire_invalid'],
      ['an id of 33 bytes', edit((d) => { d.questions[0].id = 'q'.repeat(33); }), 422,
        'questionnaire_invalid'],
      ['no id', edit((d) => { delete d.questions[0].id; }), 422, 'questionnaire_invalid'],
      ['an empty question text', edit((d) => { d.questions[0].text = ''; }), 422,
        'questionnaire_invalid'],
      ['a question text of 201 characters', edit((d) => { d.questions[0].text = '问'.repeat(201); }),
        422, 'questionnaire_invalid'],
      ['an empty option text', edit((d) => { d.questions[0].options[2].text = ''; }), 422,
        'questionnaire_invalid'],
      ['a question that is not an object', edit((d) => { d.questions = ['问题一']; }), 422,
        'questionnaire_invalid'],
      ['an option that is not an object', edit((d) => { d.questions[0].options[0] = 0; }), 422,
        'questionnaire_invalid'],
      ['lowest_below above the first threshold', edit((d) => { d.lowest_below = 11; }), 422,
        'questionnaire_invalid'],
      ['a negative lowest_below', edit((d) => { d.lowest_below = -1; }), 422,
        'questionnaire_invalid'],
      ['lowest_below as a string', edit((d) => { d.lowest_below = '5'; }), 422,
        'invalid_field', 'lowest_below'],
      ['no questions', edit((d) => { d.questions = []; }), 422, 'invalid_field', 'questions'],
      ['21 questions', () => {
        const d = v1();
        d.questions = Array.from({ length: 21 }, (_, i) => ({ ...d.questions[i % 10],
          id: `q${i}` }));
        return d;
      }, 422, 'invalid_field', 'questions'],
      ['no questions member', edit((d) => { delete d.questions; }), 422, 'missing_field',
        'questions'],
      ['no thresholds member', edit((d) => { delete d.thresholds; }), 422, 'missing_field',
        'thresholds'],
      ['an unknown member', edit((d) => { d.version = 3; }), 422, 'unknown_field', 'version'],
      ['a body that is not JSON', () => '{"questions": [', 400, 'bad_json'],
    ];
    for (const [name, body, status, code, field] of cases) {
      test(name, async () => {
        expectProblem(await publish(body()), status, code, field);
      });
    }

    test('the small questionnaire itself is valid, and nothing above was published',
      async () => {
        assert.equal((await current()).version, 2);
        const rows2 = (await w.sql('SELECT version FROM questionnaires ORDER BY version;'))
          .trim();
        assert.equal(rows2, '1\n2');
        assert.deepEqual(expectOk(await publish(one()), 201), { version: 3 });
        assert.deepEqual((await current()).definition, canonical({ ...one(), lowest_below: 0 }));
        // Back to version 2's content, as version 4.
        assert.deepEqual(expectOk(await publish(s.v2), 201), { version: 4 });
        assert.deepEqual(await current(), { version: 4, definition: s.v2 });
      });
  });

  test('each publish is in the audit log, and the chain verifies', async () => {
    const entries = (await auditAfter(w.base, s.staff.ops.token, s.auditSeq))
      .filter((e) => e.action === 'questionnaire.publish');
    assert.deepEqual(entries.map((e) => e.detail), [{ version: 2 }, { version: 3 },
      { version: 4 }], 'one entry per version published, none for refusals');
    const risk = expectOk(await api(w.base, 'GET', '/api/v1/me', { token: s.q.risk })).user;
    for (const e of entries) {
      assert.equal(e.actor_user_id, risk.id);
      assert.equal(e.actor_role, 'ops_risk');
      assert.equal(e.institution_id, null);
      assert.match(e.subject, /^questionnaire/);
    }
    assert.deepEqual(expectOk(await api(w.base, 'GET', '/api/v1/ops/audit/verify',
      { token: s.staff.ops.token })).ok, true);
    await w.stop();
    await expectLedgerOk(w.db);
  });
});

// Definitions refused for what hides inside them: unknown members at any depth, numbers beyond
// their range.
suite('definitions refused in depth', () => {
  const small = () => ({
    questions: [{ id: 'q1', text: '问题一', options: [0, 10, 20, 30, 40]
      .map((v, i) => ({ text: `选项${i}`, score: v })) }],
    thresholds: [10, 20, 30, 40],
  });
  const refused = async (body) => {
    const version = expectOk(await api(w.base, 'GET', '/api/v1/ops/questionnaire',
      { token: s.q.reviewer })).version;
    const res = await api(w.base, 'POST', '/api/v1/ops/questionnaire',
      { token: s.q.risk, body });
    expectProblem(res, 422, ['unknown_field', 'questionnaire_invalid']);
    assert.equal(expectOk(await api(w.base, 'GET', '/api/v1/ops/questionnaire',
      { token: s.q.reviewer })).version, version, 'published all the same');
  };

  test('start the server again', async () => {
    await at('2026-03-05', '11:00:00');
    for (const [role, acc] of Object.entries(s.q.accounts)) {
      s.q[role] = (await login(w.base, acc.login, acc.password)).token;
    }
  });

  test('an unknown member inside a question', async () => {
    const d = small();
    d.questions[0].weight = 2;
    await refused(d);
  });

  test('an unknown member inside an option', async () => {
    const d = small();
    d.questions[0].options[0].explanation = '说明';
    await refused(d);
  });

  test('lowest_below beyond its range', async () => {
    await refused({ ...small(), lowest_below: 2 ** 32 + 5 });
  });
});
