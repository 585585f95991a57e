import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Switch, Table, Tag, Timeline, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, INSTITUTION_STATUS, INSTITUTION_TYPES, nameOf, ROLE_NAMES, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader, StatusTag } from '../ui.jsx';

const NEXT = { applied: ['pilot', 'live'], pilot: ['live', 'suspended'], live: ['suspended'], suspended: ['pilot', 'live'] };

export function InviteResult({ invite, onClose }) {
  if (!invite) return null;
  const link = `${location.origin}/console/login?invite=${invite.invite_token}`;
  return (
    <Modal open title={tr('邀请已创建', 'Invitation created')} onCancel={onClose} onOk={onClose} cancelButtonProps={{ style: { display: 'none' } }}>
      <p>{tr(`账号 ${invite.user.login} 已邀请。请将下面的一次性邀请码（或链接）安全地交给本人，用于设置密码：`, `${invite.user.login} is invited. Give them this one-time code (or link) to choose a password:`)}</p>
      <Typography.Paragraph copyable className="mono" data-testid="invite-token">{invite.invite_token}</Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: link }} className="mono">{link}</Typography.Paragraph>
      <Alert type="warning" showIcon title={tr('邀请码只显示这一次', 'The code is shown only this once')} />
    </Modal>
  );
}

export default function InstitutionDetail({ id, role }) {
  const { message } = App.useApp();
  const detail = useAsync(() => Promise.all([api.get(`/api/v1/ops/institutions/${id}`), api.get(`/api/v1/ops/institutions/${id}/staff`)]), [id]);
  const [statusForm] = Form.useForm();
  const [staffForm] = Form.useForm();
  const [ownForm] = Form.useForm();
  const [invite, setInvite] = useState(null);
  const admin = role === 'ops_admin';

  async function changeStatus(v) {
    try {
      await api.post(`/api/v1/ops/institutions/${id}/status`, v);
      message.success(tr('状态已更新', 'Status changed'));
      statusForm.resetFields();
      detail.reload();
    } catch (err) {
      if (err.field) statusForm.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else message.error(errorText(err));
    }
  }
  async function markOwn(v) {
    try {
      const r = await api.post(`/api/v1/ops/institutions/${id}/platform-own`, { platform_own: Boolean(v.platform_own), reason: v.reason });
      message.success(r.institution.platform_own ? tr('已标记为平台自营机构', 'Marked as the platform\'s own') : tr('已取消平台自营标记', 'No longer marked as the platform\'s own'));
      ownForm.resetFields(['reason']);
      detail.reload();
    } catch (err) {
      if (err.field) ownForm.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else message.error(errorText(err));
    }
  }
  async function inviteStaff(v) {
    try {
      const r = await api.post(`/api/v1/ops/institutions/${id}/staff`, v);
      setInvite(r);
      staffForm.resetFields();
      detail.reload();
    } catch (err) {
      if (err.field) staffForm.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else message.error(errorText(err));
    }
  }

  return (
    <Async state={detail}>
      {([{ institution: inst, history }, staff]) => (
        <>
          <PageHeader title={inst.name} sub={`${inst.short_name} · ${nameOf(INSTITUTION_TYPES, inst.type)}`} extra={<StatusTag status={inst.status} table={INSTITUTION_STATUS} />} />
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            <Card title={tr('基本信息', 'Details')}>
              <Descriptions column={2} items={[
                { key: 'id', label: 'ID', children: <span className="mono">{inst.id}</span> },
                { key: 'status', label: tr('状态', 'Status'), children: <StatusTag status={inst.status} table={INSTITUTION_STATUS} /> },
                { key: 'created', label: tr('创建时间', 'Created'), children: formatDateTime(inst.created_ms) },
                { key: 'demo', label: tr('演示数据', 'Demo'), children: inst.demo ? tr('是', 'yes') : tr('否', 'no') },
                { key: 'own', label: tr('平台自营', "Platform's own"), children: inst.platform_own ? <Tag color="gold">{tr('平台自营', "Platform's own")}</Tag> : tr('否', 'no') },
              ]} />
            </Card>
            {admin && (
              <Card title={tr('变更状态', 'Change status')}>
                <Form form={statusForm} layout="inline" onFinish={changeStatus}>
                  <Form.Item name="status" label={tr('新状态', 'New status')} rules={[{ required: true, message: tr('请选择', 'Choose one') }]}>
                    <Select style={{ width: 160 }} options={(NEXT[inst.status] ?? []).map((s) => ({ value: s, label: nameOf(INSTITUTION_STATUS, s) }))} />
                  </Form.Item>
                  <Form.Item name="reason" label={tr('原因', 'Reason')} rules={[{ required: true, max: 500, message: tr('请填写原因（1–500 字）', 'A reason, 1–500 characters') }]}>
                    <Input style={{ width: 320 }} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit">{tr('确认变更', 'Change')}</Button>
                </Form>
              </Card>
            )}
            <Card title={tr('状态历史', 'History')}>
              <Timeline items={history.map((h) => ({ key: h.at_ms, content: `${formatDateTime(h.at_ms)}  ${h.from ? nameOf(INSTITUTION_STATUS, h.from) : tr('创建', 'created')} → ${nameOf(INSTITUTION_STATUS, h.to)}  ${h.reason}` }))} />
            </Card>
            <Card title={tr('机构员工', 'Staff')}>
              <Table rowKey="id" size="small" pagination={false} dataSource={staff.items} columns={[
                { title: tr('账号', 'Login'), dataIndex: 'login' },
                { title: tr('姓名', 'Name'), dataIndex: 'display_name' },
                { title: tr('角色', 'Role'), dataIndex: 'role', render: (v) => nameOf(ROLE_NAMES, v) },
                { title: tr('状态', 'Status'), dataIndex: 'status' },
              ]} />
              {admin && (
                <Form form={staffForm} layout="inline" onFinish={inviteStaff} initialValues={{ role: 'inst_admin' }} style={{ marginTop: 16 }}>
                  <Form.Item name="login" label={tr('登录名', 'Login')} rules={[{ required: true, pattern: /^[a-z][a-z0-9._-]{2,31}$/, message: tr('3–32 位小写字母、数字、._-，字母开头', '3–32 of a-z 0-9 . _ -, starting with a letter') }]}><Input /></Form.Item>
                  <Form.Item name="display_name" label={tr('姓名', 'Name')} rules={[{ required: true, max: 64 }]}><Input /></Form.Item>
                  <Form.Item name="role" label={tr('角色', 'Role')}><Select style={{ width: 150 }} options={['inst_admin', 'inst_operator', 'inst_compliance'].map((r) => ({ value: r, label: nameOf(ROLE_NAMES, r) }))} /></Form.Item>
                  <Button type="primary" htmlType="submit">{tr('邀请员工', 'Invite')}</Button>
                </Form>
              )}
            </Card>
            {admin && (
              <Card title={tr('平台自营标记', "The platform's own")}>
                <Typography.Paragraph type="secondary">
                  {tr('该标记向所有人公开显示（机构与推荐位上），公平规则的评分与分配不读取它：每日公布的记录中没有这一项。',
                    'The mark is shown to everyone, on institutions and recommendations; nothing that scores or allocates reads it: the daily record has no such member.')}
                </Typography.Paragraph>
                <Form form={ownForm} name="platform_own_form" layout="inline" onFinish={markOwn} initialValues={{ platform_own: inst.platform_own }} key={String(inst.platform_own)}>
                  <Form.Item name="platform_own" label={tr('平台自营', "Platform's own")} valuePropName="checked"><Switch /></Form.Item>
                  <Form.Item name="reason" label={tr('标记理由', 'Why')} rules={[{ required: true, max: 500, message: tr('请填写原因（1–500 字）', 'A reason, 1–500 characters') }]}>
                    <Input style={{ width: 320 }} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit">{tr('保存标记', 'Save')}</Button>
                </Form>
              </Card>
            )}
          </Space>
          <InviteResult invite={invite} onClose={() => setInvite(null)} />
        </>
      )}
    </Async>
  );
}
