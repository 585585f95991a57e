import { useState } from 'react';
import { Button, Dialog, Tag, TextArea, Toast } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { useViewEvent } from '../../lib/events.js';
import { CONTENT_KINDS, CONTENT_STATUS, errorText, nameOf, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { CheckOutcome, ReportButton } from '../community.jsx';
import { useSession } from '../session.js';
import { ShareButton } from '../components.jsx';
import { Async, Page, requireLogin } from '../ui.jsx';

const PAGE = 20;

async function deleteComment(id) {
  const ok = await Dialog.confirm({ content: tr('删除后其他人将看不到这条评论，确定删除？', 'Delete this comment? Nobody will see it any more.'),
    confirmText: tr('删除', 'Delete'), cancelText: tr('取消', 'Cancel') });
  if (!ok) return false;
  try {
    await api.del(`/api/v1/investor/comments/${id}`);
    Toast.show({ icon: 'success', content: tr('已删除', 'Deleted') });
    return true;
  } catch (err) {
    Dialog.alert({ title: tr('删除未成功', 'Not deleted'), content: errorText(err) });
    return false;
  }
}

function Compose({ contentId, onPosted }) {
  const { user } = useSession();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState(null);
  async function post() {
    if (!user) return requireLogin();
    const body = text.trim();
    if (!body) {
      Toast.show({ content: tr('请输入评论内容', 'Write a comment first') });
      return undefined;
    }
    setBusy(true);
    Toast.clear(); // the last comment's "posted" must not cover this one's outcome
    try {
      const r = await api.post('/api/v1/investor/comments', { content_id: contentId, body });
      setText('');
      if (r.comment.status === 'held') {
        setOutcome({ status: 'held', text: r.comment.body, check: r.comment.check });
      } else {
        setOutcome(null);
        Toast.show({ icon: 'success', content: tr('评论已发表', 'Comment posted') });
      }
      onPosted();
    } catch (err) {
      if (err.code === 'compliance_blocked') {
        setOutcome({ status: 'blocked', text: body, check: err.problem?.check });
      } else {
        setOutcome(null);
        Dialog.alert({ title: tr('评论未发表', 'Not posted'), content: errorText(err) });
      }
    } finally {
      setBusy(false);
    }
    return undefined;
  }
  return (
    <div className="pad">
      <label htmlFor="comment-body" className="sr-only">{tr('评论内容', 'Your comment')}</label>
      <TextArea id="comment-body" value={text} onChange={setText} maxLength={500} showCount rows={3}
        placeholder={user ? tr('写下你的看法，评论会经过合规检查后公开', 'Say what you think; comments are checked before they show')
          : tr('登录后可以发表评论', 'Sign in to comment')} />
      <Button color="primary" size="small" loading={busy} onClick={post} style={{ marginTop: 8 }}>
        {tr('发表评论', 'Post comment')}
      </Button>
      {outcome && <CheckOutcome status={outcome.status} text={outcome.text} check={outcome.check} />}
    </div>
  );
}

/** The caller's comments on this content that the public does not see: held, rejected, taken down. */
function MineHidden({ items, onDeleted }) {
  if (items.length === 0) return null;
  return (
    <div role="list" aria-label={tr('我的未公开评论', 'My comments not shown to others')} style={{ background: '#fafafa' }}>
      {items.map((c) => (
        <div className="comment-item" role="listitem" key={c.id}>
          <div className="comment-body">{c.body}</div>
          <div className="comment-meta muted">
            <Tag color={c.status === 'held' ? 'warning' : 'danger'}>{nameOf(CONTENT_STATUS, c.status)}</Tag>
            <span>{tr('仅自己可见', 'Only you see it')} · {formatDateTime(c.created_ms)}</span>
            <button type="button" className="link-btn danger" onClick={async () => { if (await deleteComment(c.id)) onDeleted(); }}>{tr('删除', 'Delete')}</button>
          </div>
        </div>
      ))}
    </div>
  );
}

function Comments({ contentId }) {
  const { user } = useSession();
  const [rev, setRev] = useState(0);
  const [more, setMore] = useState({ items: [], next: undefined, busy: false });
  const first = useAsync(() => api.get(`/api/v1/public/contents/${contentId}/comments`, { limit: PAGE }), [contentId, rev]);
  const mine = useAsync(() => (user ? api.get('/api/v1/investor/comments') : Promise.resolve({ items: [] })), [user?.id, rev]);
  const own = (mine.data?.items ?? []).filter((c) => c.content_id === contentId);
  const ownIds = new Set(own.map((c) => c.id));
  const reload = () => { setMore({ items: [], next: undefined, busy: false }); setRev((r) => r + 1); };
  const next = more.next === undefined ? first.data?.next_cursor : more.next;

  async function loadMore() {
    setMore((m) => ({ ...m, busy: true }));
    try {
      const d = await api.get(`/api/v1/public/contents/${contentId}/comments`, { limit: PAGE, cursor: next });
      setMore((m) => ({ items: [...m.items, ...d.items], next: d.next_cursor, busy: false }));
    } catch (err) {
      setMore((m) => ({ ...m, busy: false }));
      Toast.show({ content: errorText(err) });
    }
  }

  return (
    <section className="section" aria-labelledby="comments-title">
      <h2 className="section-title" id="comments-title">{tr('评论', 'Comments')}</h2>
      <Compose contentId={contentId} onPosted={reload} />
      <MineHidden items={own.filter((c) => c.status !== 'published')} onDeleted={reload} />
      <Async state={first}>
        {(d) => {
          const items = [...d.items, ...more.items];
          if (items.length === 0) return <p className="pad muted">{tr('还没有评论，来说说你的看法', 'No comments yet')}</p>;
          return (
            <>
              <div role="list" aria-label={tr('评论列表', 'Comments')}>
                {items.map((c) => (
                  <div className="comment-item" role="listitem" key={c.id}>
                    <div className="comment-body">{c.body}</div>
                    <div className="comment-meta muted">
                      <span>{formatDateTime(c.published_ms)}</span>
                      {ownIds.has(c.id) ? (
                        <>
                          <Tag color="primary" fill="outline">{tr('我的', 'Mine')}</Tag>
                          <button type="button" className="link-btn danger" onClick={async () => { if (await deleteComment(c.id)) reload(); }}>{tr('删除', 'Delete')}</button>
                        </>
                      ) : <ReportButton kind="comment" id={c.id} label={tr(`评论“${c.body.slice(0, 12)}”`, `comment "${c.body.slice(0, 12)}"`)} />}
                    </div>
                  </div>
                ))}
              </div>
              {next && (
                <div className="pad" style={{ textAlign: 'center' }}>
                  <Button size="small" loading={more.busy} onClick={loadMore}>{tr('加载更多评论', 'More comments')}</Button>
                </div>
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}

export default function Article({ id }) {
  const c = useAsync(() => api.get(`/api/v1/public/contents/${id}`), [id]);
  useViewEvent('content_view', { content_id: id }, !!c.data);
  return (
    <Page title={nameOf(CONTENT_KINDS, c.data?.content?.kind ?? 'article')}
      right={c.data ? <ShareButton title={c.data.content.title} subject={{ content_id: id }} /> : null}>
      <Async state={c}>
        {({ content: x }) => (
          <>
            <article className="article">
              <h2 style={{ marginTop: 0 }}>{x.title}</h2>
              <div className="muted row" style={{ justifyContent: 'flex-start', gap: 8 }}>
                <span>{formatDateTime(x.published_ms)} · <a {...linkProps(`/zone/${x.institution_id}`)}>{tr('机构财富号', 'Zone')}</a></span>
                <ReportButton kind="content" id={x.id} label={tr('这篇内容', 'this content')} />
              </div>
              {/* The server renders the Markdown subset to safe HTML: every text is escaped. */}
              <div dangerouslySetInnerHTML={{ __html: x.html }} />
            </article>
            <Comments contentId={x.id} />
          </>
        )}
      </Async>
    </Page>
  );
}
