import { Badge, Button, Dialog, List } from 'antd-mobile';
import { api, ApiError, logout } from '../../lib/api.js';
import { CATEGORY_NAMES, getLang, nameOf, setLang, tr } from '../../lib/i18n.js';
import { formatMoney } from '../../lib/money.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Empty, Loading, Page } from '../ui.jsx';

const orNull = (p) => p.catch((e) => {
  if (e instanceof ApiError && e.status === 404) return null;
  throw e;
});

export default function Me() {
  const { user, ready, refresh, other } = useSession();
  const state = useAsync(async () => {
    if (!user) return null;
    const [cash, assessment, profile, unread, marketing] = await Promise.all([
      api.get('/api/v1/investor/cash'),
      orNull(api.get('/api/v1/investor/assessment')),
      orNull(api.get('/api/v1/investor/profile')),
      api.get('/api/v1/investor/messages/unread'),
      api.get('/api/v1/investor/marketing').catch(() => null),
    ]);
    return { cash: cash.cash, assessment: assessment?.assessment, profile: profile?.profile, unread: unread.unread,
      marketing: marketing?.marketing ?? null };
  }, [user?.id]);
  if (!ready) return <Loading />;
  const langItem = (
    <List.Item extra={getLang() === 'zh' ? '中文' : 'English'} onClick={() => setLang(getLang() === 'zh' ? 'en' : 'zh')}>
      {tr('语言 / Language', 'Language / 语言')}
    </List.Item>
  );
  if (!user) {
    return (
      <Page title={tr('我的', 'Me')} noBack>
        <Empty title={other ? tr('当前为机构或平台账号，请在管理后台使用', 'Signed in with a staff account: use /console') : tr('登录后管理您的账户', 'Sign in to manage your account')}
          action={<Button color="primary" onClick={() => navigate('/login?next=/me')}>{tr('登录 / 注册', 'Sign in / Register')}</Button>} />
        <List>{langItem}</List>
      </Page>
    );
  }
  return (
    <Page title={tr('我的', 'Me')} noBack>
      <Async state={state}>
        {(d) => (
          <>
            <section className="hero">
              <div className="row"><h1 style={{ fontSize: 18 }}>{user.display_name}</h1><span>{user.login.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2')}</span></div>
              <div className="row" style={{ marginTop: 12 }}>
                <div><div className="figure">{formatMoney(d.cash.available)}</div><div style={{ fontSize: 12, opacity: 0.8 }}>{tr('可用现金（元）', 'Available cash')}</div></div>
                <div style={{ textAlign: 'right', fontSize: 12 }}>
                  <div>{tr('冻结', 'Held')} {formatMoney(d.cash.held)}</div>
                  <div>{tr('在途', 'In transit')} {formatMoney(d.cash.in_transit)}</div>
                </div>
              </div>
            </section>
            <List header={tr('账户', 'Account')}>
              <List.Item onClick={() => navigate('/profile')} extra={d.profile?.verified ? `${tr('已认证', 'Verified')} ${d.profile.real_name}` : tr('未认证', 'Not verified')}>{tr('实名认证与银行卡', 'Identity and bank card')}</List.Item>
              <List.Item onClick={() => navigate('/cash')}>{tr('充值 / 提现', 'Top up / withdraw')}</List.Item>
              <List.Item onClick={() => navigate('/risk')} extra={d.assessment ? `${d.assessment.category} ${nameOf(CATEGORY_NAMES, d.assessment.category)}${d.assessment.valid ? '' : tr('（已过期）', ' (expired)')}` : tr('未测评', 'Not assessed')}>{tr('风险测评', 'Risk assessment')}</List.Item>
              <List.Item onClick={() => navigate('/professional')}>{tr('专业投资者申请', 'Professional investor')}</List.Item>
            </List>
            <List header={tr('交易', 'Trading')}>
              <List.Item onClick={() => navigate('/holdings')}>{tr('我的持仓', 'Holdings')}</List.Item>
              <List.Item onClick={() => navigate('/orders')}>{tr('我的订单', 'Orders')}</List.Item>
            </List>
            <List header={tr('互动', 'Community')}>
              <List.Item onClick={() => navigate('/messages')} extra={d.unread > 0 ? <Badge content={d.unread} /> : null}>{tr('消息', 'Messages')}</List.Item>
              <List.Item onClick={() => navigate('/follows')}>{tr('我的关注', 'Following')}</List.Item>
              <List.Item onClick={() => navigate('/questions')}>{tr('我的提问', 'My questions')}</List.Item>
              <List.Item onClick={() => navigate('/comments')}>{tr('我的评论', 'My comments')}</List.Item>
              <List.Item onClick={() => navigate('/reports')}>{tr('我的举报', 'My reports')}</List.Item>
            </List>
            <List header={tr('设置', 'Settings')}>
              {langItem}
              <List.Item onClick={() => navigate('/marketing')}
                extra={d.marketing ? (d.marketing.opted_out ? tr('已关闭', 'Off') : tr('已开启', 'On')) : null}>
                {tr('个性化营销', 'Personalised marketing')}
              </List.Item>
              <List.Item onClick={async () => {
                if (await Dialog.confirm({ content: tr('确定退出登录？', 'Sign out?') })) {
                  await logout().catch(() => {});
                  await refresh();
                  navigate('/');
                }
              }}>{tr('退出登录', 'Sign out')}</List.Item>
            </List>
          </>
        )}
      </Async>
    </Page>
  );
}
