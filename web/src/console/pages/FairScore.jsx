// 公平规则得分: the institution's own score and allocation by published day
// (GET /api/v1/inst/fair-score): the normalised metrics, the score, the floor and cap, the
// impressions allocated and those delivered the day after, and the metric that cost the score
// most, with a chart of impressions over the range. Without a choice the server's default
// range (the 30 days before today, UTC+8) is shown.
import { lazy, Suspense, useMemo, useState } from 'react';
import { Alert, App, Card, DatePicker, Space, Spin, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { api } from '../../lib/api.js';
import { FAIR_METRICS, daysBetween, metricValueText, ppmPercent, sharePercent } from '../../lib/dashboard.js';
import { tr } from '../../lib/i18n.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, EmptyState, PageHeader } from '../ui.jsx';

const DayChart = lazy(() => import('../DayChart.jsx'));

export const metricName = (m) => (FAIR_METRICS[m] ? tr(FAIR_METRICS[m].zh, FAIR_METRICS[m].en) : m);
const n = (v) => Number(v).toLocaleString('en-US');

function MetricRows({ day }) {
  const metrics = Object.keys(day.norm_ppm);
  return (
    <Table rowKey="m" size="small" pagination={false} dataSource={metrics.map((m) => ({ m }))} columns={[
      { title: tr('指标', 'Metric'), dataIndex: 'm', render: (m) => <>{metricName(m)}{m === day.costliest && <Tag color="red" style={{ marginLeft: 8 }}>{tr('失分最多', 'cost most')}</Tag>}</> },
      { title: tr('原始值', 'Input'), dataIndex: 'm', key: 'in', render: (m) => metricValueText(m, day.inputs[m] ?? null, tr) },
      { title: tr('标准化得分', 'Mark'), dataIndex: 'm', key: 'norm', align: 'right', render: (m) => ppmPercent(day.norm_ppm[m]) },
    ]} />
  );
}

export default function FairScore() {
  const [range, setRange] = useState(null);
  const { message } = App.useApp();
  const score = useAsync(() => api.get('/api/v1/inst/fair-score', range ?? undefined), [range?.from, range?.to]);
  const shown = score.data ? { from: score.data.from, to: score.data.to } : range;
  const chartData = useMemo(() => (score.data?.items ?? []).flatMap((d) => [
    { day: d.date, value: d.impressions, series: tr('分配曝光', 'Allocated') },
    { day: d.date, value: d.delivered, series: tr('实际曝光（次日）', 'Delivered (next day)') },
  ]), [score.data]);
  return (
    <>
      <PageHeader title={tr('公平规则得分', 'Fair rule score')}
        sub={tr('推荐位按平台公开的公平规则每日分配；此处是本机构每个已公布日的得分与分配（北京时间 UTC+8）', 'The recommendation slots are shared daily by the published fair rule; these are your scores and allocations (UTC+8)')}
        extra={(
          <DatePicker.RangePicker allowClear={false} aria-label={tr('统计期间', 'Period')}
            value={shown ? [dayjs(shown.from), dayjs(shown.to)] : null}
            onChange={(v) => {
              if (!v) return;
              const from = v[0].format('YYYY-MM-DD');
              const to = v[1].format('YYYY-MM-DD');
              if (daysBetween(from, to) <= 92) setRange({ from, to });
              else message.warning(tr('统计期间最长 92 天', 'A period is at most 92 days'));
            }} />
        )} />
      <Async state={score}>
        {(s) => (s.items.length === 0 ? (
          <Card><EmptyState text={tr('该期间没有已公布的日子', 'No published day in this range')} /></Card>
        ) : (
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            {s.items[s.items.length - 1].costliest && (
              <Alert type="info" showIcon role="note" title={tr(
                `最近一个公布日（${s.items[s.items.length - 1].date}）失分最多的指标是“${metricName(s.items[s.items.length - 1].costliest)}”：优先改进它提升最快。`,
                `On the latest published day (${s.items[s.items.length - 1].date}) "${metricName(s.items[s.items.length - 1].costliest)}" cost the score most: improve it first.`)} />
            )}
            <Card title={tr('推荐曝光：分配与实际', 'Impressions: allocated and delivered')}>
              <Suspense fallback={<div className="center"><Spin /></div>}>
                <DayChart data={chartData} label={tr(`推荐曝光图，${s.items.length} 天`, `Impressions chart, ${s.items.length} days`)} />
              </Suspense>
            </Card>
            <Card title={tr('每日得分', 'By day')}>
              <Table rowKey="date" size="small" pagination={false} dataSource={[...s.items].reverse()}
                expandable={{ expandedRowRender: (d) => <MetricRows day={d} />, rowExpandable: () => true }}
                columns={[
                  { title: tr('公布日', 'Day'), dataIndex: 'date' },
                  { title: tr('规则版本', 'Rule'), dataIndex: 'rule_version', render: (v, d) => <>v{v}{d.is_new && <Tag color="blue" style={{ marginLeft: 6 }}>{tr('新机构保底', 'new: floor')}</Tag>}</> },
                  { title: tr('得分', 'Score'), dataIndex: 'score_ppm', align: 'right', render: (v) => <b>{ppmPercent(v, 2)}</b> },
                  { title: tr('保底 / 上限', 'Floor / cap'), key: 'fc', align: 'right', render: (_, d) => `${n(d.floor)} / ${n(d.cap)}` },
                  { title: tr('分配曝光', 'Allocated'), dataIndex: 'impressions', align: 'right', render: n },
                  { title: tr('实际曝光', 'Delivered'), dataIndex: 'delivered', align: 'right', render: (v, d) => (
                    <Typography.Text title={tr(`${d.served_on} 投放`, `served on ${d.served_on}`)}>{n(v)}（{sharePercent(v, d.impressions)}）</Typography.Text>) },
                  { title: tr('投放日', 'Served on'), dataIndex: 'served_on' },
                  { title: tr('失分最多', 'Cost most'), dataIndex: 'costliest', render: (v) => (v ? <Tag color="red">{metricName(v)}</Tag> : '--') },
                ]} />
            </Card>
          </Space>
        ))}
      </Async>
    </>
  );
}
