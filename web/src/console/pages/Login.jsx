import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Tabs, Typography } from 'antd';
import { api, login, logout } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { useLocation } from '../../lib/router.js';

const PASSWORD = /^(?=.*[A-Za-z])(?=.*\d).{8,128}$/;

export default function Login({ onLogin, investor }) {
  const { query } = useLocation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [tab, setTab] = useState(query.get('invite') ? 'invite' : 'login');

  async function signIn(v) {
    setBusy(true);
    setError(null);
    try {
      const user = await login(v.login.trim(), v.password);
      if (user.role === 'investor') {
        await logout().catch(() => {});
        throw new Error(tr('投资者请使用财富号 App（首页 /）登录', 'Investors sign in in the app at /'));
      }
      onLogin(user);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function accept(v) {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post('/api/v1/auth/accept-invite', { token: v.token.trim(), password: v.password });
      message.success(tr('账号已激活，请登录', 'Account activated: sign in'));
      await signIn({ login: r.user.login, password: v.password });
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <div className="login-wrap">
      <Card className="login-card">
        <Typography.Title level={3} style={{ textAlign: 'center' }}>{tr('财富号管理后台', 'Caifuhao Console')}</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>{tr('机构员工与平台运营人员登录', 'For institution staff and platform operators')}</Typography.Paragraph>
        {investor && <Alert type="info" showIcon title={tr('当前为投资者账号，请使用员工账号登录', 'Signed in as an investor: sign in with a staff account')} style={{ marginBottom: 12 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
        <Tabs activeKey={tab} onChange={setTab} items={[
          { key: 'login', label: tr('登录', 'Sign in'), children: (
            <Form layout="vertical" onFinish={signIn} requiredMark={false}>
              <Form.Item name="login" label={tr('账号', 'Login')} rules={[{ required: true, message: tr('请输入账号', 'Enter your login') }]}>
                <Input autoComplete="username" />
              </Form.Item>
              <Form.Item name="password" label={tr('密码', 'Password')} rules={[{ required: true, message: tr('请输入密码', 'Enter your password') }]}>
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy}>{tr('登录', 'Sign in')}</Button>
            </Form>
          ) },
          { key: 'invite', label: tr('激活邀请', 'Accept invitation'), children: (
            <Form layout="vertical" onFinish={accept} requiredMark={false} initialValues={{ token: query.get('invite') ?? '' }}>
              <Form.Item name="token" label={tr('邀请码', 'Invitation code')} rules={[{ required: true, message: tr('请输入邀请码', 'Enter the code') }]}>
                <Input />
              </Form.Item>
              <Form.Item name="password" label={tr('设置密码', 'Choose a password')} rules={[{ required: true, message: tr('请设置密码', 'Choose a password') }, { pattern: PASSWORD, message: tr('8 位以上，含字母和数字', '8+ characters with a letter and a digit') }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy}>{tr('激活并登录', 'Activate and sign in')}</Button>
            </Form>
          ) },
        ]} />
      </Card>
    </div>
  );
}
