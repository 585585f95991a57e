import { useState } from 'react';
import { Button, Dialog, Form, Input, List, Toast } from 'antd-mobile';
import { api, ApiError } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Loading, Page, requireLogin } from '../ui.jsx';

export default function Profile() {
  const { user, ready } = useSession();
  const state = useAsync(() => (user ? api.get('/api/v1/investor/profile').catch((e) => {
    if (e instanceof ApiError && e.status === 404) return { profile: null };
    throw e;
  }) : Promise.resolve(null)), [user?.id]);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  async function onFinish(v) {
    setBusy(true);
    try {
      await api.put('/api/v1/investor/profile', { real_name: v.real_name.trim(), id_number: v.id_number.trim(), bank_card: v.bank_card.replace(/\s+/g, '') });
      Toast.show({ icon: 'success', content: tr('认证成功', 'Verified') });
      state.reload();
      navigate('/me', { replace: true });
    } catch (err) {
      if (err.field) form.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else Dialog.alert({ content: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Page title={tr('实名认证', 'Identity')}>
      <Async state={state}>
        {({ profile }) => (
          <>
            {profile?.verified && (
              <List header={tr('已认证信息', 'Verified')}>
                <List.Item extra={profile.real_name}>{tr('姓名', 'Name')}</List.Item>
                <List.Item extra={profile.id_number}>{tr('身份证号', 'ID number')}</List.Item>
                <List.Item extra={profile.bank_card}>{tr('银行卡', 'Bank card')}</List.Item>
              </List>
            )}
            <Form form={form} layout="vertical" onFinish={onFinish}
              footer={<Button block type="submit" color="primary" size="large" loading={busy}>{profile?.verified ? tr('更换银行卡', 'Change bank card') : tr('提交认证', 'Verify')}</Button>}>
              <Form.Header>{tr('信息加密存储，仅显示脱敏结果', 'Stored sealed; only masked values are shown')}</Form.Header>
              <Form.Item name="real_name" label={tr('真实姓名', 'Real name')} rules={[{ required: true, message: tr('请输入姓名', 'Enter your name') }]}>
                <Input placeholder={tr('与身份证一致', 'As on your ID card')} />
              </Form.Item>
              <Form.Item name="id_number" label={tr('身份证号', 'ID number')} rules={[{ required: true, message: tr('请输入身份证号', 'Enter your ID number') }, { pattern: /^\d{17}[\dXx]$/, message: tr('18 位身份证号', '18 characters') }]}>
                <Input placeholder={tr('18 位居民身份证号', '18-character resident ID')} />
              </Form.Item>
              <Form.Item name="bank_card" label={tr('银行卡号', 'Bank card')} rules={[{ required: true, message: tr('请输入银行卡号', 'Enter your card number') }, { pattern: /^[\d\s]{16,23}$/, message: tr('16–19 位卡号', '16–19 digits') }]}>
                <Input placeholder={tr('本人借记卡', 'Your debit card')} inputMode="numeric" />
              </Form.Item>
            </Form>
          </>
        )}
      </Async>
    </Page>
  );
}
