import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Table } from 'antd';
import { api } from '../../lib/api.js';
import { CONTENT_STATUS, errorText, nameOf, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader, StatusTag } from '../ui.jsx';

export default function Professional({ role }) {
  const { message } = App.useApp();
  const [status, setStatus] = useState('pending');
  const list = useAsync(() => api.get('/api/v1/ops/professional', { status }), [status]);
  const [deciding, setDeciding] = useState(null);
  const [form] = Form.useForm();
  const canDecide = role === 'ops_admin' || role === 'ops_risk';
  async function decide(v) {
    try {
      await api.post(`/api/v1/ops/professional/${deciding.app.id}/decision`, { decision: deciding.decision, reason: v.reason });
      message.success(tr('已处理', 'Decided'));
      setDeciding(null);
      form.resetFields();
      list.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  }
  return (
    <>
      <PageHeader title={tr('专业投资者申请', 'Professional-investor applications')} />
      <Select value={status} onChange={setStatus} style={{ width: 160, marginBottom: 12 }} aria-label={tr('按状态筛选', 'Filter')}
        options={[{ value: '', label: tr('全部', 'All') }, ...['pending', 'approved', 'rejected'].map((s) => ({ value: s, label: nameOf(CONTENT_STATUS, s) }))]} />
      <Async state={list}>
        {(d) => (
          <Table rowKey="id" dataSource={d.items} columns={[
            { title: tr('手机号', 'Mobile'), dataIndex: 'mobile' },
            { title: tr('资质说明', 'Statement'), dataIndex: 'statement' },
            { title: tr('状态', 'Status'), dataIndex: 'status', render: (v) => <StatusTag status={v} /> },
            { title: tr('申请时间', 'Applied'), dataIndex: 'created_ms', render: (v) => formatDateTime(v) },
            { title: tr('理由', 'Reason'), dataIndex: 'reason' },
            ...(canDecide ? [{ title: '', key: 'act', render: (_, r) => r.status === 'pending' && (
              <Space><Button size="small" type="primary" onClick={() => setDeciding({ app: r, decision: 'approve' })}>{tr('通过', 'Approve')}</Button>
                <Button size="small" danger onClick={() => setDeciding({ app: r, decision: 'reject' })}>{tr('驳回', 'Reject')}</Button></Space>) }] : []),
          ]} />
        )}
      </Async>
      <Modal open={!!deciding} title={deciding?.decision === 'approve' ? tr('通过申请', 'Approve') : tr('驳回申请', 'Reject')} onCancel={() => setDeciding(null)} onOk={() => form.submit()} forceRender>
        <Form form={form} layout="vertical" onFinish={decide}>
          <Form.Item name="reason" label={tr('理由', 'Reason')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}
