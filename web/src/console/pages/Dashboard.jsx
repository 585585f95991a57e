// The dashboards: an institution's own (GET /api/v1/inst/dashboard) and the platform's
// (GET /api/v1/ops/dashboard). Figure cards with the change against the period before, a line
// chart by day, the funnel, the most viewed products and contents (or institutions, for the
// platform), the fair rule's metric inputs, and a breakdown by segment in which cells too
// small to publish are shown as "—". Dates are business dates (UTC+8); without a choice the
// server's default period (the 7 days ending yesterday) is shown, and the quick ranges end on
// the server's yesterday, whatever the browser's clock says.
import { lazy, Suspense, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Drawer, Progress, Row, Segmented, Select, Space, Spin, Table, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DownloadOutlined, MinusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../lib/api.js';
import { FAIR_METRICS, daysBetween, metricValueText, periodChange, ppmPercent, quickRanges, segmentPeriod, sharePercent } from '../../lib/dashboard.js';
import { CONTENT_KINDS, nameOf, tr } from '../../lib/i18n.js';
import { formatMoney, formatNav, formatShares, formatYuan } from '../../lib/money.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, EmptyState, PageHeader } from '../ui.jsx';

const DayChart = lazy(() => import('../DayChart.jsx'));

const FIGURES = [
  { key: 'visitors', zh: '访客', en: 'Visitors' },
  { key: 'new_visitors', zh: '新访客', en: 'New visitors' },
  { key: 'zone_views', zh: '专区浏览', en: 'Zone views' },
  { key: 'product_views', zh: '产品浏览', en: 'Product views' },
  { key: 'content_views', zh: '内容阅读', en: 'Content views' },
  { key: 'impressions', zh: '推荐曝光', en: 'Impressions' },
  { key: 'orders', zh: '订单', en: 'Orders' },
  { key: 'buyers', zh: '购买人数', en: 'Buyers' },
  { key: 'subscribe_amount', zh: '申购金额（元）', en: 'Subscriptions (CNY)', money: true },
  { key: 'net_flow', zh: '净流入（元）', en: 'Net flow (CNY)', money: true },
  { key: 'followers', zh: '关注者', en: 'Followers', end: true },
  { key: 'holders', zh: '持有人', en: 'Holders', end: true },
  { key: 'aum', zh: '管理规模（元）', en: 'AUM (CNY)', money: true, end: true },
  { key: 'complaints', zh: '投诉', en: 'Complaints', lowerBetter: true },
];

const SERIES = [
  { key: 'visitors', zh: '访客', en: 'Visitors' },
  { key: 'zone_views', zh: '专区浏览', en: 'Zone views' },
  { key: 'product_views', zh: '产品浏览', en: 'Product views' },
  { key: 'content_views', zh: '内容阅读', en: 'Content views' },
  { key: 'orders', zh: '订单', en: 'Orders' },
];

const DIMENSIONS = [
  { value: 'new_returning', zh: '新老访客', en: 'New / returning' },
  { value: 'risk_class', zh: '风险等级', en: 'Risk class' },
  { value: 'age_band', zh: '年龄段', en: 'Age band' },
  { value: 'region', zh: '地区', en: 'Region' },
];

function figureText(f, v) {
  if (v === null || v === undefined) return '--';
  return f.money ? formatMoney(v) : Number(v).toLocaleString('en-US');
}

/** The change against the previous period: an arrow and a percentage, read out in words. */
export function Change({ current, previous, lowerBetter }) {
  const c = periodChange(current, previous);
  if (!c) return <Typography.Text type="secondary">{tr('上期无可比数据', 'no comparison')}</Typography.Text>;
  const text = c.text ?? tr('上期为 0', 'from 0');
  const good = c.dir === 'flat' ? null : (c.dir === 'up') !== Boolean(lowerBetter);
  const Icon = c.dir === 'up' ? ArrowUpOutlined : c.dir === 'down' ? ArrowDownOutlined : MinusOutlined;
  const words = { up: tr('上升', 'up'), down: tr('下降', 'down'), flat: tr('持平', 'flat') }[c.dir];
  return (
    <span className={`change change-${good === null ? 'flat' : good ? 'good' : 'bad'}`}
      aria-label={tr(`较上期${words} ${text}`, `${words} ${text} on the previous period`)}>
      <Icon aria-hidden /> {text}
    </span>
  );
}

function FigureCards({ current, previous }) {
  return (
    <Row gutter={[12, 12]}>
      {FIGURES.map((f) => (
        <Col key={f.key} xs={12} md={8} xl={6} xxl={4}>
          <Card size="small" className="figure-card">
            <div className="figure-label">{tr(f.zh, f.en)}{f.end && <Typography.Text type="secondary">{tr('（期末）', ' (end)')}</Typography.Text>}</div>
            <div className="figure-value" data-testid={`figure-${f.key}`}>{figureText(f, current[f.key])}</div>
            <div className="figure-change">
              <Change current={current[f.key]} previous={previous[f.key]} lowerBetter={f.lowerBetter} />
            </div>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function Funnel({ funnel }) {
  if (!funnel) return <EmptyState text={tr('该期间无漏斗数据', 'No funnel for this period')} />;
  const steps = [
    ['zone_view', tr('浏览专区', 'Viewed the zone')],
    ['product_view', tr('浏览产品', 'Viewed a product')],
    ['order_started', tr('开始下单', 'Started an order')],
    ['order_placed', tr('完成下单', 'Placed an order')],
  ];
  const top = funnel.zone_view;
  return (
    <ol className="funnel" aria-label={tr('转化漏斗', 'Funnel')}>
      {steps.map(([k, label], i) => (
        <li key={k}>
          <div className="funnel-row">
            <span>{label}</span>
            <span><b>{funnel[k]}</b> {tr('人', '')}
              {i > 0 && <Typography.Text type="secondary">　{tr('上一步转化', 'from the step before')} {sharePercent(funnel[k], funnel[steps[i - 1][0]])}</Typography.Text>}
            </span>
          </div>
          <Progress percent={top ? Math.round((funnel[k] * 100) / top) : 0} showInfo={false} aria-hidden />
        </li>
      ))}
    </ol>
  );
}

function ProductDays({ id, range, onClose }) {
  const d = useAsync(() => (id ? api.get(`/api/v1/inst/dashboard/products/${id}`, range) : Promise.resolve(null)), [id, range?.from, range?.to]);
  return (
    <Drawer open={Boolean(id)} onClose={onClose} width={860} title={d.data ? `${d.data.product.name}（${d.data.product.code}）` : tr('产品数据', 'Product figures')}>
      <Async state={d}>
        {(p) => (p && (p.by_day.length === 0 ? <EmptyState text={tr('该期间没有已汇总的数据', 'No rolled-up day in this period')} /> : (
          <Table rowKey="day" size="small" pagination={false} scroll={{ x: true }} dataSource={p.by_day} columns={[
            { title: tr('日期', 'Day'), dataIndex: 'day' },
            { title: tr('浏览', 'Views'), dataIndex: 'views', align: 'right' },
            { title: tr('访客', 'Visitors'), dataIndex: 'visitors', align: 'right' },
            { title: tr('开始下单', 'Started'), dataIndex: 'orders_started', align: 'right' },
            { title: tr('订单', 'Orders'), dataIndex: 'orders', align: 'right' },
            { title: tr('申购金额', 'Subscribed'), dataIndex: 'subscribe_amount', align: 'right', render: formatMoney },
            { title: tr('净流入', 'Net flow'), dataIndex: 'net_flow', align: 'right', render: formatMoney },
            { title: tr('持有人', 'Holders'), dataIndex: 'holders', align: 'right' },
            { title: tr('份额', 'Shares'), dataIndex: 'shares', align: 'right', render: formatShares },
            { title: tr('净值', 'NAV'), dataIndex: 'nav', align: 'right', render: (v) => formatNav(v) },
            { title: tr('规模', 'AUM'), dataIndex: 'aum', align: 'right', render: formatMoney },
          ]} />
        )))}
      </Async>
    </Drawer>
  );
}

function Segments({ scope, anchor }) {
  const [dimension, setDimension] = useState('new_returning');
  const [kind, setKind] = useState('day');
  const [date, setDate] = useState(null);
  const day = date ?? anchor;
  const period = segmentPeriod(kind, day);
  const base = scope === 'inst' ? '/api/v1/inst/dashboard/segments' : '/api/v1/ops/dashboard/segments';
  const seg = useAsync(() => api.get(base, { dimension, ...period }), [base, dimension, period.from, period.to]);
  const csv = `${base}.csv?${new URLSearchParams({ dimension, ...period })}`;
  const hidden = (v, render = (x) => x) => (v === null
    ? <Tooltip title={tr('人数过少，为保护投资者隐私不予展示', 'Too few investors to publish')}><span aria-label={tr('已隐藏', 'suppressed')}>—</span></Tooltip>
    : render(v));
  return (
    <Card title={tr('用户分层', 'Segments')} extra={scope === 'inst' && <a href={csv} download><DownloadOutlined /> {tr('导出 CSV', 'CSV')}</a>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented value={dimension} onChange={setDimension} options={DIMENSIONS.map((d) => ({ value: d.value, label: tr(d.zh, d.en) }))} aria-label={tr('分层维度', 'Dimension')} />
        <Select value={kind} onChange={setKind} style={{ width: 100 }} aria-label={tr('统计周期', 'Period')}
          options={[{ value: 'day', label: tr('按日', 'Day') }, { value: 'week', label: tr('按周', 'Week') }, { value: 'month', label: tr('按月', 'Month') }]} />
        <DatePicker picker={kind === 'day' ? 'date' : kind} allowClear={false} value={dayjs(day)} onChange={(v) => v && setDate(v.format('YYYY-MM-DD'))}
          aria-label={tr('统计日期', 'Date')} />
        <Typography.Text type="secondary">{period.from} ~ {period.to}（{tr('北京时间', 'UTC+8')}）</Typography.Text>
      </Space>
      <Async state={seg}>
        {(s) => (
          <>
            {s.cells.some((c) => c.visitors === null || c.buyers === null) && (
              <Alert type="info" showIcon style={{ marginBottom: 12 }} role="note"
                title={tr(`“—”表示该单元格人数少于 ${s.min_investors} 人，或为防止由合计反推出小单元格而一并隐藏`,
                  `"—" marks a cell of fewer than ${s.min_investors} investors, or one hidden as well so that the total cannot reveal a small cell`)} />
            )}
            <Table rowKey="segment" size="small" pagination={false} dataSource={s.cells}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}><b>{tr('合计', 'Total')}</b></Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">{s.total.visitors}</Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">{s.total.buyers}</Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">{s.total.orders}</Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">{formatMoney(s.total.subscribe_amount)}</Table.Summary.Cell>
                </Table.Summary.Row>
              )}
              columns={[
                { title: tr('分层', 'Segment'), dataIndex: 'label' },
                { title: tr('访客', 'Visitors'), dataIndex: 'visitors', align: 'right', render: (v) => hidden(v) },
                { title: tr('购买人数', 'Buyers'), dataIndex: 'buyers', align: 'right', render: (v) => hidden(v) },
                { title: tr('订单', 'Orders'), dataIndex: 'orders', align: 'right', render: (v) => hidden(v) },
                { title: tr('申购金额', 'Subscribed'), dataIndex: 'subscribe_amount', align: 'right', render: (v) => hidden(v, formatMoney) },
              ]} />
          </>
        )}
      </Async>
    </Card>
  );
}

export default function Dashboard({ scope = 'inst' }) {
  const [range, setRange] = useState(null); // null: the server's default period
  const { message } = App.useApp();
  const [anchor, setAnchor] = useState(null); // the server's yesterday
  const [product, setProduct] = useState(null);
  const [series, setSeries] = useState('traffic');
  const base = scope === 'inst' ? '/api/v1/inst/dashboard' : '/api/v1/ops/dashboard';
  const dash = useAsync(async () => {
    const d = await api.get(base, range ?? undefined);
    if (!range) setAnchor(d.current.to);
    return d;
  }, [base, range?.from, range?.to]);
  const shown = dash.data ? { from: dash.data.current.from, to: dash.data.current.to } : range;
  const chartData = useMemo(() => {
    const keys = series === 'traffic' ? SERIES.slice(0, 4) : SERIES.slice(4);
    return (dash.data?.by_day ?? []).flatMap((d) => keys.map((s) => ({ day: d.day, value: Number(d[s.key] ?? 0), series: tr(s.zh, s.en) })));
  }, [dash.data, series]);
  const presets = anchor ? quickRanges(anchor).map((r) => ({ label: tr(`近${r.days}天`, `Last ${r.days} days`), value: [dayjs(r.from), dayjs(r.to)] })) : [];
  const csv = shown ? `/api/v1/inst/dashboard.csv?${new URLSearchParams(shown)}` : '/api/v1/inst/dashboard.csv';

  return (
    <>
      <PageHeader title={scope === 'inst' ? tr('数据看板', 'Dashboard') : tr('平台数据看板', 'Platform dashboard')}
        sub={shown && tr(`${shown.from} 至 ${shown.to}（北京时间 UTC+8），与之前同样长度的期间对比`, `${shown.from} to ${shown.to} (UTC+8), against the period of the same length before`)}
        extra={(
          <Space wrap>
            <DatePicker.RangePicker allowClear={false} presets={presets} aria-label={tr('统计期间', 'Period')}
              value={shown ? [dayjs(shown.from), dayjs(shown.to)] : null}
              disabledDate={(d) => anchor && d.format('YYYY-MM-DD') > anchor}
              onChange={(v) => {
                if (!v) return;
                const from = v[0].format('YYYY-MM-DD');
                const to = v[1].format('YYYY-MM-DD');
                if (daysBetween(from, to) > 92) {
                  message.warning(tr('统计期间最长 92 天', 'A period is at most 92 days'));
                  return;
                }
                setRange({ from, to });
              }} />
            {scope === 'inst' && <Button href={csv} download icon={<DownloadOutlined />}>{tr('导出 CSV', 'CSV')}</Button>}
          </Space>
        )} />
      <Async state={dash}>
        {(d) => {
          const cur = d.current.figures;
          const prev = d.previous.figures;
          return (
            <Space orientation="vertical" size="large" style={{ width: '100%' }}>
              {cur.days_rolled_up < d.current.days && (
                <Alert type="warning" showIcon title={tr(`期间 ${d.current.days} 天中已汇总 ${cur.days_rolled_up} 天；未汇总的日子不计入`, `${cur.days_rolled_up} of ${d.current.days} days are rolled up; the others count as nothing`)} />
              )}
              <section aria-label={tr('核心指标', 'Figures')}>
                <FigureCards current={cur} previous={prev} />
                <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6 }}>
                  {tr(`对比期间：${d.previous.from} 至 ${d.previous.to}`, `Compared with ${d.previous.from} to ${d.previous.to}`)}
                </Typography.Text>
              </section>
              <Card title={tr('每日趋势', 'By day')} extra={(
                <Segmented value={series} onChange={setSeries} aria-label={tr('趋势指标', 'Series')}
                  options={[{ value: 'traffic', label: tr('流量', 'Traffic') }, { value: 'orders', label: tr('订单', 'Orders') }]} />
              )}>
                {d.by_day.length === 0 ? <EmptyState text={tr('该期间没有已汇总的数据', 'No rolled-up day in this period')} /> : (
                  <Suspense fallback={<div className="center"><Spin /></div>}>
                    <DayChart data={chartData} label={tr(`每日趋势图，${d.by_day.length} 天`, `Chart by day, ${d.by_day.length} days`)} />
                  </Suspense>
                )}
              </Card>
              <Row gutter={16}>
                <Col xs={24} lg={10}>
                  <Card title={tr('转化漏斗', 'Funnel')} style={{ height: '100%' }}><Funnel funnel={cur.funnel} /></Card>
                </Col>
                <Col xs={24} lg={14}>
                  {scope === 'inst' ? (
                    <Card title={tr('公平规则指标（期末）', 'Fair rule inputs (last day)')} style={{ height: '100%' }}>
                      {(d.metrics ?? []).length === 0 ? <EmptyState /> : (
                        <Table rowKey="metric" size="small" pagination={false} dataSource={d.metrics} columns={[
                          { title: tr('指标', 'Metric'), dataIndex: 'metric', render: (m) => tr(FAIR_METRICS[m]?.zh ?? m, FAIR_METRICS[m]?.en ?? m) },
                          { title: tr('数值', 'Value'), dataIndex: 'value', render: (v, r) => metricValueText(r.metric, v, tr) },
                          { title: tr('窗口', 'Window'), dataIndex: 'window_days', render: (v) => tr(`${v} 天`, `${v} days`) },
                        ]} />
                      )}
                    </Card>
                  ) : (
                    <Card title={tr('留存与响应（期末）', 'Retention and response (end)')} style={{ height: '100%' }}>
                      <p>{tr('30日留存', '30-day retention')}：{ppmPercent(cur.retention_30d_ppm)}</p>
                      <p>{tr('90日留存', '90-day retention')}：{ppmPercent(cur.retention_90d_ppm)}</p>
                      <p>{tr('申购笔数', 'Subscriptions')}：{cur.subscriptions}　{tr('赎回笔数', 'Redemptions')}：{cur.redemptions}</p>
                      <p>{tr('流入', 'Inflow')}：{formatYuan(cur.inflow)}　{tr('流出', 'Outflow')}：{formatYuan(cur.outflow)}</p>
                    </Card>
                  )}
                </Col>
              </Row>
              {scope === 'inst' ? (
                <>
                  <Card title={tr('产品', 'Products')}>
                    <Table rowKey="product_id" size="small" pagination={false} scroll={{ x: true }} dataSource={d.products ?? []}
                      locale={{ emptyText: <EmptyState text={tr('该期间没有产品数据', 'No product figures in this period')} /> }}
                      columns={[
                        { title: tr('产品', 'Product'), dataIndex: 'name', render: (v, r) => <a role="button" tabIndex={0} onClick={() => setProduct(r.product_id)} onKeyDown={(e) => e.key === 'Enter' && setProduct(r.product_id)}>{v}（{r.code}）</a> },
                        { title: tr('浏览', 'Views'), dataIndex: 'views', align: 'right' },
                        { title: tr('开始下单', 'Started'), dataIndex: 'orders_started', align: 'right' },
                        { title: tr('订单', 'Orders'), dataIndex: 'orders', align: 'right' },
                        { title: tr('申购金额', 'Subscribed'), dataIndex: 'subscribe_amount', align: 'right', render: formatMoney },
                        { title: tr('流入', 'Inflow'), dataIndex: 'inflow', align: 'right', render: formatMoney },
                        { title: tr('流出', 'Outflow'), dataIndex: 'outflow', align: 'right', render: formatMoney },
                        { title: tr('持有人', 'Holders'), dataIndex: 'holders', align: 'right', render: (v) => v ?? '--' },
                        { title: tr('规模', 'AUM'), dataIndex: 'aum', align: 'right', render: (v) => formatMoney(v) },
                      ]} />
                  </Card>
                  <Card title={tr('内容', 'Contents')}>
                    <Table rowKey="content_id" size="small" pagination={false} dataSource={d.contents ?? []}
                      locale={{ emptyText: <EmptyState text={tr('该期间没有内容数据', 'No content figures in this period')} /> }}
                      columns={[
                        { title: tr('标题', 'Title'), dataIndex: 'title', render: (v) => v || <Typography.Text type="secondary">{tr('（当前无已发布版本）', '(nothing published now)')}</Typography.Text> },
                        { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (v) => nameOf(CONTENT_KINDS, v) },
                        { title: tr('阅读', 'Views'), dataIndex: 'views', align: 'right' },
                        { title: tr('读者（人·天）', 'Reader-days'), dataIndex: 'visitor_days', align: 'right' },
                        { title: tr('分享', 'Shares'), dataIndex: 'shares', align: 'right' },
                      ]} />
                  </Card>
                </>
              ) : (
                <Card title={tr('机构（按专区浏览）', 'Institutions (by zone views)')}>
                  <Table rowKey="institution_id" size="small" pagination={{ pageSize: 20 }} dataSource={d.institutions ?? []}
                    locale={{ emptyText: <EmptyState /> }}
                    columns={[
                      { title: tr('机构', 'Institution'), dataIndex: 'name' },
                      { title: tr('专区浏览', 'Zone views'), dataIndex: 'zone_views', align: 'right' },
                      { title: tr('产品浏览', 'Product views'), dataIndex: 'product_views', align: 'right' },
                      { title: tr('内容阅读', 'Content views'), dataIndex: 'content_views', align: 'right' },
                      { title: tr('订单', 'Orders'), dataIndex: 'orders', align: 'right' },
                      { title: tr('申购金额', 'Subscribed'), dataIndex: 'subscribe_amount', align: 'right', render: formatMoney },
                      { title: tr('净流入', 'Net flow'), dataIndex: 'net_flow', align: 'right', render: formatMoney },
                    ]} />
                </Card>
              )}
              {anchor && <Segments scope={scope} anchor={shown?.to ?? anchor} />}
            </Space>
          );
        }}
      </Async>
      {scope === 'inst' && <ProductDays id={product} range={shown} onClose={() => setProduct(null)} />}
    </>
  );
}
