import { useState } from 'react';
import { Avatar, Button, Dialog, List, Tag, TextArea, Toast } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { track, useViewEvent } from '../../lib/events.js';
import { errorText, nameOf, tr, ZONE_MODULES, CONTENT_KINDS } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps, navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { ProductItem, ShareButton } from '../components.jsx';
import { ReportButton } from '../community.jsx';
import { useSession } from '../session.js';
import { Async, Empty, Page, requireLogin } from '../ui.jsx';

function FollowButton({ id, onChange }) {
  const { user } = useSession();
  const follows = useAsync(() => (user ? api.get('/api/v1/investor/follows') : Promise.resolve(null)),
    [user?.id]);
  const following = !!follows.data?.items?.some((f) => f.institution_id === id);
  const [busy, setBusy] = useState(false);
  async function toggle() {
    if (!user) return requireLogin();
    setBusy(true);
    try {
      if (following) await api.del(`/api/v1/investor/follows/${id}`);
      else {
        await api.post(`/api/v1/investor/follows/${id}`);
        track('follow', { zone_id: id });
      }
      Toast.show({ icon: 'success', content: following ? tr('已取消关注', 'Unfollowed') : tr('已关注', 'Following') });
      follows.reload();
      onChange?.();
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorText(err) });
    } finally {
      setBusy(false);
    }
    return undefined;
  }
  return (
    <Button size="small" shape="rounded" color={following ? 'default' : 'primary'}
      fill={following ? 'outline' : 'solid'} loading={busy} onClick={toggle}>
      {following ? tr('已关注', 'Following') : tr('+ 关注', '+ Follow')}
    </Button>
  );
}

function Articles({ id, kind, rev }) {
  const { user } = useSession();
  const feed = useAsync(() => (user ? api.get('/api/v1/investor/feed', { limit: 50 })
    : Promise.resolve(null)), [user?.id, rev]);
  if (!user) {
    return <p className="pad muted">{tr('登录并关注后，可在此查看该机构发布的内容。', 'Sign in and follow to see what this institution publishes.')}</p>;
  }
  return (
    <Async state={feed}>
      {(d) => {
        const mine = (x) => x.institution_id === id && (kind ? x.kind === kind : x.kind !== 'announcement');
        const pinned = (d?.pinned ?? []).filter(mine);
        const pinnedIds = new Set(pinned.map((x) => x.content_id));
        const items = [...pinned, ...(d?.items ?? []).filter((x) => mine(x) && !pinnedIds.has(x.content_id))];
        if (items.length === 0) {
          return <p className="pad muted">{tr('暂无内容（关注后可看到最新发布）', 'Nothing yet (follow to see new posts)')}</p>;
        }
        return (
          <List>
            {items.map((x) => (
              <List.Item key={x.content_id} onClick={() => navigate(`/content/${x.content_id}`)}
                description={x.excerpt} extra={nameOf(CONTENT_KINDS, x.kind)}>
                {x.campaign_id && <Tag color="warning" fill="outline" style={{ marginRight: 4 }}>{tr('推广', 'Promoted')}</Tag>}{x.title}
              </List.Item>
            ))}
          </List>
        );
      }}
    </Async>
  );
}

