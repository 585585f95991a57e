// Building blocks shared by the investor app's screens: the page frame, loading, empty and
// error states, and formatted figures.
import { Button, DotLoading, ErrorBlock, NavBar, Tag } from 'antd-mobile';
import { errorText, nameOf, RISK_NAMES, tr } from '../lib/i18n.js';
import { back, navigate } from '../lib/router.js';
import { formatYuan } from '../lib/money.js';

export function Page({ title, children, onBack, right, noBack = false }) {
  return (
    <div className="page">
      <NavBar
        back={noBack ? null : ''}
        backArrow={!noBack}
        onBack={noBack ? undefined : (onBack ?? (() => back('/')))}
        right={right}
        className="page-nav"
      >
        <h1 className="page-title">{title}</h1>
      </NavBar>
      <main className="page-body">{children}</main>
    </div>
  );
}

export function Loading({ label }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <DotLoading color="primary" />
      <span>{label ?? tr('加载中', 'Loading')}</span>
    </div>
  );
}

export function ErrorView({ error, onRetry }) {
  return (
    <div className="state" role="alert">
      <ErrorBlock status="default" title={tr('出错了', 'Something went wrong')}
        description={errorText(error)} />
      {onRetry && <Button size="small" onClick={onRetry}>{tr('重试', 'Retry')}</Button>}
    </div>
  );
}

export function Empty({ title, description, action }) {
  return (
    <div className="state">
      <ErrorBlock status="empty" title={title ?? tr('暂无内容', 'Nothing here yet')}
        description={description ?? ''} />
      {action}
    </div>
  );
}

/** Renders loading, error or the children for a useAsync state. */
export function Async({ state, children, empty }) {
  if (state.loading && state.data === undefined) return <Loading />;
  if (state.error) return <ErrorView error={state.error} onRetry={state.reload} />;
  if (empty && empty(state.data)) return empty.view ?? <Empty />;
  return children(state.data);
}

const RISK_COLORS = { R1: 'success', R2: 'primary', R3: 'warning', R4: '#fa8c16', R5: 'danger' };

export function RiskTag({ level }) {
  return (
    <Tag color={RISK_COLORS[level] ?? 'default'} fill="outline">
      {level} {nameOf(RISK_NAMES, level)}
    </Tag>
  );
}

/** Red for gains, green for losses, as investors in mainland China read them. */
export function Signed({ value, yuan = true }) {
  if (value === null || value === undefined) return <span>--</span>;
  const neg = String(value).startsWith('-');
  const zero = /^-?0(\.0+)?$/.test(String(value));
  const cls = zero ? '' : neg ? 'down' : 'up';
  const text = yuan ? formatYuan(value, { sign: true }) : value;
  return <span className={cls}>{text}</span>;
}

export function requireLogin(path) {
  navigate(`/login?next=${encodeURIComponent(path ?? location.pathname + location.search)}`);
}
