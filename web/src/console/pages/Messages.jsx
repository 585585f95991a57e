import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Radio, Select, Table } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, MatchList, PageHeader, StatusTag, VerdictTag } from '../ui.jsx';

export default function Messages({ canEdit }) {
  const { message } = App.useApp();
  const list = useAsync(() => api.get('/api/v1/inst/messages', { limit: 50 }), []);
  const products = useAsync(() => api.get('/api/v1/inst/products'), []);
  const [form] = Form.useForm();
  const audience = Form.useWatch('audience', form);
  const [err, setErr] = useState(null);
  async function send(v) {
    setErr(null);
    const body = { audience: v.audience, title: v.title, body: v.body };
    if (v.audience === 'holders' && v.product_id) body.product_id = v.product_id;
    try {
      const r = await api.post('/api/v1/inst/messages', body);
      message.success(r.message.status === 'held' ? tr('消息待平台审核', 'Held for review') : tr(`已送达 ${r.message.reach} 人`, `Delivered to ${r.message.reach}`));
      form.resetFields();
      list.reload();
    } catch (e) {
      if (e.field) form.setFields([{ name: e.field, errors: [errorText(e)] }]);
      setErr(e);
    }
  }
  return (
    <>
      <PageHeader title={tr('消息', 'Messages')} sub={tr('发给关注者或持有人；每位投资者每天最多收到本机构 3 条', 'To followers or holders; at most 3 a day per investor')} />
      {canEdit && (
        <Card title={tr('发送消息', 'Send a message')} style={{ marginBottom: 16 }}>
          {err && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(err)} description={<MatchList check={err.problem?.check} />} />}
          <Form form={form} layout="vertical" onFinish={send} initialValues={{ audience: 'followers' }}>
            <Form.Item name="audience" label={tr('发送对象', 'Audience')}>
              <Radio.Group options={[{ value: 'followers', label: tr('关注者', 'Followers') }, { value: 'holders', label: tr('持有人', 'Holders') }]} />
            </Form.Item>
            {audience === 'holders' && (
              <Form.Item name="product_id" label={tr('产品（不选则为全部产品持有人）', 'Product (all products if empty)')}>
                <Select allowClear options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))} />
              </Form.Item>
            )}
            <Form.Item name="title" label={tr('标题', 'Title')} rules={[{ required: true, max: 60 }]}><Input /></Form.Item>
            <Form.Item name="body" label={tr('正文', 'Body')} rules={[{ required: true, max: 1000 }]}><Input.TextArea rows={4} showCount maxLength={1000} /></Form.Item>
            <Button type="primary" htmlType="submit">{tr('发送', 'Send')}</Button>
          </Form>
        </Card>
      )}
      <Async state={list}>
        {(d) => (
          <Table rowKey="id" dataSource={d.items} locale={{ emptyText: tr('还没有发送过消息', 'No messages yet') }} columns={[
            { title: tr('标题', 'Title'), dataIndex: 'title' },
            { title: tr('对象', 'Audience'), dataIndex: 'audience', render: (v) => (v === 'followers' ? tr('关注者', 'Followers') : tr('持有人', 'Holders')) },
            { title: tr('状态', 'Status'), dataIndex: 'status', render: (v) => <StatusTag status={v} /> },
            { title: tr('检查', 'Check'), key: 'c', render: (_, r) => <VerdictTag verdict={r.check.verdict} /> },
            { title: tr('触达', 'Reach'), dataIndex: 'reach', align: 'right' },
            { title: tr('发送时间', 'Sent'), dataIndex: 'created_ms', render: (v) => formatDateTime(v) },
            { title: tr('审核意见', 'Reason'), dataIndex: 'reason' },
          ]} />
        )}
      </Async>
    </>
  );
}
