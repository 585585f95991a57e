import { Dialog, Tag, Toast } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { CONTENT_STATUS, errorText, nameOf, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { CheckOutcome } from '../community.jsx';
import { useSession } from '../session.js';
import { Async, Empty, Loading, Page, requireLogin } from '../ui.jsx';

const COLORS = { published: 'success', held: 'warning', rejected: 'danger', taken_down: 'default' };

export default function MyComments() {
  const { user, ready } = useSession();
  const list = useAsync(() => (user ? api.get('/api/v1/investor/comments') : Promise.resolve(null)), [user?.id]);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  async function remove(id) {
    const ok = await Dialog.confirm({ content: tr('确定删除这条评论？', 'Delete this comment?'), confirmText: tr('删除', 'Delete'), cancelText: tr('取消', 'Cancel') });
    if (!ok) return;
    try {
      await api.del(`/api/v1/investor/comments/${id}`);
      Toast.show({ icon: 'success', content: tr('已删除', 'Deleted') });
      list.reload();
    } catch (err) {
      Dialog.alert({ content: errorText(err) });
    }
  }
  return (
    <Page title={tr('我的评论', 'My comments')}>
      <Async state={list}>
        {(d) => (d.items.length === 0 ? <Empty title={tr('还没有评论', 'No comments yet')} /> : (
          <section className="section" role="list" aria-label={tr('我的评论', 'My comments')}>
            {d.items.map((c) => (
              <div className="comment-item" role="listitem" key={c.id}>
                {c.status === 'held' ? <CheckOutcome status="held" text={c.body} check={c.check} />
                  : <div className="comment-body">{c.body}</div>}
                <div className="comment-meta muted">
                  <Tag color={COLORS[c.status] ?? 'default'}>{nameOf(CONTENT_STATUS, c.status)}</Tag>
                  <span>{formatDateTime(c.created_ms)}</span>
                  {c.status !== 'taken_down' && c.status !== 'rejected' && <a {...linkProps(`/content/${c.content_id}`)}>{tr('查看原文', 'Open the article')}</a>}
                  <button type="button" className="link-btn danger" onClick={() => remove(c.id)}>{tr('删除', 'Delete')}</button>
                </div>
              </div>
            ))}
          </section>
        ))}
      </Async>
    </Page>
  );
}
