// Debian's chromium driven by playwright-core (installed with the web UI's packages): no
// browser is downloaded. Each launch gets a fresh temporary profile from Playwright.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { REPO_ROOT } from '../../api/lib/server.mjs';

const require = createRequire(resolve(REPO_ROOT, 'web/package.json'));

export const CHROMIUM = process.env.CAIFUHAO_CHROMIUM || '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: scripts/deps installs it`);
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true,
  hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
export const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai' };

/** Collects page errors so that a test can fail on a crash in the UI. */
export function watchErrors(page, sink) {
  page.on('pageerror', (e) => sink.push(`${page.url()}: ${e.stack || e.message}`));
}
