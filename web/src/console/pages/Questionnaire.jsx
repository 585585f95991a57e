import { Card, Descriptions, List, Tag } from 'antd';
import { api } from '../../lib/api.js';
import { tr } from '../../lib/i18n.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';

export default function Questionnaire() {
  const q = useAsync(() => api.get('/api/v1/ops/questionnaire'), []);
  return (
    <>
      <PageHeader title={tr('风险测评问卷', 'Risk questionnaire')} sub={q.data ? tr(`当前版本 v${q.data.version}`, `Current version v${q.data.version}`) : ''} />
      <Async state={q}>
        {({ definition: d }) => (
          <>
            <Card style={{ marginBottom: 16 }}>
              <Descriptions items={[
                { key: 't', label: tr('分类阈值（C2/C3/C4/C5 最低分）', 'Thresholds (C2–C5)'), children: d.thresholds.join(' / ') },
                { key: 'l', label: tr('最低类别分数线', 'Lowest below'), children: d.lowest_below },
              ]} />
            </Card>
            <List bordered dataSource={d.questions} renderItem={(x, i) => (
              <List.Item>
                <div>
                  <b>{i + 1}. {x.text}</b> <Tag>{x.id}</Tag>
                  <ol type="A">{x.options.map((o) => <li key={o.text}>{o.text} — {o.score}{tr('分', ' pts')}{o.disqualifying ? <Tag color="red" style={{ marginLeft: 6 }}>{tr('最低类别', 'lowest')}</Tag> : null}</li>)}</ol>
                </div>
              </List.Item>
            )} />
          </>
        )}
      </Async>
    </>
  );
}
