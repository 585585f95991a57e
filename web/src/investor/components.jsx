import { List } from 'antd-mobile';
import { nameOf, PRODUCT_TYPES, tr } from '../lib/i18n.js';
import { formatNav } from '../lib/money.js';
import { navigate } from '../lib/router.js';
import { RiskTag } from './ui.jsx';

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
