import { useState } from 'react';
import { Button, Form, Input, Tabs, Toast } from 'antd-mobile';
import { api, login, logout } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { navigate, useLocation } from '../../lib/router.js';
import { useSession } from '../session.js';
import { Page } from '../ui.jsx';

const MOBILE = /^1[3-9]\d{9}$/;
const PASSWORD = /^(?=.*[A-Za-z])(?=.*\d).{8,128}$/;

export default function Login() {
  const { query } = useLocation();
  const { refresh } = useSession();
  const [tab, setTab] = useState(query.get('tab') === 'register' ? 'register' : 'login');
  const [busy, setBusy] = useState(false);
  const next = query.get('next') || '/';

  async function signIn(loginName, password) {
    const user = await login(loginName, password);
    if (user.role !== 'investor') {
      await logout().catch(() => {});
      throw new Error(tr('这是机构或平台账号，请在管理后台 /console 登录',
        'This is a staff account: sign in at /console'));
    }
    await refresh();
    navigate(next.startsWith('/') ? next : '/', { replace: true });
  }

  async function onLogin(v) {
    setBusy(true);
    try {
      await signIn(v.login.trim(), v.password);
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  async function onRegister(v) {
    setBusy(true);
    try {
      const body = { mobile: v.mobile.trim(), password: v.password };
      if (v.display_name?.trim()) body.display_name = v.display_name.trim();
      await api.post('/api/v1/auth/register', body);
      Toast.show({ icon: 'success', content: tr('注册成功', 'Registered') });
      await signIn(body.mobile, v.password);
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  const submit = (label) => (
    <Button block type="submit" color="primary" size="large" loading={busy}>{label}</Button>
  );

  return (
    <Page title={tr('登录财富号', 'Sign in')}>
      <Tabs activeKey={tab} onChange={setTab}>
        <Tabs.Tab title={tr('登录', 'Sign in')} key="login">
          <Form name="signin" layout="vertical" onFinish={onLogin} footer={submit(tr('登录', 'Sign in'))}>
            <Form.Item name="login" label={tr('手机号', 'Mobile number')}
              rules={[{ required: true, message: tr('请输入手机号', 'Enter your mobile number') }]}>
              <Input placeholder={tr('11 位手机号', '11-digit mobile number')} clearable
                autoComplete="username" />
            </Form.Item>
            <Form.Item name="password" label={tr('密码', 'Password')}
              rules={[{ required: true, message: tr('请输入密码', 'Enter your password') }]}>
              <Input type="password" placeholder={tr('密码', 'Password')} autoComplete="current-password" />
            </Form.Item>
          </Form>
        </Tabs.Tab>
        <Tabs.Tab title={tr('注册', 'Register')} key="register">
          <Form name="register" layout="vertical" onFinish={onRegister} footer={submit(tr('注册并登录', 'Register and sign in'))}>
            <Form.Item name="mobile" label={tr('手机号', 'Mobile number')}
              rules={[{ required: true, message: tr('请输入手机号', 'Enter your mobile number') },
                { pattern: MOBILE, message: tr('请输入 11 位大陆手机号', 'An 11-digit mainland number') }]}>
              <Input placeholder={tr('11 位手机号', '11-digit mobile number')} clearable autoComplete="tel" />
            </Form.Item>
            <Form.Item name="password" label={tr('设置密码', 'Password')}
              rules={[{ required: true, message: tr('请设置密码', 'Choose a password') },
                { pattern: PASSWORD, message: tr('8 位以上，含字母和数字', 'At least 8 characters with a letter and a digit') }]}>
              <Input type="password" placeholder={tr('8 位以上，含字母和数字', '8+ characters, letters and digits')}
                autoComplete="new-password" />
            </Form.Item>
            <Form.Item name="display_name" label={tr('昵称（选填）', 'Display name (optional)')}>
              <Input placeholder={tr('昵称', 'Display name')} maxLength={64} />
            </Form.Item>
          </Form>
        </Tabs.Tab>
      </Tabs>
    </Page>
  );
}
