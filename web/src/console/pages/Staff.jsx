import { useState } from 'react';
import { App, Button, Card, Form, Input, Select, Table } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, nameOf, ROLE_NAMES, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';
import { InviteResult } from './InstitutionDetail.jsx';

const ROLES = ['inst_admin', 'inst_operator', 'inst_compliance'];

export default function Staff({ user }) {
  const { message } = App.useApp();
  const list = useAsync(() => api.get('/api/v1/inst/staff'), []);
  const [form] = Form.useForm();
  const [invite, setInvite] = useState(null);
  const admin = user.role === 'inst_admin';
  async function patch(id, body) {
    try {
      await api.patch(`/api/v1/inst/staff/${id}`, body);
      list.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  }
  async function add(v) {
    try {
      setInvite(await api.post('/api/v1/inst/staff', v));
      form.resetFields();
      list.reload();
    } catch (err) {
      if (err.field) form.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else message.error(errorText(err));
    }
  }
  return (
    <>
      <PageHeader title={tr('员工管理', 'Staff')} />
      <Async state={list}>
        {(d) => (
          <Table rowKey="id" dataSource={d.items} pagination={false} columns={[
            { title: tr('账号', 'Login'), dataIndex: 'login' },
            { title: tr('姓名', 'Name'), dataIndex: 'display_name' },
            { title: tr('角色', 'Role'), dataIndex: 'role', render: (v, r) => (admin && r.id !== user.id
              ? <Select size="small" value={v} style={{ width: 140 }} onChange={(role) => patch(r.id, { role })} options={ROLES.map((x) => ({ value: x, label: nameOf(ROLE_NAMES, x) }))} aria-label={tr('角色', 'Role')} />
              : nameOf(ROLE_NAMES, v)) },
            { title: tr('状态', 'Status'), dataIndex: 'status', render: (v, r) => (admin && r.id !== user.id && v !== 'invited'
              ? <Button size="small" onClick={() => patch(r.id, { status: v === 'active' ? 'disabled' : 'active' })}>{v === 'active' ? tr('停用', 'Disable') : tr('启用', 'Enable')}</Button> : v) },
            { title: tr('创建时间', 'Created'), dataIndex: 'created_ms', render: (v) => formatDateTime(v) },
          ]} />
        )}
      </Async>
      {admin && (
        <Card title={tr('邀请员工', 'Invite staff')} style={{ marginTop: 16 }}>
          <Form form={form} layout="inline" onFinish={add} initialValues={{ role: 'inst_operator' }}>
            <Form.Item name="login" label={tr('登录名', 'Login')} rules={[{ required: true, pattern: /^[a-z][a-z0-9._-]{2,31}$/, message: tr('3–32 位小写字母、数字、._-', '3–32 of a-z 0-9 . _ -') }]}><Input /></Form.Item>
            <Form.Item name="display_name" label={tr('姓名', 'Name')} rules={[{ required: true }]}><Input /></Form.Item>
            <Form.Item name="role" label={tr('角色', 'Role')}><Select style={{ width: 140 }} options={ROLES.map((x) => ({ value: x, label: nameOf(ROLE_NAMES, x) }))} /></Form.Item>
            <Button type="primary" htmlType="submit">{tr('邀请', 'Invite')}</Button>
          </Form>
        </Card>
      )}
      <InviteResult invite={invite} onClose={() => setInvite(null)} />
    </>
  );
}
