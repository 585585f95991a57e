import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { CONTENT_KINDS, errorText, nameOf, tr } from '../../lib/i18n.js';
import { matchesOf } from '../../lib/spans.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, Highlighted, MatchList, PageHeader, VerdictTag } from '../ui.jsx';

const KIND = { zone: ['专区装修', 'Zone'], content: ['内容', 'Content'], question: ['提问', 'Question'], message: ['消息', 'Message'] };

function fields(kind, item) {
  const c = item.check;
  switch (kind) {
    case 'zone':
      return [
        [tr('展示名称', 'Display name'), item.display_name, matchesOf(c, 'display_name')],
        [tr('口号', 'Slogan'), item.slogan, matchesOf(c, 'slogan')],
        [tr('简介', 'Introduction'), item.introduction, matchesOf(c, 'introduction')],
      ];
    case 'content':
      return [
        [tr('标题', 'Title'), item.title, matchesOf(c, 'title')],
        [tr('正文', 'Body'), c.body_text, matchesOf(c, 'body_text')],
      ];
    case 'question':
      return [[tr('问题', 'Question'), item.body, matchesOf(c, 'body')]];
    default:
      return [
        [tr('标题', 'Title'), item.title, matchesOf(c, 'title')],
        [tr('正文', 'Body'), item.body, matchesOf(c, 'body')],
      ];
  }
}

function decisionPath(kind, item) {
  switch (kind) {
    case 'zone': return `/api/v1/ops/zones/${item.version_id}/decision`;
    case 'content': return `/api/v1/ops/contents/${item.id}/versions/${item.version}/decision`;
    case 'question': return `/api/v1/ops/questions/${item.id}/decision`;
    default: return `/api/v1/ops/messages/${item.id}/decision`;
  }
}

function when(kind, item) {
  return kind === 'zone' ? item.submitted_ms : item.created_ms;
}

export default function Review({ role }) {
  const { message } = App.useApp();
  const queue = useAsync(() => api.get('/api/v1/ops/review'), []);
  const [deciding, setDeciding] = useState(null);
  const [form] = Form.useForm();
  const canDecide = role === 'ops_admin' || role === 'ops_reviewer';

  async function decide(v) {
    try {
      await api.post(decisionPath(deciding.kind, deciding.item), { decision: deciding.decision, reason: v.reason });
      message.success(deciding.decision === 'approve' ? tr('已通过', 'Approved') : tr('已驳回', 'Rejected'));
      setDeciding(null);
      form.resetFields();
      queue.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  }

  return (
    <>
      <PageHeader title={tr('审核队列', 'Review queue')} sub={tr('命中合规词库、等待人工审核的内容，按提交时间排序', 'Held for a human decision, oldest first')}
        extra={<Button onClick={queue.reload}>{tr('刷新', 'Refresh')}</Button>} />
      <Async state={queue}>
        {(d) => (d.items.length === 0 ? <Card><Empty description={tr('没有待审核的内容', 'Nothing waiting')} /></Card> : (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            {d.items.map(({ kind, item }) => {
              const key = `${kind}-${item.version_id ?? item.id}-${item.version ?? ''}`;
              const title = kind === 'content' ? item.title : kind === 'zone' ? item.display_name : kind === 'message' ? item.title : item.body.slice(0, 30);
              return (
                <Card key={key} data-testid="review-item" role="article" aria-label={`${tr(...KIND[kind])}: ${title}`}
                  title={<Space><Tag color="blue">{tr(...KIND[kind])}{kind === 'content' ? ` · ${nameOf(CONTENT_KINDS, item.kind)}` : ''}</Tag><span>{title}</span></Space>}
                  extra={<Space><span>{item.institution_name}</span><Typography.Text type="secondary">{formatDateTime(when(kind, item))}</Typography.Text><VerdictTag verdict={item.check.verdict} /></Space>}
                  actions={canDecide ? [
                    <Button key="a" type="primary" onClick={() => setDeciding({ kind, item, decision: 'approve' })}>{tr('通过', 'Approve')}</Button>,
                    <Button key="r" danger onClick={() => setDeciding({ kind, item, decision: 'reject' })}>{tr('驳回', 'Reject')}</Button>,
                  ] : undefined}>
                  {fields(kind, item).filter(([, text]) => text).map(([label, text, ms]) => (
                    <div key={label} style={{ marginBottom: 8 }}>
                      <Typography.Text type="secondary">{label}：</Typography.Text>
                      <Highlighted text={text} matches={ms} />
                    </div>
                  ))}
                  <MatchList check={item.check} />
                </Card>
              );
            })}
          </Space>
        ))}
      </Async>
      <Modal open={!!deciding} title={deciding?.decision === 'approve' ? tr('通过', 'Approve') : tr('驳回', 'Reject')}
        onCancel={() => setDeciding(null)} onOk={() => form.submit()} okText={tr('提交', 'Submit')} okButtonProps={{ danger: deciding?.decision === 'reject' }} forceRender>
        <Form form={form} layout="vertical" onFinish={decide}>
          <Form.Item name="reason" label={tr('理由（将告知作者）', 'Reason (the author is told)')} rules={[{ required: true, message: tr('请填写理由', 'Give a reason') }]}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
