// What investors write and report, shared by the article, zone and "my" screens: a text with
// the compliance check's flagged words marked, the explanation of a held or refused text, and
// the report button with its sheet of fixed categories.
import { useState } from 'react';
import { Button, Dialog, Popup, Radio, Space, TextArea, Toast } from 'antd-mobile';
import { api } from '../lib/api.js';
import { errorText, nameOf, REPORT_CATEGORIES, REPORT_TARGETS, tr } from '../lib/i18n.js';
import { splitBySpans } from '../lib/spans.js';
import { navigate } from '../lib/router.js';
import { useSession } from './session.js';
import { requireLogin } from './ui.jsx';

const SEVERITY = { block: ['禁止用语', 'not allowed'], review: ['需审核用语', 'needs review'] };

/** A text with the matches of a check marked (byte spans into the same text). */
export function Flagged({ text, matches }) {
  const segs = splitBySpans(text ?? '', matches ?? []);
  return (
    <span className="flagged">
      {segs.map((s, i) => {
        if (s.matches.length === 0) return <span key={i}>{s.text}</span>;
        const worst = s.matches.some((m) => m.severity === 'block') ? 'block' : 'review';
        const why = s.matches.map((m) => `${m.term}（${tr(...SEVERITY[m.severity] ?? SEVERITY.review)}）`).join('、');
        return <mark key={i} className={`hl hl-${worst}`} title={why} aria-label={`${s.text}: ${why}`}>{s.text}</mark>;
      })}
    </span>
  );
}

/**
 * Why a text the investor wrote is not public: `held` (a reviewer decides first; only the
 * author sees it meanwhile) or `blocked` (refused, nothing stored), with the flagged words
 * marked in what was written.
 */
export function CheckOutcome({ status, text, check, what = tr('评论', 'comment') }) {
  if (!check || (status !== 'held' && status !== 'blocked')) return null;
  const matches = (check.matches ?? []).filter((m) => m.field === 'body');
  const terms = [...new Set(matches.map((m) => m.term))].join('、');
  const held = status === 'held';
  return (
    <div className={held ? 'notice' : 'notice notice-error'} role={held ? 'status' : 'alert'} data-testid="check-outcome">
      <div style={{ fontWeight: 600, marginBottom: 4 }}>
        {held ? tr(`您的${what}已提交，待平台审核后公开`, `Your ${what} waits for a reviewer before it shows`)
          : tr(`您的${what}未发表：包含禁止使用的用语`, `Your ${what} was not posted: it has words that are not allowed`)}
      </div>
      <div className="flagged-box"><Flagged text={text} matches={matches} /></div>
      <div style={{ marginTop: 4 }}>
        {held ? tr(`标记的用语（${terms}）需要人工确认。审核期间仅您自己可见，结果会通过“审核通知”告诉您。`,
          `The marked words (${terms}) need a person to check them. Until then only you can see it; you will be notified of the decision.`)
          : tr(`请删除或修改标红的用语（${terms}）后重新发表。`, `Remove or change the marked words (${terms}) and post again.`)}
      </div>
    </div>
  );
}

function ReportSheet({ kind, id, onClose }) {
  const [category, setCategory] = useState(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const titleId = `report-title-${kind}-${id}`;
  async function send() {
    if (!category) {
      Toast.show({ content: tr('请选择举报原因', 'Choose a reason') });
      return;
    }
    setBusy(true);
    try {
      const body = { target_kind: kind, target_id: id, category };
      if (text.trim()) body.text = text.trim();
      const r = await api.post('/api/v1/investor/reports', body);
      onClose();
      const go = await Dialog.confirm({
        title: r.repeat ? tr('您已举报过', 'Already reported') : tr('举报已提交', 'Report sent'),
        content: r.repeat ? tr('您对此的举报正在处理中，处理结果会通知您。', 'Your report of this is still open; you will be told the outcome.')
          : tr('平台审核人员会尽快处理，处理结果会通知您。', 'A reviewer will look at it; you will be told the outcome.'),
        confirmText: tr('查看我的举报', 'My reports'), cancelText: tr('好的', 'OK'),
      });
      if (go) navigate('/reports');
    } catch (err) {
      Dialog.alert({ title: tr('举报未提交', 'Not sent'), content: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div role="dialog" aria-modal="true" aria-labelledby={titleId} className="report-sheet">
      <h2 id={titleId} className="section-title" style={{ padding: '0 0 8px' }}>
        {tr(`举报${nameOf(REPORT_TARGETS, kind)}`, `Report this ${nameOf(REPORT_TARGETS, kind).toLowerCase()}`)}
      </h2>
      <div role="radiogroup" aria-label={tr('举报原因', 'Reason')}>
        <Radio.Group value={category} onChange={setCategory}>
          <Space direction="vertical" block>
            {Object.keys(REPORT_CATEGORIES).map((c) => <Radio key={c} value={c}>{nameOf(REPORT_CATEGORIES, c)}</Radio>)}
          </Space>
        </Radio.Group>
      </div>
      <label htmlFor={`${titleId}-text`} className="sr-only">{tr('补充说明', 'Details')}</label>
      <TextArea id={`${titleId}-text`} placeholder={tr('补充说明（选填）', 'Details (optional)')} value={text} onChange={setText}
        maxLength={500} showCount rows={3} style={{ marginTop: 12, background: '#f5f5f5', padding: 8, borderRadius: 6 }} />
      <div className="row" style={{ marginTop: 12 }}>
        <Button block onClick={onClose}>{tr('取消', 'Cancel')}</Button>
        <Button block color="danger" loading={busy} disabled={!category} onClick={send}>{tr('提交举报', 'Send report')}</Button>
      </div>
    </div>
  );
}

/** "举报" next to anything the public can see; opens the sheet of categories. */
export function ReportButton({ kind, id, label, light = false }) {
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  const name = label ?? nameOf(REPORT_TARGETS, kind);
  return (
    <>
      <button type="button" className="link-btn" style={light ? { color: '#fff' } : undefined}
        aria-label={tr(`举报${name}`, `Report ${name}`)} onClick={() => (user ? setOpen(true) : requireLogin())}>
        {tr('举报', 'Report')}
      </button>
      <Popup visible={open} onMaskClick={() => setOpen(false)} onClose={() => setOpen(false)} destroyOnClose
        bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, padding: 16 }}>
        <ReportSheet kind={kind} id={id} onClose={() => setOpen(false)} />
      </Popup>
    </>
  );
}
