// Shared pieces of the console: page header, highlighted compliance spans, status tags,
// and a helper that shows API errors as readable messages.
import { Alert, Empty, Result, Spin, Tag, Typography } from 'antd';
import { CONTENT_STATUS, errorText, nameOf, tr } from '../lib/i18n.js';
import { matchesOf, splitBySpans } from '../lib/spans.js';

export function PageHeader({ title, extra, sub }) {
  return (
    <div className="page-header">
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>{title}</Typography.Title>
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </div>
      <div>{extra}</div>
    </div>
  );
}

/** loading / error / children for a useAsync state. */
export function Async({ state, children }) {
  if (state.loading && state.data === undefined) {
    return <div className="center" role="status"><Spin tip={tr('加载中', 'Loading')}><div style={{ padding: 40 }} /></Spin></div>;
  }
  if (state.error) {
    if (state.error.status === 403) {
      return <Result status="403" title={tr('无权访问', 'Not allowed')} subTitle={errorText(state.error)} />;
    }
    return <Alert type="error" showIcon title={tr('加载失败', 'Failed to load')} description={errorText(state.error)}
      action={<a onClick={state.reload} role="button" tabIndex={0}>{tr('重试', 'Retry')}</a>} />;
  }
  return children(state.data);
}

export function EmptyState({ text }) {
  return <Empty description={text ?? tr('暂无数据', 'No data')} />;
}

const SEV_LABEL = { block: ['禁止', 'blocked'], review: ['需审核', 'review'] };

/** A text with the compliance check's matches marked (byte spans into the same text). */
export function Highlighted({ text, matches }) {
  const segs = splitBySpans(text ?? '', matches ?? []);
  return (
    <span className="hl-text">
      {segs.map((s, i) => {
        if (s.matches.length === 0) return <span key={i}>{s.text}</span>;
        const worst = s.matches.some((m) => m.severity === 'block') ? 'block' : 'review';
        const label = s.matches.map((m) => `${m.term}（${tr(...SEV_LABEL[m.severity])}）`).join('、');
        return (
          <mark key={i} className={`hl hl-${worst}`} title={label} aria-label={`${s.text}: ${label}`}>{s.text}</mark>
        );
      })}
    </span>
  );
}

const VERDICT = { pass: ['success', '通过', 'Pass'], review: ['warning', '需人工审核', 'Needs review'], block: ['error', '禁止发布', 'Blocked'] };

export function VerdictTag({ verdict }) {
  const v = VERDICT[verdict] ?? ['default', verdict, verdict];
  return <Tag color={v[0]}>{tr(v[1], v[2])}</Tag>;
}

/** The matched terms of a check, listed. */
export function MatchList({ check }) {
  if (!check?.matches?.length) return null;
  return (
    <ul className="match-list" aria-label={tr('命中的词条', 'Matched terms')}>
      {check.matches.map((m, i) => (
        <li key={i}>
          <Tag color={m.severity === 'block' ? 'red' : 'orange'}>{m.severity === 'block' ? tr('禁止', 'block') : tr('审核', 'review')}</Tag>
          「{m.text}」 {tr('命中', 'matches')} “{m.term}” <Typography.Text type="secondary">({m.category}, {m.field})</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

/** Labelled texts with the matches of their field marked: rows of [label, text, field]. */
export function CheckedFields({ check, rows }) {
  return rows.filter(([, text]) => text).map(([label, text, field]) => (
    <div key={field} style={{ marginBottom: 8 }}>
      <Typography.Text type="secondary">{label}：</Typography.Text>
      <Highlighted text={text} matches={matchesOf(check, field)} />
    </div>
  ));
}

const STATUS_COLORS = { published: 'green', approved: 'green', delivered: 'green', live: 'green', running: 'green', held: 'orange', pending: 'orange', open: 'orange', pilot: 'blue', blocked: 'red', rejected: 'red', suspended: 'red', taken_down: 'default', superseded: 'default', applied: 'default', draft: 'default', ended: 'default', exhausted: 'purple', stopped: 'volcano', dismissed: 'default' };

export function StatusTag({ status, table = CONTENT_STATUS }) {
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{nameOf(table, status)}</Tag>;
}
