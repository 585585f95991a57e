// The second journey, on the screens added after the first: marketing, comments, reports, fund
// managers and search. An institution's fee-discount campaign is first refused for a red packet
// (the rule cited), then saved, submitted and approved by an operator; the investor sees the
// offer on the fund's page and buys through it with the discounted fee preview, and the report
// adds the order up;
// another draft is edited, submitted and withdrawn, and the running campaign is stopped with a
// reason; an investor comments on a published article (one comment passes, one is held and the
// operator approves it), reports another investor's comment and the operator takes it down; the
// institution adds a fund manager who shows on its zone page; the investor searches a two-character
// Chinese term and opens a result. The institution, its zone, products and the article are set up
// through the API: the first journey drives those screens. Each step checks what the screen shows;
// screenshots go to the same folder as the first journey's, as j2-*.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';

import {
  acceptAndLogin, createInstitution, login, opsInvite, register, setStatus,
} from '../api/lib/fixtures.mjs';
import { png } from '../api/lib/images.mjs';
import { makeWorkdir, REPO_ROOT, runCliOk, Server } from '../api/lib/server.mjs';
import {
  ANSWERS, assess, createProduct, putProfile, readyInvestor, topup,
} from '../api/lib/trading.mjs';
import { formatMoney } from '../../web/src/lib/money.js';
import { DESKTOP, launch, PHONE, watchErrors } from './lib/browser.mjs';
import { antdDate, antdSelect, btn, clockAt } from './lib/ui.mjs';

const DIST = resolve(REPO_ROOT, 'web/dist');
const SCREENS = resolve(process.env.E2E_SCREENS || resolve(REPO_ROOT, 'test-output/e2e-screens'));
const T = '2026-03-02'; // a Monday
const OPS = { login: 'ops.second', password: 'Operator-pass-2' };
const ADMIN = { login: 'wh.admin', password: 'Journey-pass-2' };
const INVESTOR = { mobile: `138${String(process.pid % 100000000).padStart(8, '0')}`, password: 'Investor-pass-2' };
const BOND = { code: '270001', name: '稳航纯债债券A' };
const ARTICLE = { title: '债券市场季度展望', body: '本季度利率预计保持平稳，债券配置价值显现。\n\n基金有风险，投资需谨慎。' };
const CLEAN = '利率平稳的判断很有参考价值，谢谢分享。';
const HELD = '请问这只基金保本吗？';
const RUDE = '这家公司的经理什么都不懂，大家千万别信他们';

const S = {};
const errors = [];
let srv;
let browser;
let shots = 0;

async function shot(page, name) {
  shots += 1;
  await page.screenshot({ path: resolve(SCREENS, `j2-${String(shots).padStart(2, '0')}-${name}.png`) });
}

