// Trade-date reconciliation (GET /api/v1/inst/trades): for one trade date T, the institution's
// subscriptions and redemptions per product, by status, with what confirmation (on T+1) made
// of them, and the settlement each product moves into the institution's settlement account:
// + the subscriptions' net − the redemptions' gross. The date is kept in the address
// (?date=…) so that a reconciliation can be linked to; a date the server refuses shows its
// message. The CSV is the same report, fetched with the session like the dashboard's.
import { Alert, Button, Card, DatePicker, Descriptions, Empty, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../lib/api.js';
import { tr } from '../../lib/i18n.js';
import { formatMoney, formatShares } from '../../lib/money.js';
import { linkProps, navigate, useLocation } from '../../lib/router.js';
import { defaultTradeDate, isTradeDate, orderCounts, settlementClass, settlementOf, settlementSigned, settlementWords, statusBreakdown } from '../../lib/trades.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';

const PATH = '/console/trades';

function Settlement({ value, words }) {
  const s = settlementOf(value);
  return (
    <span className={settlementClass(s.dir)} title={settlementWords(value)}>
      {words ? settlementWords(value) : settlementSigned(value)}
    </span>
  );
}

function Orders({ side }) {
  const detail = statusBreakdown(side);
  return (
    <Space orientation="vertical" size={0}>
      <span>{side.orders}</span>
      {detail && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{detail}</Typography.Text>}
    </Space>
  );
}

const money = (v) => formatMoney(v);

function columns() {
  return [
    { title: tr('基金代码', 'Code'), dataIndex: 'product_code', fixed: 'left', width: 90, render: (v) => <span className="mono">{v}</span> },
    { title: tr('基金名称', 'Fund'), dataIndex: 'product_name', width: 180, render: (v, r) => <a {...linkProps(`/console/products/${r.product_id}`)}>{v}</a> },
    { title: tr('申购', 'Subscriptions'), children: [
      { title: tr('笔数', 'Orders'), key: 's_orders', align: 'right', width: 150, render: (_, r) => <Orders side={r.subscriptions} /> },
      { title: tr('申请金额', 'Applied'), key: 's_amount', align: 'right', width: 110, render: (_, r) => money(r.subscriptions.amount) },
      { title: tr('确认净额', 'Confirmed net'), key: 's_net', align: 'right', width: 110, render: (_, r) => money(r.subscriptions.net) },
      { title: tr('手续费', 'Fee'), key: 's_fee', align: 'right', width: 110, render: (_, r) => money(r.subscriptions.fee) },
      { title: tr('确认份额', 'Shares'), key: 's_shares', align: 'right', width: 110, render: (_, r) => formatShares(r.subscriptions.shares) },
    ] },
    { title: tr('赎回', 'Redemptions'), children: [
      { title: tr('笔数', 'Orders'), key: 'r_orders', align: 'right', width: 150, render: (_, r) => <Orders side={r.redemptions} /> },
      { title: tr('申请份额', 'Shares applied'), key: 'r_shares', align: 'right', width: 110, render: (_, r) => formatShares(r.redemptions.shares) },
      { title: tr('赎回总额', 'Gross'), key: 'r_gross', align: 'right', width: 110, render: (_, r) => money(r.redemptions.gross) },
      { title: tr('手续费', 'Fee'), key: 'r_fee', align: 'right', width: 110, render: (_, r) => money(r.redemptions.fee) },
      { title: tr('净额', 'Net'), key: 'r_net', align: 'right', width: 110, render: (_, r) => money(r.redemptions.net) },
      { title: tr('已付', 'Paid'), key: 'r_paid', align: 'right', width: 110, render: (_, r) => money(r.redemptions.paid) },
    ] },
    { title: tr('资金结算', 'Settlement'), dataIndex: 'settlement', align: 'right', fixed: 'right', width: 130,
      render: (v) => <Settlement value={v} /> },
  ];
}

function Totals({ report }) {
  const n = orderCounts(report.products);
  const t = report.totals;
  return (
    <Table.Summary.Row className="trades-totals">
      <Table.Summary.Cell index={0} colSpan={2}><b>{tr('合计', 'Total')}</b></Table.Summary.Cell>
      <Table.Summary.Cell index={2} align="right">{n.subscriptions}</Table.Summary.Cell>
      <Table.Summary.Cell index={3} align="right">{money(t.subscription_amount)}</Table.Summary.Cell>
      <Table.Summary.Cell index={4} align="right">{money(t.subscription_net)}</Table.Summary.Cell>
      <Table.Summary.Cell index={5} align="right">{money(t.subscription_fee)}</Table.Summary.Cell>
      <Table.Summary.Cell index={6} />
      <Table.Summary.Cell index={7} align="right">{n.redemptions}</Table.Summary.Cell>
      <Table.Summary.Cell index={8} />
      <Table.Summary.Cell index={9} align="right">{money(t.redemption_gross)}</Table.Summary.Cell>
      <Table.Summary.Cell index={10} align="right">{money(t.redemption_fee)}</Table.Summary.Cell>
      <Table.Summary.Cell index={11} align="right">{money(t.redemption_net)}</Table.Summary.Cell>
      <Table.Summary.Cell index={12} />
      <Table.Summary.Cell index={13} align="right"><b><Settlement value={t.settlement} /></b></Table.Summary.Cell>
    </Table.Summary.Row>
  );
}

function Summary({ report }) {
  const t = report.totals;
  const s = settlementOf(t.settlement);
  const explain = {
    receivable: tr('申购确认净额大于赎回总额，机构应收', 'Subscriptions\' net exceeds redemptions\' gross: the institution receives'),
    payable: tr('赎回总额大于申购确认净额，机构应付', 'Redemptions\' gross exceeds subscriptions\' net: the institution pays'),
    zero: tr('申购确认净额与赎回总额相抵', 'Subscriptions\' net and redemptions\' gross cancel out'),
  }[s.dir];
  return (
    <section aria-label={tr('结算汇总', 'Settlement summary')}>
      <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 4 }} items={[
        { key: 't', label: tr('交易日（T）', 'Trade date (T)'), children: report.date },
        { key: 'c', label: tr('确认日（T+1）', 'Confirm date (T+1)'), children: report.confirm_date ?? tr('无（非交易日，或不在交易日历内）', 'None (not a trading day, or outside the calendar)') },
        { key: 'in', label: tr('申购确认净额', 'Subscriptions, net'), children: `${money(t.subscription_net)} ${tr('元', 'CNY')}` },
        { key: 'out', label: tr('赎回总额', 'Redemptions, gross'), children: `${money(t.redemption_gross)} ${tr('元', 'CNY')}` },
        { key: 's', label: tr('资金结算', 'Settlement'), span: 'filled', children: (
          <Space wrap>
            <Typography.Text strong style={{ fontSize: 18 }} data-testid="trades-settlement"><Settlement value={t.settlement} words /></Typography.Text>
            {explain && <Typography.Text type="secondary">{explain}{tr('（申购确认净额 − 赎回总额）', ' (subscriptions\' net − redemptions\' gross)')}</Typography.Text>}
          </Space>
        ) },
      ]} />
    </section>
  );
}

