import { Dialog, List, Toast } from 'antd-mobile';
import { track } from '../lib/events.js';
import { nameOf, PRODUCT_TYPES, tr } from '../lib/i18n.js';
import { formatNav } from '../lib/money.js';
import { navigate } from '../lib/router.js';
import { shareLink, shareUrl } from '../lib/share.js';
import { RiskTag } from './ui.jsx';

/**
 * 分享 in a page's top bar: the phone's share sheet, else the link copied; `subject` is the
 * event's subject ({product_id}, {zone_id} or {content_id}), recorded once something was
 * shared or copied. Where neither works the link is shown to copy by hand.
 */
export function ShareButton({ title, subject }) {
  async function onShare() {
    const url = shareUrl(globalThis.location.pathname);
    const result = await shareLink({ title, text: tr(`${title} · 财富号`, `${title} · Caifuhao`), url });
    if (result === 'shared' || result === 'copied') track('share', subject);
    if (result === 'copied') Toast.show({ content: tr('链接已复制', 'Link copied') });
    if (result === 'failed') {
      Dialog.alert({
        title: tr('复制链接分享', 'Copy the link to share'),
        content: <span className="mono" style={{ userSelect: 'all', wordBreak: 'break-all' }}>{url}</span>,
        confirmText: tr('好的', 'OK'),
      });
    }
  }
  return (
    <button type="button" className="nav-action" onClick={onShare} aria-label={tr('分享', 'Share')}>
      {tr('分享', 'Share')}
    </button>
  );
}

export function ProductItem({ p }) {
  return (
    <List.Item
      onClick={() => navigate(`/product/${p.id}`)}
      description={
        <span>
          {p.code} · {nameOf(PRODUCT_TYPES, p.type)} · <RiskTag level={p.risk_level} />
        </span>
      }
      extra={p.latest_nav ? (
        <div style={{ textAlign: 'right' }}>
          <div>{formatNav(p.latest_nav.nav)}</div>
          <div className="muted">{tr('净值', 'NAV')} {p.latest_nav.date.slice(5)}</div>
        </div>
      ) : <span className="muted">{tr('暂无净值', 'No NAV yet')}</span>}
    >
      {p.name}
    </List.Item>
  );
}

export function LangSwitch({ lang, setLang, light }) {
  return (
    <button type="button" className="lang-switch" style={{ color: light ? '#fff' : undefined }}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      aria-label={lang === 'zh' ? 'Switch to English' : '切换到中文'}>
      {lang === 'zh' ? 'EN' : '中文'}
    </button>
  );
}