async function call(method, path, token, body) {
  const res = await fetch(`${srv.base}${path}`, { method, headers: { Authorization: `Bearer ${token}`,
    ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json().catch(() => null);
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function consoleLogin(page, who) {
  await page.goto('/console');
  await page.getByLabel('账号').fill(who.login);
  await page.getByLabel('密码').fill(who.password);
  await btn(page, '登录').click();
}

describe('the second journey: campaigns, comments, reports, fund managers and search', { concurrency: false }, () => {
  before(async () => {
    assert.ok(existsSync(resolve(DIST, 'index.html')), 'web/dist is not built: run scripts/web build');
    await mkdir(SCREENS, { recursive: true });
    for (const f of await readdir(SCREENS)) {
      if (f.startsWith('j2-') || f.startsWith('failed-j2-')) await rm(resolve(SCREENS, f));
    }
    const work = await makeWorkdir();
    work.web = DIST;
    srv = new Server(work, { CAIFUHAO_SCHEDULER_INTERVAL_S: '0', ...clockAt(T, '10:00:00') });
    await srv.start();
    const base = srv.base;

    await srv.createOperator(OPS.login, 'ops_admin', OPS.password);
    const ops = await login(base, OPS.login, OPS.password);
    const inst = await createInstitution(base, ops.token, { name: '稳航基金管理有限公司', shortName: '稳航基金' });
    await setStatus(base, ops.token, inst.id, 'live');
    const admin = await acceptAndLogin(base, await opsInvite(base, ops.token, inst.id, 'inst_admin', ADMIN.login), ADMIN.password);
    S.instId = inst.id;
    S.adminToken = admin.token;
    const zone = await call('PUT', '/api/v1/inst/zone', admin.token, {
      display_name: '稳航基金财富号', theme_color: '#0E7C66', slogan: '稳健前行，固收优先',
      introduction: '稳航基金专注固定收益投资。', modules: ['featured_products', 'fund_managers', 'articles', 'qa'],
    });
    await call('POST', `/api/v1/ops/zones/${zone.version.version_id}/decision`, ops.token, { decision: 'approve', reason: '品牌信息合规' });
    S.bond = await createProduct(base, admin.token, { code: BOND.code, name: BOND.name, type: 'bond', equity_leaning: false,
      risk_level: 'R2', fee_discount: '1', sub_fees: [{ min_amount: '0.00', max_amount: null, rate: '0.003' }] });
    S.equity = await createProduct(base, admin.token, { code: '270002', name: '稳航价值精选混合A' });
    // The NAV of the Friday before: orders of T are estimated at it until NAV(T) is published.
    await call('POST', `/api/v1/inst/products/${S.bond.id}/navs`, admin.token, { date: '2026-02-27', nav: '1.0100', acc_nav: '1.0100' });
    const article = await call('POST', '/api/v1/inst/contents', admin.token, { kind: 'article', ...ARTICLE });
    assert.equal(article.status, 'published', JSON.stringify(article.check));
    S.contentId = article.id;
    // another investor's comment, for the first one to report
    const other = await register(base, { displayName: '路人' });
    const otherSession = await login(base, other.mobile, other.password);
    const rude = await call('POST', '/api/v1/investor/comments', otherSession.token, { content_id: S.contentId, body: RUDE });
    assert.equal(rude.comment.status, 'published');
    await register(base, { mobile: INVESTOR.mobile, password: INVESTOR.password, displayName: '小稳' });
    // Verified, assessed (C2, so the R2 bond needs no warning) and with cash: the first journey
    // drives those screens.
    S.investorToken = (await login(base, INVESTOR.mobile, INVESTOR.password)).token;
    await putProfile(base, S.investorToken);
    await assess(base, S.investorToken, ANSWERS.C2);
    await topup(base, S.investorToken, '20000');

    browser = await launch();
    for (const [who, opts] of [['ops', DESKTOP], ['inst', DESKTOP], ['investor', PHONE]]) {
      const ctx = await browser.newContext({ ...opts, baseURL: srv.base });
      S[who] = await ctx.newPage();
      S[who].setDefaultTimeout(15000);
      watchErrors(S[who], errors);
    }
    await consoleLogin(S.ops, OPS);
    await S.ops.getByRole('heading', { name: '机构入驻' }).waitFor();
    await consoleLogin(S.inst, ADMIN);
    await S.inst.getByRole('heading', { name: '稳航基金管理有限公司' }).waitFor();
    const p = S.investor;
    await p.goto(`/login?next=/content/${S.contentId}`);
    await p.getByLabel('手机号').first().fill(INVESTOR.mobile);
    await p.getByLabel('密码').first().fill(INVESTOR.password);
    await p.getByRole('button', { name: '登录' }).last().click();
    await p.getByRole('heading', { name: ARTICLE.title }).waitFor();
  });

  afterEach(async (t) => {
    if (t.passed !== false) return;
    for (const who of ['ops', 'inst', 'investor']) {
      await S[who]?.screenshot({ path: resolve(SCREENS, `failed-j2-${who}-${Date.now()}.png`) }).catch(() => {});
    }
  });

  after(async () => {
    await browser?.close();
    const failed = process.exitCode && process.exitCode !== 0;
    await srv?.stop();
    if (!failed) await srv?.removeWorkdir();
    process.stdout.write(`\ne2e screenshots (second journey): ${SCREENS} (${shots} files, j2-*)\n`);
  });

  test('a campaign with a red packet is refused citing the rule; the fee discount is saved and submitted', async () => {
    const p = S.inst;
    await p.getByRole('menuitem', { name: '营销活动' }).click();
    await p.getByRole('heading', { name: '营销活动' }).waitFor();
    await p.getByRole('button', { name: '新建活动' }).click();
    await p.getByLabel('活动名称', { exact: true }).fill('春季申购送红包');
    await p.getByLabel('活动说明', { exact: true }).fill('活动期内，指定产品申购费率在平台优惠基础上再享5折。');
    await antdDate(p, '开始日期', T);
    await antdDate(p, '结束日期', '2026-03-31');
    await p.getByLabel('减免比例').fill('0.5');
    await p.getByLabel('预算（元）').fill('1000');
    await antdSelect(p, '适用产品', BOND.name);
    await p.getByRole('heading', { name: '新建活动' }).click();
    await p.getByRole('button', { name: '保存草稿' }).click();
    const refusal = p.getByTestId('forbidden-campaign');
    await refusal.locator('mark.hl', { hasText: '红包' }).waitFor();
    const text = await refusal.innerText();
    assert.match(text, /活动不符合基金销售规定/);
    assert.match(text, /no_red_packet/);
    assert.match(text, /红包/);
    await shot(p, 'console-campaign-forbidden');

    await p.getByLabel('活动名称', { exact: true }).fill('春季申购费率优惠');
    await p.getByRole('button', { name: '保存草稿' }).click();
    await p.getByRole('heading', { name: '春季申购费率优惠' }).waitFor();
    await p.getByText('草稿：提交平台审核并通过后').waitFor();
    S.campaignUrl = p.url();
    await p.getByRole('button', { name: '提交审核' }).click();
    await p.getByText('待平台审核').first().waitFor();
  });

  test('the operator approves the campaign; the investor buys through the offer; its report adds the order up', async () => {
    const o = S.ops;
    await o.getByRole('menuitem', { name: '审核队列' }).click();
    const item = o.getByRole('article', { name: /营销活动: 春季申购费率优惠/ });
    await item.waitFor();
    assert.match(await item.innerText(), /费率优惠 · 2026-03-02 ~ 2026-03-31/);
    assert.match(await item.innerText(), /预算 1,000\.00 元/);
    await shot(o, 'console-review-campaign');
    await btn(item, '通过').click();
    await o.getByLabel('理由（将告知作者）').fill('费率优惠在预算内，符合营销规范');
    await btn(o, '提交').click();
    await item.waitFor({ state: 'detached' });

    // The investor sees the offer on the fund's page, buys through it with the discounted fee
    // preview, and the receipt shows the estimated discount; NAV(T) and the batch confirm it.
    const campaignId = S.campaignUrl.split('/').pop();
    const i = S.investor;
    await i.goto(`/product/${S.bond.id}`);
    const offers = i.getByRole('region', { name: '费率优惠' });
    await offers.getByText('申购费再享5折').waitFor();
    await offers.getByText('春季申购费率优惠').waitFor();
    assert.match(await offers.innerText(), /活动至 2026-03-31，优惠预算有限，用完即止/);
    await shot(i, 'app-product-offer');
    await i.getByRole('button', { name: /^买\s?入$/ }).click();
    const pick = i.getByRole('region', { name: '费率优惠' });
    await pick.getByText('春季申购费率优惠').waitFor();
    // antd-mobile hides the native input behind its own mark.
    const offerRadio = pick.getByRole('radio', { name: /春季申购费率优惠/, includeHidden: true });
    assert.equal(await offerRadio.isChecked(), true, 'the best offer is chosen by default');
    await i.getByRole('textbox', { name: '买入金额' }).fill('10000');
    // 10,000 at 0.3% (外扣法): 29.91 without the offer; at 0.15%, 14.98: the offer takes 14.93.
    const preview = i.getByLabel('费用预估');
    await preview.getByText('14.98 元').waitFor();
    assert.match(await preview.innerText(), /活动减免\s+-14\.93 元/);
    assert.match(await preview.innerText(), /0\.15%（原费率 0\.30%）/);
    assert.match(await preview.innerText(), /未用优惠时申购费 29\.91 元/);
    await pick.getByText('不使用优惠').click();
    await preview.getByText('29.91 元').waitFor();
    assert.equal(await offerRadio.isChecked(), false);
    await pick.getByText('春季申购费率优惠').click();
    await preview.getByText('14.98 元').waitFor();
    assert.equal(await offerRadio.isChecked(), true);
    await shot(i, 'app-buy-offer');
    await i.getByRole('button', { name: '确认买入' }).click();
    await i.getByText('买入申请已受理').waitFor();
    await i.getByText('参加活动').waitFor();
    const row = (label) => i.locator('.adm-list-item', { hasText: label });
    await row('活动减免（预估）').getByText('14.93 元').waitFor();
    assert.match(await row('活动减免（预估）').innerText(), /预算/, 'said to be an estimate');
    await row('手续费').getByText('14.98 元').waitFor();
    await row('活动减免（预估）').scrollIntoViewIfNeeded();
    await shot(i, 'app-receipt-offer');
    const orderId = new URL(i.url()).pathname.split('/').pop();
    const { order: placed } = await call('GET', `/api/v1/investor/orders/${orderId}`, S.investorToken);
    assert.equal(placed.campaign_id, campaignId, 'the order names the campaign');
    assert.equal(placed.estimate.campaign_discount, '14.93');
    await call('POST', `/api/v1/inst/products/${S.bond.id}/navs`, S.adminToken, { date: T, nav: '1.0100', acc_nav: '1.0100' });
    const batch = await runCliOk(['batch', 'confirm', '--date', T, '--db', srv.db], { env: clockAt(T, '20:00:00') });
    assert.match(batch.stdout, /1 processed, 0 failed/);
    const { report: r } = await call('GET', `/api/v1/inst/campaigns/${campaignId}/report`, S.adminToken);
    assert.equal(r.orders.confirmed, 1);
    assert.notEqual(r.discount_given, '0.00');

    const p = S.inst;
    await p.goto(S.campaignUrl);
    await p.getByText('进行中').first().waitFor();
    await p.getByText('审核意见：费率优惠在预算内，符合营销规范').waitFor();
    const report = p.getByTestId('campaign-report');
    await report.getByText(`预算 1,000.00 元，已用 ${formatMoney(r.spent)} 元，剩余 ${formatMoney(r.budget_left)} 元`).waitFor();
    const figures = await report.innerText();
    assert.match(figures, /已确认\s+1/);
    assert.match(figures, /参与投资者\s+1/);
    assert.match(figures, /10,000\.00/);
    assert.ok(figures.includes(formatMoney(r.discount_given)), figures);
    // 10,000 at 0.3% (外扣法): fee 10000 − 10000/1.003 = 29.91; halved to 0.15%: 10000 −
    // 10000/1.0015 = 14.98 charged, so the campaign took 29.91 − 14.98 = 14.93 off
    assert.match(figures, /实收手续费（元）\s+14\.98/);
    assert.match(figures, /活动减免（元）\s+14\.93/);
    await report.getByRole('cell', { name: `${BOND.code} ${BOND.name}` }).waitFor();
    await report.scrollIntoViewIfNeeded();
    await shot(p, 'console-campaign-report');
  });

  test('the institution edits a draft, withdraws it from review, and stops the running campaign with a reason', async () => {
    const p = S.inst;
    const { campaign: d } = await call('POST', '/api/v1/inst/campaigns', S.adminToken, { type: 'fee_discount',
      name: '稳航秋季费率优惠', text: '活动期内，指定产品申购费率再享8折。', start_date: T, end_date: '2026-03-20',
      budget: '500', discount: '0.2', product_ids: [S.bond.id] });
    await p.goto(`/console/campaigns/${d.id}`);
    await p.getByRole('heading', { name: '稳航秋季费率优惠' }).waitFor();
    await p.getByRole('button', { name: /^编\s?辑$/ }).click();
    await p.getByRole('heading', { name: '编辑活动' }).waitFor();
    const name = p.getByLabel('活动名称', { exact: true });
    assert.equal(await name.inputValue(), '稳航秋季费率优惠', 'the form starts from the campaign');
    assert.equal(await p.getByLabel('减免比例').inputValue(), '0.2');
    await name.fill('稳航春季定投费率优惠');
    await p.getByRole('button', { name: '保存修改' }).click();
    await p.getByRole('heading', { name: '稳航春季定投费率优惠' }).waitFor();
    await p.getByText('草稿：提交平台审核并通过后').waitFor();
    await p.getByRole('button', { name: '提交审核' }).click();
    await p.getByText('待平台审核').first().waitFor();
    await p.getByRole('button', { name: /^撤\s?回$/ }).click();
    const confirm = p.locator('.ant-popover');
    await confirm.getByText('撤回审核申请？').waitFor();
    await shot(p, 'console-campaign-withdraw');
    await confirm.getByRole('button', { name: /^撤\s?回$/ }).click();
    await p.getByText('草稿：提交平台审核并通过后').waitFor();
    await p.getByRole('button', { name: '提交审核' }).waitFor();
    const { campaign: back } = await call('GET', `/api/v1/inst/campaigns/${d.id}`, S.adminToken);
    assert.equal(back.status, 'draft');
    assert.equal(back.name, '稳航春季定投费率优惠');

    // The running campaign of the first test: stopped with a reason, asked for in a dialog.
    await p.goto(S.campaignUrl);
    await p.getByText('进行中').first().waitFor();
    assert.equal(await p.getByRole('button', { name: /^编\s?辑$/ }).count(), 0, 'a running campaign is not edited');
    await p.getByRole('button', { name: '停止活动' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByText('停止前已下的订单在确认时仍按活动减免').waitFor();
    await dialog.getByRole('button', { name: '停止活动' }).click();
    await dialog.getByText('请填写停止原因').waitFor();
    await dialog.getByLabel('停止原因').fill('产品调整，提前结束');
    await dialog.getByRole('button', { name: '停止活动' }).click();
    const stopped = p.getByTestId('campaign-stopped');
    await stopped.getByText('已提前停止：产品调整，提前结束').waitFor();
    await p.locator('.ant-tag', { hasText: '已停止' }).first().waitFor();
    await p.getByTestId('campaign-report').waitFor();
    assert.equal(await p.getByRole('button', { name: '停止活动' }).count(), 0);
    await shot(p, 'console-campaign-stopped');

    // No order may name it any more.
    const buyer = await readyInvestor(srv.base, { cashAmount: '20000' });
    const res = await fetch(`${srv.base}/api/v1/investor/orders`, { method: 'POST', headers: { Authorization: `Bearer ${buyer.token}`,
      'Content-Type': 'application/json' }, body: JSON.stringify({ client_order_id: 'j2-campaign-2', product_id: S.bond.id,
      side: 'subscribe', amount: '10000', campaign_id: S.campaignUrl.split('/').pop() }) });
    assert.equal(res.status, 422);
    assert.equal((await res.json()).reason, 'stopped');
  });

  test('the investor comments: a clean comment is published, one with a flagged word is held with the span shown', async () => {
    const p = S.investor;
    await p.goto(`/content/${S.contentId}`);
    await p.getByRole('heading', { name: ARTICLE.title }).waitFor();
    await p.getByLabel('评论内容').fill(CLEAN);
    await p.getByRole('button', { name: '发表评论' }).click();
    const list = p.getByRole('list', { name: '评论列表' });
    await list.getByText(CLEAN).waitFor();
    await p.getByLabel('评论内容').fill(HELD);
    await p.getByRole('button', { name: '发表评论' }).click();
    const outcome = p.getByTestId('check-outcome');
    await outcome.locator('mark.hl', { hasText: '保本' }).waitFor();
    assert.match(await outcome.innerText(), /待平台审核后公开/);
    const hidden = p.getByRole('list', { name: '我的未公开评论' });
    await hidden.getByText('待审核').waitFor();
    assert.equal(await list.getByText(HELD).count(), 0, 'a held comment is not in the public list');
    await outcome.scrollIntoViewIfNeeded();
    await shot(p, 'app-comment-held');
  });

  test('the operator approves the held comment, and it is published', async () => {
    const o = S.ops;
    await btn(o, '刷新').click();
    const item = o.getByRole('article', { name: `评论: ${HELD}` });
    await item.locator('mark.hl', { hasText: '保本' }).waitFor();
    assert.match(await item.innerText(), /评论于《债券市场季度展望》/);
    await shot(o, 'console-review-comment');
    await btn(item, '通过').click();
    await o.getByLabel('理由（将告知作者）').fill('询问产品性质，并非承诺收益');
    await btn(o, '提交').click();
    await item.waitFor({ state: 'detached' });

    const p = S.investor;
    await p.reload();
    await p.getByRole('list', { name: '评论列表' }).getByText(HELD).waitFor();
    assert.equal(await p.getByRole('list', { name: '我的未公开评论' }).count(), 0);
  });

  test('the investor reports another investor\'s comment; the operator takes it down; the outcome shows', async () => {
    const p = S.investor;
    const list = p.getByRole('list', { name: '评论列表' });
    const row = list.getByRole('listitem').filter({ hasText: RUDE });
    await row.getByRole('button', { name: /^举报/ }).click();
    const sheet = p.getByRole('dialog', { name: '举报评论' });
    await sheet.getByText('骚扰或辱骂').click();
    await sheet.getByLabel('补充说明').fill('对基金经理进行人身攻击');
    await shot(p, 'app-report-sheet');
    await sheet.getByRole('button', { name: '提交举报' }).click();
    const done = p.getByRole('dialog').filter({ hasText: '举报已提交' });
    await done.getByRole('button', { name: '查看我的举报' }).click();
    await p.getByRole('heading', { name: '我的举报' }).waitFor();
    await p.getByRole('listitem').filter({ hasText: '骚扰或辱骂' }).getByText('处理中', { exact: true }).waitFor();

    const o = S.ops;
    await btn(o, '刷新').click();
    const item = o.getByRole('article', { name: /举报: 这家公司的经理什么都不懂/ });
    await item.waitFor();
    const text = await item.innerText();
    assert.match(text, /骚扰或辱骂/);
    assert.match(text, /对基金经理进行人身攻击/);
    assert.match(text, /目前公开可见/);
    await shot(o, 'console-review-report');
    await btn(item, '下架').click();
    await o.getByLabel('理由（将告知举报人，下架时也告知作者）').fill('评论含人身攻击，予以下架');
    await btn(o, '提交').click();
    await item.waitFor({ state: 'detached' });
    await o.getByText('没有待审核的内容').waitFor();

    await p.reload();
    const mine = p.getByRole('listitem').filter({ hasText: '骚扰或辱骂' });
    await mine.getByText('已下架', { exact: true }).waitFor();
    await mine.getByText('处理意见：评论含人身攻击，予以下架').waitFor();
    await shot(p, 'app-my-reports');
    await p.goto(`/content/${S.contentId}`);
    await p.getByRole('list', { name: '评论列表' }).getByText(CLEAN).waitFor();
    assert.equal(await p.getByText(RUDE).count(), 0, 'the comment taken down is gone');
  });

  test('the institution adds a fund manager with a photo; the manager shows on the zone page with the fund', async () => {
    const p = S.inst;
    await p.getByRole('menuitem', { name: '基金经理' }).click();
    await p.getByRole('button', { name: '新增基金经理' }).click();
    await p.getByLabel('姓名', { exact: true }).fill('李稳');
    await p.locator('input[type=file]').setInputFiles({ name: 'li.png', mimeType: 'image/png', buffer: png(96, 96) });
    await p.getByRole('img', { name: '当前照片' }).waitFor();
    await p.getByLabel('职务', { exact: true }).fill('固定收益部总监');
    await p.getByLabel('从业年限').fill('12');
    await p.getByLabel('个人简介').fill('十二年债券投资经验，注重信用研究与久期管理，管理稳航纯债债券基金。');
    await antdSelect(p, '在管产品', BOND.name);
    await p.getByRole('heading', { name: '新增基金经理' }).click();
    await btn(p, '保存').click();
    const outcome = p.getByTestId('manager-outcome');
    await outcome.getByText('已上线：投资者现在可以在专区看到').waitFor();
    await p.getByText('线上版本', { exact: true }).waitFor();
    await shot(p, 'console-manager-saved');
    S.managerUrl = p.url();

    const i = S.investor;
    await i.goto(`/zone/${S.instId}`);
    const section = i.getByRole('region', { name: '基金经理' });
    await section.getByText('李稳').waitFor();
    await section.getByText('固定收益部总监 · 从业 12 年').waitFor();
    await shot(i, 'app-zone-managers');
    await section.getByText('李稳').click();
    await i.getByRole('heading', { name: '李稳', level: 2 }).waitFor();
    await i.getByRole('img', { name: '李稳的照片' }).waitFor();
    const funds = i.getByRole('region', { name: '在管产品' });
    await funds.getByText(BOND.name).waitFor();
    await shot(i, 'app-manager');
    await funds.getByText(BOND.name).click();
    await i.getByRole('heading', { name: BOND.name, level: 2 }).waitFor();
  });

  test('an edit with a flagged claim waits for review while the live profile stays; the operator rejects it', async () => {
    const p = S.inst;
    await p.getByLabel('个人简介').fill('十二年债券投资经验，业绩稳健，注重信用研究与久期管理。');
    await btn(p, '保存新版本').click();
    const outcome = p.getByTestId('manager-outcome');
    await outcome.locator('mark.hl', { hasText: '业绩稳健' }).waitFor();
    assert.match(await outcome.innerText(), /已提交平台审核/);
    await p.getByText('待审核版本', { exact: true }).waitFor();
    await p.getByText('线上版本', { exact: true }).waitFor();
    await shot(p, 'console-manager-pending');

    const o = S.ops;
    await btn(o, '刷新').click();
    const item = o.getByRole('article', { name: '基金经理: 李稳' });
    await item.locator('mark.hl', { hasText: '业绩稳健' }).waitFor();
    assert.match(await item.innerText(), /第 2 版 · 从业 12 年/);
    await btn(item, '驳回').click();
    await o.getByLabel('理由（将告知作者）').fill('“业绩稳健”属于业绩宣传用语，请删除');
    await btn(o, '提交').click();
    await item.waitFor({ state: 'detached' });

    await p.getByRole('menuitem', { name: '审核通知' }).click();
    const note = p.getByRole('listitem').filter({ hasText: '业绩宣传用语' });
    await note.getByText('基金经理被驳回').waitFor();
    await note.getByRole('link').click();
    await p.getByText('最近被驳回', { exact: true }).waitFor();
    const i = S.investor;
    await i.goto(`/zone/${S.instId}`);
    await i.getByRole('region', { name: '基金经理' }).getByText('李稳').waitFor();
    assert.equal(await i.getByText('业绩稳健').count(), 0, 'the pending version is not public');
  });

  test('the investor searches 债券 and opens a fund from the results', async () => {
    const p = S.investor;
    await p.goto('/');
    const box = p.getByRole('searchbox');
    await box.fill('债券');
    await box.press('Enter');
    await p.waitForURL(/\/search\?q=/);
    const funds = p.getByRole('region', { name: '基金搜索结果' });
    await funds.locator('mark.hit', { hasText: '债券' }).first().waitFor();
    await funds.getByText(BOND.code).waitFor();
    const contents = p.getByRole('region', { name: '内容搜索结果' });
    await contents.getByText('市场季度展望').waitFor();
    assert.equal(await funds.getByText('稳航价值精选混合A').count(), 0, 'only funds that match');
    await shot(p, 'app-search');
    await funds.getByText('稳航纯债').click();
    await p.getByRole('heading', { name: BOND.name, level: 2 }).waitFor();
  });

  test('the investor turns personalised marketing off in the settings', async () => {
    const p = S.investor;
    await p.goto('/me');
    await p.getByText('个性化营销').click();
    const sw = p.getByRole('switch', { name: '接收个性化营销' });
    assert.equal(await sw.getAttribute('aria-checked'), 'true');
    await sw.click();
    await p.getByText(/已于 2026-03-02 .* 关闭/).waitFor();
    assert.equal(await sw.getAttribute('aria-checked'), 'false');
    await shot(p, 'app-marketing-opt-out');
  });

  test('no page threw an error', () => {
    assert.deepEqual(errors, []);
  });
});