export default function Trades() {
  const { query } = useLocation();
  const date = query.get('date') ?? defaultTradeDate();
  const report = useAsync(() => api.get('/api/v1/inst/trades', { date }), [date]);
  const csv = `/api/v1/inst/trades.csv?${new URLSearchParams({ date })}`;
  const ready = report.data && report.data.date === date && !report.error;

  return (
    <>
      <PageHeader title={tr('交易对账', 'Trade reconciliation')}
        sub={tr('按交易日核对各产品的申购、赎回及确认结果，以及与机构结算账户之间的资金往来', 'The orders of a trade date per product, what confirmation made of them, and the settlement with the institution\'s account')}
        extra={(
          <Space wrap>
            <label htmlFor="trades-date">{tr('交易日', 'Trade date')}</label>
            <DatePicker id="trades-date" allowClear={false} value={isTradeDate(date) ? dayjs(date) : null}
              onChange={(v) => v && navigate(`${PATH}?date=${v.format('YYYY-MM-DD')}`, { replace: true })} />
            {ready && <Button href={csv} download icon={<DownloadOutlined />}>{tr('下载 CSV', 'Download CSV')}</Button>}
          </Space>
        )} />
      <Async state={report}>
        {(r) => (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Summary report={r} />
            {r.products.length === 0 ? (
              <Card><Empty description={tr(`${r.date} 没有申购或赎回订单`, `No subscription or redemption on ${r.date}`)} /></Card>
            ) : (
              <Card>
                <Table rowKey="product_id" size="small" bordered pagination={false} className="trades-table"
                  scroll={{ x: 1700 }} dataSource={r.products} columns={columns()}
                  aria-label={tr(`${r.date} 交易对账`, `Trades of ${r.date}`)}
                  summary={() => <Table.Summary><Totals report={r} /></Table.Summary>} />
              </Card>
            )}
            {r.products.some((p) => p.subscriptions.accepted > 0 || p.redemptions.accepted > 0) && (
              <Alert type="info" showIcon title={tr('部分订单尚待确认，确认后结算金额会随之变化', 'Some orders still wait for confirmation; the settlement changes once they are confirmed')} />
            )}
          </Space>
        )}
      </Async>
    </>
  );
}
