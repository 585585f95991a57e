import { useState } from 'react';
import { Button, Dialog, List, Result, Steps, Tag, Toast } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { errorText, nameOf, ORDER_STATUS, tr } from '../../lib/i18n.js';
import { formatMoney, formatNav, formatShares } from '../../lib/money.js';
import { expectedConfirmDate } from '../../lib/orders.js';
import { formatDateTime } from '../../lib/time.js';
import { navigate, useLocation } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Loading, Page, requireLogin } from '../ui.jsx';

const STATUS_COLOR = { accepted: 'primary', confirmed: 'success', cancelled: 'default', failed: 'danger' };

export function StatusTag({ status }) {
  return <Tag color={STATUS_COLOR[status] ?? 'default'}>{nameOf(ORDER_STATUS, status)}</Tag>;
}

export async function cancelOrder(id) {
  const ok = await Dialog.confirm({ content: tr('确定撤销这笔订单吗？', 'Cancel this order?'),
    confirmText: tr('撤单', 'Cancel order'), cancelText: tr('再想想', 'Keep it') });
  if (!ok) return false;
  try {
    await api.post(`/api/v1/investor/orders/${id}/cancel`);
    Toast.show({ icon: 'success', content: tr('已撤单', 'Cancelled') });
    return true;
  } catch (err) {
    Dialog.alert({ title: tr('撤单未成功', 'Not cancelled'), content: errorText(err) });
    return false;
  }
}

