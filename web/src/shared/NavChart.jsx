// The NAV chart: unit and accumulated NAV over a chosen range. Loaded on demand, with the
// chart library, by the pages that show it.
import { useMemo, useState } from 'react';
import { Line } from '@ant-design/charts';
import { tr } from '../lib/i18n.js';
import { moneyMarketSeries, pointsInRange, periodReturn, RANGES, returnAllowed } from './navRanges.js';

/** A money-market fund: the 7-day annualised yield over the range, and the latest figures. */
function YieldChart({ points, benchmark, height }) {
  const { data, latest } = useMemo(() => moneyMarketSeries(points), [points]);
  return (
    <>
      <div className="chart-summary" aria-live="polite">
        {latest ? (
          <span>{tr('七日年化', '7-day yield')} <b>{latest.yield_7d}%</b>
            {latest.income_per_10k && <> · {tr('万份收益', 'per 10k shares')} <b>{latest.income_per_10k}</b></>}
            <span className="muted"> （{latest.date}）</span></span>
        ) : <span className="muted">{tr('该区间暂无七日年化收益率', 'No 7-day yield in this range yet')}</span>}
        <div className="muted">{tr('货币基金净值恒为 1.0000，每日收益以份额结转；七日年化不代表未来收益', 'A money-market fund stays at 1.0000; its daily income is paid as shares. The 7-day yield does not promise future income')}</div>
        {benchmark && <div className="muted">{tr('业绩比较基准', 'Benchmark')}：{benchmark}</div>}
      </div>
      <div role="img" aria-label={tr(`七日年化走势图，${data.length} 个数据点`, `7-day yield chart, ${data.length} points`)}>
        {data.length > 0 && (
          <Line data={data} xField="date" yField="yield" height={height} autoFit
            axis={{ x: { labelAutoHide: true, labelAutoRotate: false }, y: { labelFormatter: (v) => `${Number(v).toFixed(3)}%` } }}
            scale={{ y: { nice: true, zero: false } }} animate={false} />
        )}
      </div>
    </>
  );
}

export default function NavChart({ items, benchmark, height = 220, RangePicker, moneyMarket = false }) {
  const [range, setRange] = useState('1y');
  const points = useMemo(() => pointsInRange(items, range), [items, range]);
  if (moneyMarket) {
    return (
      <div className="nav-chart" data-testid="nav-chart">
        <RangePicker value={range} onChange={setRange}
          options={RANGES.map((r) => ({ value: r.key, label: tr(r.zh, r.en) }))} />
        <YieldChart points={points} benchmark={benchmark} height={height} />
      </div>
    );
  }
  const data = useMemo(() => points.flatMap((p) => [
    { date: p.date, value: Number(p.nav), series: tr('单位净值', 'Unit NAV') },
    { date: p.date, value: Number(p.acc_nav), series: tr('累计净值', 'Accumulated NAV') },
  ]), [points]);
  const ret = periodReturn(points);
  const allowed = points.length > 1
    && returnAllowed(items[0].date, points[0].date, points[points.length - 1].date);
  const label = RANGES.find((r) => r.key === range);

  return (
    <div className="nav-chart" data-testid="nav-chart">
      <RangePicker value={range} onChange={setRange}
        options={RANGES.map((r) => ({ value: r.key, label: tr(r.zh, r.en) }))} />
      <div className="chart-summary" aria-live="polite">
        {points.length < 2 ? (
          <span className="muted">{tr('该区间净值数据不足', 'Not enough NAV data in this range')}</span>
        ) : allowed ? (
          <span>{tr(label.zh, label.en)}{tr('涨跌幅', ' return')}：
            <b className={ret?.startsWith('-') ? 'down' : 'up'}>{ret?.startsWith('-') ? '' : '+'}{ret}%</b>
          </span>
        ) : (
          <span className="muted">{tr('按销售适当性规定，不足 6 个月的期间不展示业绩', 'Returns for periods under 6 months are not shown, as the sales rules require')}</span>
        )}
        {benchmark && <div className="muted">{tr('业绩比较基准', 'Benchmark')}：{benchmark}</div>}
      </div>
      {/* Numbers (not strings) are only for drawing; figures shown as text stay decimal strings. */}
      <div role="img" aria-label={tr(`净值走势图，${points.length} 个数据点`, `NAV chart, ${points.length} points`)}>
        {data.length > 0 && (
          <Line data={data} xField="date" yField="value" colorField="series" height={height}
            autoFit axis={{ x: { labelAutoHide: true, labelAutoRotate: false }, y: { labelFormatter: (v) => Number(v).toFixed(4) } }}
            scale={{ y: { nice: true, zero: false } }} legend={{ color: { position: 'top' } }}
            animate={false} />
        )}
      </div>
    </div>
  );
}