function QA({ id }) {
  const { user } = useSession();
  const qs = useAsync(() => api.get(`/api/v1/public/zones/${id}/questions`), [id]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  async function ask() {
    if (!user) return requireLogin();
    if (!text.trim()) {
      Toast.show({ content: tr('请输入问题', 'Write your question') });
      return undefined;
    }
    setBusy(true);
    try {
      const r = await api.post('/api/v1/investor/questions', { institution_id: id, body: text.trim() });
      setText('');
      if (r.question.status === 'held') {
        Dialog.alert({ content: tr('问题已提交，待平台审核后公开。', 'Sent. It will show once a reviewer has checked it.') });
      } else {
        Toast.show({ icon: 'success', content: tr('提问成功', 'Question published') });
      }
      qs.reload();
    } catch (err) {
      Dialog.alert({ title: tr('提问未成功', 'Not sent'), content: errorText(err) });
    } finally {
      setBusy(false);
    }
    return undefined;
  }
  return (
    <div>
      <div className="pad">
        <label htmlFor="ask-question" className="sr-only">{tr('问题内容', 'Your question')}</label>
        <TextArea id="ask-question" placeholder={tr('向机构提问，问题会经过合规检查后公开', 'Ask the institution; questions are checked before they show')}
          value={text} onChange={setText} maxLength={500} showCount rows={3} />
        <Button color="primary" size="small" loading={busy} onClick={ask} style={{ marginTop: 8 }}>
          {tr('提交问题', 'Ask')}
        </Button>
      </div>
      <Async state={qs}>
        {(d) => (d.items.length === 0 ? <p className="pad muted">{tr('还没有人提问', 'No questions yet')}</p> : (
          <div role="list" aria-label={tr('问答', 'Questions and answers')}>
            {d.items.map((q) => (
              <div className="qa-item" role="listitem" key={q.id}>
                <div>{tr('问', 'Q')}：{q.body}</div>
                <div className="muted">{formatDateTime(q.published_ms)} <ReportButton kind="question" id={q.id} label={tr('这个提问', 'this question')} /></div>
                {q.answer ? (
                  <div className="qa-answer">{tr('答', 'A')}：{q.answer} <ReportButton kind="answer" id={q.id} label={tr('这个回答', 'this answer')} /></div>
                ) : <div className="muted">{tr('等待机构回答', 'Waiting for an answer')}</div>}
              </div>
            ))}
          </div>
        ))}
      </Async>
    </div>
  );
}

function Managers({ items }) {
  if (!items || items.length === 0) return <p className="pad muted">{tr('暂无基金经理介绍', 'No fund managers yet')}</p>;
  return (
    <List aria-label={tr('基金经理', 'Fund managers')}>
      {items.map((m) => (
        <List.Item key={m.id} onClick={() => navigate(`/manager/${m.id}`)}
          prefix={<Avatar src={m.photo_url ?? ''} alt={tr(`${m.name}的照片`, `Photo of ${m.name}`)} style={{ '--size': '44px', '--border-radius': '50%' }}
            fallback={<span className="avatar-text">{m.name.slice(0, 1)}</span>} />}
          description={`${m.title} · ${tr(`从业 ${m.years_experience} 年`, `${m.years_experience} years`)}`}
          extra={tr(`管理 ${m.products.length} 只`, `${m.products.length} funds`)}>
          {m.name}
        </List.Item>
      ))}
    </List>
  );
}

export default function Zone({ id }) {
  const zone = useAsync(() => api.get(`/api/v1/public/zones/${id}`), [id]);
  const [rev, setRev] = useState(0);
  useViewEvent('zone_view', { zone_id: id }, !!zone.data);
  return (
    <Page title={zone.data?.brand?.display_name ?? tr('财富号', 'Zone')}
      right={zone.data ? <ShareButton title={zone.data.brand.display_name} subject={{ zone_id: id }} /> : null}>
      <Async state={zone}>
        {(z) => (
          <>
            <section className="zone-hero" style={{ background: z.brand.theme_color }}>
              <div className="row">
                <div className="row" style={{ justifyContent: 'flex-start' }}>
                  {z.brand.logo_url && <img className="zone-logo" src={z.brand.logo_url} alt={tr('机构标志', 'Logo')} />}
                  <div>
                    <h2>{z.brand.display_name}</h2>
                    {z.brand.slogan && <div>{z.brand.slogan}</div>}
                  </div>
                </div>
                <FollowButton id={id} onChange={() => { zone.reload(); setRev((r) => r + 1); }} />
              </div>
              <div style={{ marginTop: 8, fontSize: 12, opacity: 0.9 }}>
                {tr(`${z.followers} 人关注`, `${z.followers} followers`)} · <a {...linkProps(`/consent/${id}`)} style={{ color: '#fff' }}>{tr('授权管理', 'Data consent')}</a>
                {' · '}<ReportButton kind="zone" id={id} label={tr('这个财富号', 'this zone')} light />
              </div>
              {z.brand.introduction && <p style={{ fontSize: 13, marginBottom: 0 }}>{z.brand.introduction}</p>}
            </section>
            {z.brand.modules.map((m) => (
              <section className="section" key={m} aria-labelledby={`m-${m}`}>
                <h2 className="section-title" id={`m-${m}`}>{nameOf(ZONE_MODULES, m)}</h2>
                {m === 'featured_products' && (z.modules.featured_products.length === 0
                  ? <Empty title={tr('暂无在售产品', 'No funds on sale')} />
                  : <List>{z.modules.featured_products.map((p) => <ProductItem key={p.id} p={p} />)}</List>)}
                {m === 'articles' && <Articles id={id} rev={rev} />}
                {m === 'announcements' && <Articles id={id} kind="announcement" rev={rev} />}
                {m === 'fund_managers' && <Managers items={z.modules.fund_managers} />}
                {m === 'qa' && <QA id={id} />}
              </section>
            ))}
            {!z.brand.modules.includes('qa') && (
              <section className="section" aria-labelledby="m-qa2">
                <h2 className="section-title" id="m-qa2">{tr('问答', 'Q&A')}</h2>
                <QA id={id} />
              </section>
            )}
          </>
        )}
      </Async>
    </Page>
  );
}