export default function OrderDetail({ id }) {
  const { user, ready } = useSession();
  const { query } = useLocation();
  const order = useAsync(() => (user ? api.get(`/api/v1/investor/orders/${id}`) : Promise.resolve(null)),
    [id, user?.id]);
  const [busy, setBusy] = useState(false);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  const placed = query.get('placed') === '1';
  return (
    <Page title={placed ? tr('交易回单', 'Receipt') : tr('订单详情', 'Order')} onBack={() => navigate('/orders')}>
      <Async state={order}>
        {({ order: o }) => {
          const sub = o.side === 'subscribe';
          const step = o.status === 'confirmed' ? (o.cash_paid_ms ? 3 : 2) : 1;
          const due = expectedConfirmDate(o);
          const what = sub ? tr('份额', 'shares') : tr('赎回金额', 'the amount');
          return (
            <>
              {placed && o.status === 'accepted' && (
                <Result status="success" title={sub ? tr('买入申请已受理', 'Purchase accepted') : tr('赎回申请已受理', 'Redemption accepted')}
                  description={due ? tr(`交易日 T：${o.trade_date}，预计确认日 ${due}（T+1），届时按 ${o.trade_date} 的净值确认${what}。`,
                    `Trade date T: ${o.trade_date}; expected confirmation on ${due} (T+1), ${what} at the NAV of ${o.trade_date}.`)
                    : tr(`交易日 T：${o.trade_date}，将在下一交易日（T+1）按 ${o.trade_date} 的净值确认${what}。`,
                      `Trade date T: ${o.trade_date}; ${what} confirmed on the next trading day (T+1) at the NAV of ${o.trade_date}.`)} />
              )}
              <section className="section">
                <List header={tr('订单信息', 'Order')}>
                  <List.Item extra={<StatusTag status={o.status} />}>{o.product_name}</List.Item>
                  <List.Item extra={sub ? tr('买入', 'Buy') : tr('赎回', 'Redeem')}>{tr('类型', 'Side')}</List.Item>
                  {sub ? <List.Item extra={`${formatMoney(o.amount)} 元`}>{tr('买入金额', 'Amount')}</List.Item>
                    : <List.Item extra={`${formatShares(o.shares)} ${tr('份', 'shares')}`}>{tr('赎回份额', 'Shares')}</List.Item>}
                  {o.campaign_id && <List.Item extra={tr('费率优惠活动', 'Fee offer')}>{tr('参加活动', 'Placed through')}</List.Item>}
                  <List.Item extra={o.trade_date}>{tr('交易日（T 日）', 'Trade date (T)')}</List.Item>
                  {due && <List.Item extra={due}>{tr('预计确认日（T+1）', 'Expected confirmation (T+1)')}</List.Item>}
                  <List.Item extra={formatDateTime(o.placed_ms)}>{tr('下单时间', 'Placed')}</List.Item>
                  {o.status === 'accepted' && <List.Item extra={formatDateTime(o.cancel_deadline_ms)}>{tr('可撤单截止', 'Cancel before')}</List.Item>}
                  {o.fail_reason && <List.Item extra={o.fail_reason}>{tr('失败原因', 'Reason')}</List.Item>}
                  <List.Item extra={o.client_order_id}><span className="muted">{tr('订单号', 'Order id')}</span></List.Item>
                </List>
              </section>
              <section className="section pad receipt-steps" aria-label={tr('进度', 'Progress')}>
                <Steps current={step}>
                  <Steps.Step title={tr('已下单', 'Placed')} description={formatDateTime(o.placed_ms)} />
                  <Steps.Step title={tr('T 日', 'T')} description={o.trade_date} />
                  <Steps.Step title={tr('T+1 确认', 'Confirmed T+1')} description={o.confirmed_ms ? formatDateTime(o.confirmed_ms) : due ? tr(`预计 ${due}`, `due ${due}`) : tr('按 T 日净值', 'at NAV(T)')} />
                  {!sub && <Steps.Step title={tr('资金到账', 'Cash arrives')} description={o.cash_date ?? ''} />}
                </Steps>
              </section>
              {o.status === 'confirmed' && (
                <section className="section">
                  <List header={tr('确认结果', 'Confirmation')}>
                    <List.Item extra={formatNav(o.nav)}>{tr('确认净值', 'NAV(T)')}</List.Item>
                    <List.Item extra={`${formatShares(o.confirmed_shares)} ${tr('份', 'shares')}`}>{sub ? tr('确认份额', 'Shares bought') : tr('赎回份额', 'Shares redeemed')}</List.Item>
                    {!sub && <List.Item extra={`${formatMoney(o.gross)} 元`}>{tr('赎回总额', 'Gross')}</List.Item>}
                    <List.Item extra={`${formatMoney(o.fee)} 元`}>{tr('手续费', 'Fee')}</List.Item>
                    {o.discount !== null && o.discount !== undefined && <List.Item extra={`${formatMoney(o.discount)} 元`}>{tr('活动减免（已从手续费扣除）', 'Campaign discount (off the fee)')}</List.Item>}
                    <List.Item extra={`${formatMoney(o.net)} 元`}>{sub ? tr('净申购金额', 'Net invested') : tr('到账金额', 'Net cash')}</List.Item>
                    {!sub && <List.Item extra={o.cash_date}>{tr('到账日期', 'Cash date')}</List.Item>}
                  </List>
                </section>
              )}
              {o.status === 'accepted' && o.estimate && (
                <section className="section">
                  <List header={tr(`预估（按 ${o.estimate.nav_date} 净值 ${formatNav(o.estimate.nav)}）`, `Estimate at NAV ${formatNav(o.estimate.nav)} of ${o.estimate.nav_date}`)}>
                    {o.estimate.gross && <List.Item extra={`${formatMoney(o.estimate.gross)} 元`}>{tr('赎回总额', 'Gross')}</List.Item>}
                    <List.Item extra={`${formatMoney(o.estimate.fee)} 元`}>{tr('手续费', 'Fee')}</List.Item>
                    {o.estimate.campaign_discount != null && (
                      <List.Item extra={`${formatMoney(o.estimate.campaign_discount)} 元`}
                        description={tr('按活动当前剩余预算预估，已从手续费扣除；份额确认时如预算已被先确认的订单用完，减免会减少或没有。',
                          'Estimated from what the offer has left now, already off the fee; if orders confirmed first use up the budget, the discount is smaller or none.')}>
                        {tr('活动减免（预估）', 'Offer discount (estimate)')}
                      </List.Item>
                    )}
                    <List.Item extra={`${formatMoney(o.estimate.net)} 元`}>{sub ? tr('净申购金额', 'Net invested') : tr('到账金额', 'Net cash')}</List.Item>
                    {o.estimate.shares && <List.Item extra={formatShares(o.estimate.shares)}>{tr('预估份额', 'Est. shares')}</List.Item>}
                  </List>
                </section>
              )}
              <div className="pad" style={{ display: 'flex', gap: 12 }}>
                {o.status === 'accepted' && (
                  <Button block color="danger" fill="outline" loading={busy} onClick={async () => {
                    setBusy(true);
                    if (await cancelOrder(o.id)) order.reload();
                    setBusy(false);
                  }}>{tr('撤单', 'Cancel order')}</Button>
                )}
                <Button block onClick={() => navigate('/orders')}>{tr('查看全部订单', 'All orders')}</Button>
              </div>
            </>
          );
        }}
      </Async>
    </Page>
  );
}
