import { useState } from 'react';
import { Button, InfiniteScroll, List, Tabs } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { tr } from '../../lib/i18n.js';
import { formatMoney, formatShares } from '../../lib/money.js';
import { expectedConfirmDate } from '../../lib/orders.js';
import { formatDateTime } from '../../lib/time.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Empty, Loading, Page, requireLogin } from '../ui.jsx';
import { cancelOrder, StatusTag } from './OrderDetail.jsx';

export default function Orders() {
  const { user, ready } = useSession();
  const [status, setStatus] = useState('all');
  const [more, setMore] = useState({ items: [], next: null });
  const page = useAsync(async () => {
    if (!user) return null;
    const r = await api.get('/api/v1/investor/orders', { limit: 20, status: status === 'all' ? undefined : status });
    setMore({ items: [], next: r.next_before_ms ? { ms: r.next_before_ms, id: r.next_before_id } : null });
    return r;
  }, [user?.id, status]);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  async function loadMore() {
    const r = await api.get('/api/v1/investor/orders', { limit: 20, before_ms: more.next.ms,
      before_id: more.next.id, status: status === 'all' ? undefined : status });
    setMore((m) => ({ items: [...m.items, ...r.items],
      next: r.next_before_ms ? { ms: r.next_before_ms, id: r.next_before_id } : null }));
  }
  return (
    <Page title={tr('我的订单', 'My orders')} onBack={() => navigate('/me')}>
      <Tabs activeKey={status} onChange={setStatus}>
        <Tabs.Tab key="all" title={tr('全部', 'All')} />
        <Tabs.Tab key="accepted" title={tr('处理中', 'Pending')} />
        <Tabs.Tab key="confirmed" title={tr('已确认', 'Confirmed')} />
        <Tabs.Tab key="cancelled" title={tr('已撤单', 'Cancelled')} />
      </Tabs>
      <Async state={page}>
        {(d) => {
          const items = [...d.items, ...more.items];
          if (items.length === 0) {
            return <Empty title={tr('暂无订单', 'No orders yet')} action={<Button size="small" onClick={() => navigate('/')}>{tr('去逛逛', 'Browse funds')}</Button>} />;
          }
          return (
            <>
              <section aria-label={tr('订单列表', 'Orders')}><List>
                {items.map((o) => (
                  <List.Item key={o.id} onClick={() => navigate(`/orders/${o.id}`)}
                    description={[`${tr('T 日', 'T')} ${o.trade_date}`,
                      expectedConfirmDate(o) && `${tr('预计确认日', 'confirms')} ${expectedConfirmDate(o)}`,
                      formatDateTime(o.placed_ms)].filter(Boolean).join(' · ')}
                    extra={(
                      <div style={{ textAlign: 'right' }}>
                        <div>{o.side === 'subscribe' ? `${formatMoney(o.amount)} 元` : `${formatShares(o.shares)} ${tr('份', 'sh')}`}</div>
                        <StatusTag status={o.status} />
                        {o.status === 'accepted' && (
                          <div><Button size="mini" color="danger" fill="none" onClick={async (e) => {
                            e.stopPropagation();
                            if (await cancelOrder(o.id)) page.reload();
                          }}>{tr('撤单', 'Cancel')}</Button></div>
                        )}
                      </div>
                    )}>
                    {o.side === 'subscribe' ? tr('买入', 'Buy') : tr('赎回', 'Redeem')} · {o.product_name}
                  </List.Item>
                ))}
              </List></section>
              <InfiniteScroll loadMore={loadMore} hasMore={!!more.next} />
            </>
          );
        }}
      </Async>
    </Page>
  );
}
