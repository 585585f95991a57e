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

export const REPORT_CATEGORIES = {
  misleading_claims: ['误导性宣传', 'Misleading claims'],
  guaranteed_returns: ['承诺保本或收益', 'Guaranteed returns'],
  illegal_fundraising: ['非法集资', 'Illegal fundraising'],
  harassment: ['骚扰或辱骂', 'Harassment'],
  privacy: ['泄露个人隐私', 'Privacy'],
  other: ['其他', 'Other'],
};
export const REPORT_TARGETS = {
  content: ['内容', 'Content'], question: ['提问', 'Question'], answer: ['回答', 'Answer'],
  comment: ['评论', 'Comment'], zone: ['财富号', 'Zone'],
};
export const REPORT_STATUS = {
  open: ['处理中', 'Open'], dismissed: ['未采纳', 'Dismissed'], taken_down: ['已下架', 'Taken down'],
};
export const CAMPAIGN_TYPES = {
  fee_discount: ['费率优惠', 'Fee discount'], content_promotion: ['内容置顶', 'Content promotion'],
  segment_message: ['定向消息', 'Segment message'],
};
export const CAMPAIGN_STATUS = {
  draft: ['草稿', 'Draft'], pending: ['待审核', 'Pending review'], approved: ['已通过，未开始', 'Approved, not started'],
  rejected: ['已驳回', 'Rejected'], running: ['进行中', 'Running'], ended: ['已结束', 'Ended'],
  exhausted: ['预算已用完', 'Budget spent'], stopped: ['已停止', 'Stopped'],
};
export const CAMPAIGN_SEGMENTS = {
  all: ['全部投资者', 'Everyone'], new_investors: ['新客（未买过本机构产品）', 'New investors'],
  risk: ['指定风险类型', 'By risk category'], holders: ['产品持有人', 'Holders'],
  followers: ['关注者', 'Followers'],
};
export const NOTIFICATION_KINDS = {
  content_approved: ['内容审核通过', 'Content approved'], content_rejected: ['内容被驳回', 'Content rejected'],
  content_taken_down: ['内容被下架', 'Content taken down'], zone_approved: ['专区审核通过', 'Zone approved'],
  zone_rejected: ['专区被驳回', 'Zone rejected'], zone_taken_down: ['专区品牌被下架', 'Zone brand taken down'],
  message_approved: ['消息审核通过', 'Message approved'], message_rejected: ['消息被驳回', 'Message rejected'],
  question_approved: ['提问审核通过', 'Question approved'], question_rejected: ['提问被驳回', 'Question rejected'],
  question_taken_down: ['提问被下架', 'Question taken down'], answer_taken_down: ['回答被下架', 'Answer taken down'],
  comment_approved: ['评论审核通过', 'Comment approved'], comment_rejected: ['评论未通过审核', 'Comment rejected'],
  comment_taken_down: ['评论被下架', 'Comment taken down'], manager_approved: ['基金经理审核通过', 'Fund manager approved'],
  manager_rejected: ['基金经理被驳回', 'Fund manager rejected'], report_dismissed: ['举报未采纳', 'Report dismissed'],
  report_upheld: ['举报已处理', 'Report upheld'], campaign_approved: ['活动审核通过', 'Campaign approved'],
  campaign_rejected: ['活动被驳回', 'Campaign rejected'],
};

/** The name of a code in one of the tables above, in the current language. */
export function nameOf(table, code) {
  const v = table[code];
  return v ? tr(v[0], v[1]) : (code ?? '');
}
