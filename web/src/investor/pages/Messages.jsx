import { useState } from 'react';
import { Badge, Button, Dialog, List, Tabs, Toast } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { errorText, nameOf, NOTIFICATION_KINDS, tr } from '../../lib/i18n.js';
import { subjectPath } from '../../lib/subjects.js';
import { formatDateTime } from '../../lib/time.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Empty, Loading, Page } from '../ui.jsx';

function Inbox() {
  const inbox = useAsync(() => api.get('/api/v1/investor/messages', { limit: 50 }), []);
  async function open(m) {
    Dialog.alert({ title: m.title, content: <div style={{ whiteSpace: 'pre-wrap' }}>{m.body}<p className="muted">{m.institution_name} · {formatDateTime(m.sent_ms)}</p></div> });
    if (!m.read) {
      try {
        await api.post(`/api/v1/investor/messages/${m.id}/read`);
        inbox.setData((d) => ({ ...d, unread: Math.max(0, d.unread - 1), items: d.items.map((x) => (x.id === m.id ? { ...x, read: true } : x)) }));
      } catch (err) {
        Toast.show({ content: errorText(err) });
      }
    }
  }
  return (
    <Async state={inbox}>
      {(d) => (d.items.length === 0 ? <Empty title={tr('暂无消息', 'No messages')} description={tr('关注机构后，可收到机构发给关注者的消息', 'Follow institutions to receive their messages')} /> : (
        <>
          <div className="row pad">
            <span className="muted">{tr(`${d.unread} 条未读`, `${d.unread} unread`)}</span>
            <Button size="mini" disabled={d.unread === 0} onClick={async () => {
              await api.post('/api/v1/investor/messages/read-all').catch(() => {});
              inbox.reload();
            }}>{tr('全部已读', 'Mark all read')}</Button>
          </div>
          <List>
            {d.items.map((m) => (
              <List.Item key={m.id} onClick={() => open(m)} prefix={m.read ? null : <Badge content={Badge.dot} />}
                description={<span>{m.body.slice(0, 60)}</span>} extra={<span className="muted">{formatDateTime(m.sent_ms).slice(5, 16)}</span>}>
                <span style={{ fontWeight: m.read ? 'normal' : 600 }}>{m.institution_name}：{m.title}</span>
              </List.Item>
            ))}
          </List>
        </>
      ))}
    </Async>
  );
}

function Notifications() {
  const n = useAsync(() => api.get('/api/v1/investor/notifications', { limit: 50 }), []);
  return (
    <Async state={n}>
      {(d) => (d.items.length === 0 ? <Empty title={tr('暂无通知', 'No notifications')} /> : (
        <List>
          {d.items.map((x) => (
            <List.Item key={x.id} description={`${nameOf(NOTIFICATION_KINDS, x.kind)} · ${formatDateTime(x.created_ms)}`} onClick={async () => {
              if (!x.read) { await api.post(`/api/v1/investor/notifications/${x.id}/read`).catch(() => {}); n.reload(); }
              const to = subjectPath(x.subject, 'app');
              if (to) navigate(to);
            }} prefix={x.read ? null : <Badge content={Badge.dot} />}>{x.text}</List.Item>
          ))}
        </List>
      ))}
    </Async>
  );
}

export default function Messages() {
  const { user, ready } = useSession();
  const [tab, setTab] = useState('inbox');
  if (!ready) return <Loading />;
  return (
    <Page title={tr('消息', 'Messages')} noBack>
      {!user ? (
        <Empty title={tr('登录后查看消息', 'Sign in to see messages')} action={<Button color="primary" onClick={() => navigate('/login?next=/messages')}>{tr('登录', 'Sign in')}</Button>} />
      ) : (
        <>
          <Tabs activeKey={tab} onChange={setTab}>
            <Tabs.Tab key="inbox" title={tr('机构消息', 'Inbox')} />
            <Tabs.Tab key="notifications" title={tr('审核通知', 'Notifications')} />
          </Tabs>
          {tab === 'inbox' ? <Inbox /> : <Notifications />}
        </>
      )}
    </Page>
  );
}
