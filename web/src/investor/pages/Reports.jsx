import { Tag } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { nameOf, REPORT_CATEGORIES, REPORT_STATUS, REPORT_TARGETS, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Empty, Loading, Page, requireLogin } from '../ui.jsx';

const COLORS = { open: 'warning', dismissed: 'default', taken_down: 'success' };

/** Where the reported thing can be seen, when the report says enough to find it. */
function targetPath(r) {
  if (r.target_kind === 'content') return `/content/${r.target_id}`;
  if (r.target_kind === 'zone' || r.target_kind === 'question' || r.target_kind === 'answer') return `/zone/${r.institution_id}`;
  return null;
}

const OUTCOME = {
  open: ['平台正在处理，处理结果会通知您。', 'A reviewer will decide; you will be told the outcome.'],
  dismissed: ['经审核未发现违规，内容保留。', 'A reviewer found nothing against the rules; it stays up.'],
  taken_down: ['经审核确认违规，已下架。', 'A reviewer upheld it: it has been taken down.'],
};

export default function Reports() {
  const { user, ready } = useSession();
  const list = useAsync(() => (user ? api.get('/api/v1/investor/reports') : Promise.resolve(null)), [user?.id]);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  return (
    <Page title={tr('我的举报', 'My reports')}>
      <p className="pad muted" style={{ margin: 0 }}>{tr('举报会由平台审核人员处理；同一对象处理中的举报只计一次。', 'Reviewers handle every report; one open report per thing reported.')}</p>
      <Async state={list}>
        {(d) => (d.items.length === 0 ? <Empty title={tr('还没有举报记录', 'No reports yet')} /> : (
          <section className="section" role="list" aria-label={tr('举报记录', 'Reports')}>
            {d.items.map((r) => {
              const to = targetPath(r);
              return (
                <div className="qa-item" role="listitem" key={r.id}>
                  <div className="row">
                    <span>
                      {tr('举报', 'Reported')} {to ? <a {...linkProps(to)}>{nameOf(REPORT_TARGETS, r.target_kind)}</a> : nameOf(REPORT_TARGETS, r.target_kind)}
                      {' · '}{nameOf(REPORT_CATEGORIES, r.category)}
                    </span>
                    <Tag color={COLORS[r.status] ?? 'default'}>{nameOf(REPORT_STATUS, r.status)}</Tag>
                  </div>
                  {r.text && <div className="muted">{tr('补充说明', 'Details')}：{r.text}</div>}
                  <div className="muted">{tr('提交于', 'Sent')} {formatDateTime(r.created_ms)}</div>
                  <div className="qa-answer">
                    {tr(...OUTCOME[r.status])}
                    {r.resolution_reason && <div>{tr('处理意见', 'Reviewer')}：{r.resolution_reason}（{formatDateTime(r.resolved_ms)}）</div>}
                  </div>
                </div>
              );
            })}
          </section>
        ))}
      </Async>
    </Page>
  );
}
