import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Input, List, Space, Tag, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, MatchList, PageHeader } from '../ui.jsx';

function AnswerBox({ q, onDone }) {
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  async function send() {
    setBusy(true);
    setErr(null);
    try {
      await api.post(`/api/v1/inst/questions/${q.id}/answer`, { answer: text.trim() });
      message.success(tr('回答已发布', 'Answer published'));
      onDone();
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div style={{ width: '100%' }}>
      <Input.TextArea rows={3} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} aria-label={tr('回答内容', 'Your answer')} placeholder={tr('回答将公开展示，需通过合规检查', 'Answers are public and must pass the compliance check')} />
      {err && <Alert type="error" showIcon style={{ marginTop: 8 }} title={errorText(err)} description={<MatchList check={err.problem?.check} />} />}
      <Button type="primary" style={{ marginTop: 8 }} disabled={!text.trim()} loading={busy} onClick={send}>{tr('发布回答', 'Publish answer')}</Button>
    </div>
  );
}

export default function Questions({ canEdit }) {
  const qs = useAsync(() => api.get('/api/v1/inst/questions'), []);
  return (
    <>
      <PageHeader title={tr('问答', 'Q&A inbox')} sub={tr('投资者公开提问，未回答的在前；回答时长计入平台公平规则', 'Unanswered first; response time counts in the fair rule')} extra={<Button onClick={qs.reload}>{tr('刷新', 'Refresh')}</Button>} />
      <Async state={qs}>
        {(d) => (d.items.length === 0 ? <Card><Empty description={tr('还没有提问', 'No questions yet')} /></Card> : (
          <List itemLayout="vertical" bordered dataSource={d.items} renderItem={(q) => (
            <List.Item key={q.id}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space>{q.answer ? <Tag color="green">{tr('已回答', 'Answered')}</Tag> : <Tag color="orange">{tr('待回答', 'Unanswered')}</Tag>}
                  <Typography.Text type="secondary">{formatDateTime(q.published_ms)}</Typography.Text></Space>
                <Typography.Text strong>{q.body}</Typography.Text>
                {q.answer ? <Typography.Paragraph style={{ background: '#f6f8fb', padding: 8, borderRadius: 6, margin: 0 }}>{q.answer}<br /><Typography.Text type="secondary">{formatDateTime(q.answered_ms)}</Typography.Text></Typography.Paragraph>
                  : canEdit && <AnswerBox q={q} onDone={qs.reload} />}
              </Space>
            </List.Item>
          )} />
        ))}
      </Async>
    </>
  );
}
