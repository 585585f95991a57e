import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Table } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, INSTITUTION_STATUS, INSTITUTION_TYPES, nameOf, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps, navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader, StatusTag } from '../ui.jsx';

export default function Institutions({ role }) {
  const { message } = App.useApp();
  const [status, setStatus] = useState('');
  const list = useAsync(() => api.get('/api/v1/ops/institutions', { status }), [status]);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  async function create(v) {
    setBusy(true);
    try {
      const r = await api.post('/api/v1/ops/institutions', v);
      message.success(tr('机构已创建（状态：已申请）', 'Institution created (applied)'));
      setOpen(false);
      form.resetFields();
      navigate(`/console/institutions/${r.institution.id}`);
    } catch (err) {
      if (err.field) form.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <PageHeader title={tr('机构入驻', 'Institutions')} extra={role === 'ops_admin' && <Button type="primary" onClick={() => setOpen(true)}>{tr('新建机构', 'New institution')}</Button>} />
      <Select value={status} onChange={setStatus} style={{ width: 180, marginBottom: 12 }} aria-label={tr('按状态筛选', 'Filter by status')}
        options={[{ value: '', label: tr('全部状态', 'All statuses') }, ...Object.keys(INSTITUTION_STATUS).map((k) => ({ value: k, label: nameOf(INSTITUTION_STATUS, k) }))]} />
      <Async state={list}>
        {(d) => (
          <Table rowKey="id" dataSource={d.items} pagination={{ pageSize: 20 }} columns={[
            { title: tr('机构名称', 'Name'), dataIndex: 'name', render: (v, r) => <a {...linkProps(`/console/institutions/${r.id}`)}>{v}</a> },
            { title: tr('简称', 'Short name'), dataIndex: 'short_name' },
            { title: tr('类型', 'Type'), dataIndex: 'type', render: (v) => nameOf(INSTITUTION_TYPES, v) },
            { title: tr('状态', 'Status'), dataIndex: 'status', render: (v) => <StatusTag status={v} table={INSTITUTION_STATUS} /> },
            { title: tr('创建时间', 'Created'), dataIndex: 'created_ms', render: (v) => formatDateTime(v) },
          ]} />
        )}
      </Async>
      <Modal open={open} title={tr('新建机构', 'New institution')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} okText={tr('创建', 'Create')} forceRender>
        <Form form={form} layout="vertical" onFinish={create} initialValues={{ type: 'fund_company' }}>
          <Form.Item name="name" label={tr('机构全称', 'Full name')} rules={[{ required: true, min: 2, max: 64, message: tr('2–64 个字符', '2–64 characters') }]}><Input /></Form.Item>
          <Form.Item name="short_name" label={tr('简称', 'Short name')} rules={[{ required: true, max: 16, message: tr('1–16 个字符', '1–16 characters') }]}><Input /></Form.Item>
          <Form.Item name="type" label={tr('机构类型', 'Type')} rules={[{ required: true }]}>
            <Select options={Object.keys(INSTITUTION_TYPES).map((k) => ({ value: k, label: nameOf(INSTITUTION_TYPES, k) }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
