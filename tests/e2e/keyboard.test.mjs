// Issue 6, item 4: the pages work with the keyboard alone and every control a keyboard user
// lands on can be read out by a screen reader. After each page loads, only the keyboard is
// used (Tab, Shift+Tab, Enter, typing): an investor follows the sign-in link from the home
// screen, signs in and lands on the signed-in home; an operator signs in to the console and
// opens a section from the side menu. At every stop the focused element must be visible and
// carry an accessible name.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { register } from '../api/lib/fixtures.mjs';
import { makeWorkdir, REPO_ROOT, Server } from '../api/lib/server.mjs';
import { DESKTOP, launch, PHONE, watchErrors } from './lib/browser.mjs';

const DIST = resolve(REPO_ROOT, 'web/dist');
const OPS = { login: 'ops.keyboard', password: 'Operator-pass-4' };

const errors = [];
let srv;
let browser;

async function page(opts) {
  const ctx = await browser.newContext({ ...opts, baseURL: srv.base });
  const p = await ctx.newPage();
  p.setDefaultTimeout(10000);
  watchErrors(p, errors);
  return p;
}

/** What a screen reader would announce for the focused element, and whether it is on screen. */
function focused(p) {
  return p.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', name: '', visible: false };
    const text = (n) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const byIds = (ids) => ids.split(/\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
    let name = el.getAttribute('aria-label')?.trim() || '';
    if (!name && el.getAttribute('aria-labelledby')) name = byIds(el.getAttribute('aria-labelledby'));
    if (!name && el.labels?.length) name = [...el.labels].map(text).join(' ').trim();
    if (!name && !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) name = text(el);
    if (!name) name = (el.getAttribute('title') || el.getAttribute('alt') || '').trim();
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    const visible = r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none'
      && r.bottom > 0 && r.right > 0 && r.top < window.innerHeight && r.left < window.innerWidth;
    return { tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '', type: el.type || '', name, visible };
  });
}

/** The focused element must be on screen and named; answers what it is. */
async function checkFocus(p, where, seen = []) {
  const f = await focused(p);
  const trail = seen.length ? ` after ${seen.join(' | ')}` : '';
  assert.ok(f.visible, `${where}: the focused ${f.tag} is not visible: ${JSON.stringify(f)}${trail}`);
  assert.ok(f.name, `${where}: the focused ${f.tag} has no accessible name: ${JSON.stringify(f)}${trail}`);
  return f;
}

/** Presses Tab until the focused element matches, checking every stop on the way. */
async function tabTo(p, match, where, max = 40) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    const f = await checkFocus(p, `${where} (stop ${i + 1})`, seen);
    seen.push(`${f.tag}${f.role ? `[${f.role}]` : ''}:${f.name}`);
    if (match(f)) return f;
  }
  return assert.fail(`${where}: not reached in ${max} Tabs; stops: ${seen.join(' | ')}`);
}

describe('keyboard only', { concurrency: false }, () => {
  before(async () => {
    assert.ok(existsSync(resolve(DIST, 'index.html')), 'web/dist is not built: run scripts/web build');
    const work = await makeWorkdir();
    work.web = DIST;
    srv = new Server(work, { CAIFUHAO_SCHEDULER_INTERVAL_S: '0' });
    await srv.start();
    await srv.createOperator(OPS.login, 'ops_admin', OPS.password);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    const failed = process.exitCode && process.exitCode !== 0;
    await srv?.stop();
    if (!failed) await srv?.removeWorkdir();
  });

  test('an investor signs in from the home screen with the keyboard', async () => {
    const investor = await register(srv.base, { displayName: '键盘用户' });
    const p = await page(PHONE);
    await p.goto('/');
    await p.getByRole('heading', { name: '财富号', exact: true }).waitFor();
    await tabTo(p, (f) => f.tag === 'a' && f.name === '登录 / 注册', 'home');
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: '登录财富号' }).waitFor();
    await tabTo(p, (f) => f.tag === 'input' && f.name.includes('手机号'), 'sign-in page');
    await p.keyboard.type(investor.mobile);
    await tabTo(p, (f) => f.tag === 'input' && f.type === 'password', 'sign-in page');
    await p.keyboard.type(investor.password);
    await p.keyboard.press('Enter');
    await p.getByText('你好，键盘用户').waitFor();
    await p.getByRole('heading', { name: '财富号', exact: true }).waitFor();
    assert.equal(await p.getByRole('link', { name: '登录 / 注册' }).count(), 0);
    // Back and forth along the page: every stop is still visible and named.
    await tabTo(p, (f) => f.name.includes('搜索'), 'signed-in home');
    await p.keyboard.press('Shift+Tab');
    await checkFocus(p, 'signed-in home (Shift+Tab)');
    assert.deepEqual(errors, []);
  });

  test('an operator signs in to the console and opens a section from the menu', async () => {
    const p = await page(DESKTOP);
    await p.goto('/console/login');
    await p.getByLabel('账号').waitFor();
    await tabTo(p, (f) => f.tag === 'input' && f.name.includes('账号'), 'console sign-in');
    await p.keyboard.type(OPS.login);
    await tabTo(p, (f) => f.tag === 'input' && f.type === 'password', 'console sign-in');
    await p.keyboard.type(OPS.password);
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: '机构入驻' }).waitFor();
    await tabTo(p, (f) => f.name === '审核队列', 'console menu');
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: '审核队列' }).waitFor();
    assert.equal(await p.getByRole('heading', { name: '机构入驻' }).count(), 0);
    assert.match(p.url(), /\/console\/review$/);
    assert.deepEqual(errors, []);
  });
});
