import { Badge, Button, List, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { nameOf, NOTIFICATION_KINDS, tr } from '../../lib/i18n.js';
import { subjectPath } from '../../lib/subjects.js';
import { linkProps } from '../../lib/router.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';

export default function Notifications() {
  const n = useAsync(() => api.get('/api/v1/inst/notifications', { limit: 100 }), []);
  return (
    <>
      <PageHeader title={tr('审核通知', 'Notifications')} sub={n.data ? tr(`${n.data.unread} 条未读`, `${n.data.unread} unread`) : ''}
        extra={<Button disabled={!n.data?.unread} onClick={async () => { await api.post('/api/v1/inst/notifications/read-all').catch(() => {}); n.reload(); }}>{tr('全部已读', 'Mark all read')}</Button>} />
      <Async state={n}>
        {(d) => (
          <List bordered dataSource={d.items} locale={{ emptyText: tr('暂无通知', 'No notifications') }} renderItem={(x) => (
            <List.Item key={x.id} onClick={async () => { if (!x.read) { await api.post(`/api/v1/inst/notifications/${x.id}/read`).catch(() => {}); n.reload(); } }}>
              <List.Item.Meta avatar={<Badge status={x.read ? 'default' : 'processing'} />}
                title={subjectPath(x.subject) ? <a {...linkProps(subjectPath(x.subject))}>{x.text}</a> : x.text}
                description={<Typography.Text type="secondary">{nameOf(NOTIFICATION_KINDS, x.kind)} · {formatDateTime(x.created_ms)}</Typography.Text>} />
            </List.Item>
          )} />
        )}
      </Async>
    </>
  );
}
