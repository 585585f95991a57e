import { Tag } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { CONTENT_STATUS, nameOf, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Empty, Loading, Page, requireLogin } from '../ui.jsx';

export default function MyQuestions() {
  const { user, ready } = useSession();
  const qs = useAsync(() => (user ? api.get('/api/v1/investor/questions') : Promise.resolve(null)), [user?.id]);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  return (
    <Page title={tr('我的提问', 'My questions')}>
      <Async state={qs}>
        {(d) => (d.items.length === 0 ? <Empty title={tr('还没有提问', 'No questions yet')} /> : (
          <section className="section" role="list">
            {d.items.map((q) => (
              <div className="qa-item" role="listitem" key={q.id}>
                <div className="row"><span>{q.body}</span><Tag color={q.status === 'published' ? 'success' : q.status === 'held' ? 'warning' : 'danger'}>{nameOf(CONTENT_STATUS, q.status)}</Tag></div>
                <div className="muted">{formatDateTime(q.created_ms)}</div>
                {q.answer && <div className="qa-answer">{tr('机构回答', 'Answer')}：{q.answer}</div>}
              </div>
            ))}
          </section>
        ))}
      </Async>
    </Page>
  );
}
