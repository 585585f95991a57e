// A line chart by day for the dashboards: loaded on demand, with the chart library, by the
// pages that draw one. Numbers are only for drawing; every figure shown as text comes from
// the API's integers and decimal strings.
import { Line } from '@ant-design/charts';

export default function DayChart({ data, label, height = 280, yFormatter }) {
  return (
    <div role="img" aria-label={label} data-testid="day-chart">
      {data.length > 0 && (
        <Line data={data} xField="day" yField="value" colorField="series" height={height} autoFit
          axis={{ x: { labelAutoHide: true, labelAutoRotate: false }, y: yFormatter ? { labelFormatter: yFormatter } : {} }}
          point={{ shapeField: 'circle', sizeField: 3 }} scale={{ y: { nice: true } }} legend={{ color: { position: 'top' } }} animate={false} />
      )}
    </div>
  );
}
