// Chinese by default, English on request. Texts are written in place as tr('中文', 'English');
// the chosen language is kept in localStorage and the app re-renders when it changes.
import { useSyncExternalStore } from 'react';

const KEY = 'cfh_lang';
const listeners = new Set();

function initial() {
  try {
    const v = globalThis.localStorage?.getItem(KEY);
    if (v === 'en' || v === 'zh') return v;
  } catch {
    // storage refused: stay with the default
  }
  return 'zh';
}

let lang = initial();

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (next !== 'zh' && next !== 'en') return;
  lang = next;
  try {
    globalThis.localStorage?.setItem(KEY, next);
  } catch {
    // not kept across reloads then
  }
  if (globalThis.document) document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const fn of listeners) fn();
}

export function useLang() {
  return useSyncExternalStore((fn) => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  }, getLang, getLang);
}

/** The text in the current language. */
export function tr(zh, en) {
  return lang === 'en' && en !== undefined ? en : zh;
}

/** A readable message for an error of the API client (its `detail`) or anything else. */
export function errorText(err) {
  if (!err) return '';
  if (err.code === 'network') return tr('网络连接失败，请稍后重试', 'Network error, please try again');
  if (err.status === 401 && err.code === 'unauthenticated') {
    return tr('登录已过期，请重新登录', 'Your session has ended, please sign in again');
  }
  return err.message || String(err);
}

export const RISK_NAMES = {
  R1: ['低风险', 'Low'], R2: ['中低风险', 'Medium-low'], R3: ['中风险', 'Medium'],
  R4: ['中高风险', 'Medium-high'], R5: ['高风险', 'High'],
};
export const CATEGORY_NAMES = {
  C1: ['保守型', 'Conservative'], C2: ['稳健型', 'Cautious'], C3: ['平衡型', 'Balanced'],
  C4: ['成长型', 'Growth'], C5: ['进取型', 'Aggressive'],
};
export const PRODUCT_TYPES = {
  money_market: ['货币型', 'Money market'], bond: ['债券型', 'Bond'], index: ['指数型', 'Index'],
  equity: ['股票型', 'Equity'], mixed: ['混合型', 'Mixed'], qdii: ['QDII', 'QDII'],
};
export const ORDER_STATUS = {
  accepted: ['已受理', 'Accepted'], cancelled: ['已撤单', 'Cancelled'],
  confirmed: ['已确认', 'Confirmed'], failed: ['失败', 'Failed'],
};
export const INSTITUTION_STATUS = {
  applied: ['已申请', 'Applied'], pilot: ['试点', 'Pilot'], live: ['已上线', 'Live'],
  suspended: ['已暂停', 'Suspended'],
};
export const INSTITUTION_TYPES = {
  fund_company: ['基金公司', 'Fund company'], bank: ['银行', 'Bank'], insurer: ['保险公司', 'Insurer'],
  securities_firm: ['证券公司', 'Securities firm'],
};
export const PRODUCT_STATUS = {
  open: ['开放', 'Open'], subscriptions_paused: ['暂停申购', 'Subscriptions paused'],
  redemptions_paused: ['暂停赎回', 'Redemptions paused'], closed: ['已清盘', 'Closed'],
};
export const CONTENT_KINDS = {
  article: ['文章', 'Article'], announcement: ['公告', 'Announcement'], post: ['动态', 'Post'],
};
export const CONTENT_STATUS = {
  published: ['已发布', 'Published'], held: ['待审核', 'Held for review'],
  blocked: ['已拦截', 'Blocked'], rejected: ['已驳回', 'Rejected'],
  superseded: ['已被替代', 'Superseded'], taken_down: ['已下架', 'Taken down'],
  pending: ['待审核', 'Pending'], approved: ['已通过', 'Approved'], delivered: ['已送达', 'Delivered'],
};
export const ROLE_NAMES = {
  investor: ['投资者', 'Investor'], inst_admin: ['机构管理员', 'Institution admin'],
  inst_operator: ['机构运营', 'Institution operator'],
  inst_compliance: ['机构合规', 'Institution compliance'], ops_admin: ['平台管理员', 'Platform admin'],
  ops_reviewer: ['平台审核员', 'Platform reviewer'], ops_risk: ['平台风控', 'Platform risk'],
};
export const ZONE_MODULES = {
  featured_products: ['精选产品', 'Featured products'], articles: ['文章', 'Articles'],
  announcements: ['公告', 'Announcements'], fund_managers: ['基金经理', 'Fund managers'],
  qa: ['问答', 'Q&A'],
};

/** The name of a code in one of the tables above, in the current language. */
export function nameOf(table, code) {
  const v = table[code];
  return v ? tr(v[0], v[1]) : (code ?? '');
}
