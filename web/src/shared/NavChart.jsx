// The NAV chart: unit and accumulated NAV over a chosen range. Loaded on demand, with the
// chart library, by the pages that show it.
import { useMemo, useState } from 'react';
import { Line } from '@ant-design/charts';
import { tr } from '../lib/i18n.js';
import { pointsInRange, periodReturn, RANGES, returnAllowed } from './navRanges.js';

export default function NavChart({ items, benchmark, height = 220, RangePicker }) {
  const [range, setRange] = useState('1y');
  const points = useMemo(() => pointsInRange(items, range), [items, range]);
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
