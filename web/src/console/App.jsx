// The console at /console (antd): one app for institution staff and platform operators; the
// menu follows the signed-in user's role (GET /api/v1/me).
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, Badge, Button, ConfigProvider, Dropdown, Layout, Menu, Spin, Tag, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { api, currentUser, logout, setUnauthenticatedHandler } from '../lib/api.js';
import { getLang, nameOf, ROLE_NAMES, setLang, tr, useLang } from '../lib/i18n.js';
import { navigate, pick, useLocation } from '../lib/router.js';
import Login from './pages/Login.jsx';
import './console.css';

const InstHome = lazy(() => import('./pages/InstHome.jsx'));
const ZoneEditor = lazy(() => import('./pages/ZoneEditor.jsx'));
const Products = lazy(() => import('./pages/Products.jsx'));
const ProductNew = lazy(() => import('./pages/ProductNew.jsx'));
const ProductDetail = lazy(() => import('./pages/ProductDetail.jsx'));
const HeldNavs = lazy(() => import('./pages/HeldNavs.jsx'));
const Contents = lazy(() => import('./pages/Contents.jsx'));
const ContentEditor = lazy(() => import('./pages/ContentEditor.jsx'));
const Questions = lazy(() => import('./pages/Questions.jsx'));
const Messages = lazy(() => import('./pages/Messages.jsx'));
const Notifications = lazy(() => import('./pages/Notifications.jsx'));
const Staff = lazy(() => import('./pages/Staff.jsx'));
const Customers = lazy(() => import('./pages/Customers.jsx'));
const Institutions = lazy(() => import('./pages/Institutions.jsx'));
const InstitutionDetail = lazy(() => import('./pages/InstitutionDetail.jsx'));
const Review = lazy(() => import('./pages/Review.jsx'));
const Lexicon = lazy(() => import('./pages/Lexicon.jsx'));
const Calendar = lazy(() => import('./pages/Calendar.jsx'));
const Audit = lazy(() => import('./pages/Audit.jsx'));
const Professional = lazy(() => import('./pages/Professional.jsx'));
const Questionnaire = lazy(() => import('./pages/Questionnaire.jsx'));
const Managers = lazy(() => import('./pages/Managers.jsx'));
const ManagerEditor = lazy(() => import('./pages/ManagerEditor.jsx'));
const Campaigns = lazy(() => import('./pages/Campaigns.jsx'));
const CampaignNew = lazy(() => import('./pages/CampaignNew.jsx'));
const CampaignDetail = lazy(() => import('./pages/CampaignDetail.jsx'));
const Dashboard = lazy(() => import('./pages/Dashboard.jsx'));
const Trades = lazy(() => import('./pages/Trades.jsx'));
const FairScore = lazy(() => import('./pages/FairScore.jsx'));
const FairRules = lazy(() => import('./pages/FairRules.jsx'));
const FairRuleEditor = lazy(() => import('./pages/FairRules.jsx').then((m) => ({ default: m.FairRuleEditor })));
const FairDays = lazy(() => import('./pages/FairDays.jsx'));
const FairDay = lazy(() => import('./pages/FairDays.jsx').then((m) => ({ default: m.FairDay })));

const INST = ['inst_admin', 'inst_operator', 'inst_compliance'];
const OPS = ['ops_admin', 'ops_reviewer', 'ops_risk'];
const EDITORS = ['inst_admin', 'inst_operator'];
const HELD_NAVS = '/console/navs/held';

function menuFor(role) {
  if (INST.includes(role)) {
    return [
      { key: '/console/inst', label: tr('机构概览', 'Overview') },
      { key: '/console/dashboard', label: tr('数据看板', 'Dashboard') },
      { key: '/console/trades', label: tr('交易对账', 'Trade reconciliation') },
      { key: '/console/fair-score', label: tr('公平规则得分', 'Fair rule score') },
      { key: '/console/zone', label: tr('专区装修', 'Zone') },
      { key: '/console/products', label: tr('产品与净值', 'Products & NAV') },
      { key: HELD_NAVS, label: tr('待复核净值', 'NAVs to confirm') },
      { key: '/console/contents', label: tr('内容发布', 'Content') },
      { key: '/console/managers', label: tr('基金经理', 'Fund managers') },
      { key: '/console/campaigns', label: tr('营销活动', 'Campaigns') },
      { key: '/console/questions', label: tr('问答', 'Q&A') },
      { key: '/console/messages', label: tr('消息', 'Messages') },
      { key: '/console/notifications', label: tr('审核通知', 'Notifications') },
      { key: '/console/customers', label: tr('授权客户', 'Customers') },
      { key: '/console/staff', label: tr('员工管理', 'Staff') },
    ];
  }
  const items = [
    { key: '/console/institutions', label: tr('机构入驻', 'Institutions') },
    { key: '/console/review', label: tr('审核队列', 'Review queue') },
    { key: '/console/lexicon', label: tr('合规词库', 'Lexicon') },
    { key: '/console/questionnaire', label: tr('风险问卷', 'Questionnaire') },
    { key: '/console/calendar', label: tr('交易日历', 'Calendar') },
    { key: '/console/platform-dashboard', label: tr('平台数据看板', 'Platform dashboard') },
    { key: '/console/fair-rules', label: tr('公平规则', 'Fair rule') },
    { key: '/console/fair-days', label: tr('每日公布', 'Published days') },
  ];
  if (role === 'ops_admin' || role === 'ops_risk') items.push({ key: '/console/audit', label: tr('审计日志', 'Audit log') });
  items.push({ key: '/console/professional', label: tr('专业投资者', 'Professional investors') });
  return items;
}

function routesFor(user, onHeldCount) {
  const role = user.role;
  const canEdit = EDITORS.includes(role);
  if (INST.includes(role)) {
    return [
      ['/console/inst', () => <InstHome user={user} />],
      ['/console/dashboard', () => <Dashboard scope="inst" />],
      ['/console/trades', () => <Trades />],
      ['/console/fair-score', () => <FairScore />],
      ['/console/zone', () => <ZoneEditor canEdit={canEdit} />],
      ['/console/products', () => <Products canEdit={canEdit} />],
      ['/console/products/new', () => <ProductNew />],
      ['/console/products/:id', (p) => <ProductDetail id={p.id} canEdit={canEdit} />],
      [HELD_NAVS, () => <HeldNavs role={role} onCount={onHeldCount} />],
      ['/console/contents', () => <Contents canEdit={canEdit} />],
      ['/console/contents/new', () => <ContentEditor />],
      ['/console/contents/:id', (p) => <ContentEditor id={p.id} canEdit={canEdit} />],
      ['/console/managers', () => <Managers canEdit={canEdit} />],
      ['/console/managers/new', () => <ManagerEditor canEdit={canEdit} />],
      ['/console/managers/:id', (p) => <ManagerEditor id={p.id} canEdit={canEdit} />],
      ['/console/campaigns', () => <Campaigns canEdit={canEdit} />],
      ['/console/campaigns/new', () => <CampaignNew />],
      ['/console/campaigns/:id', (p) => <CampaignDetail id={p.id} canEdit={canEdit} />],
      ['/console/campaigns/:id/edit', (p) => <CampaignNew key={p.id} id={p.id} />],
      ['/console/questions', () => <Questions canEdit={canEdit} />],
      ['/console/messages', () => <Messages canEdit={canEdit} />],
      ['/console/notifications', () => <Notifications />],
      ['/console/customers', () => <Customers />],
      ['/console/staff', () => <Staff user={user} />],
    ];
  }
  return [
    ['/console/institutions', () => <Institutions role={role} />],
    ['/console/institutions/:id', (p) => <InstitutionDetail id={p.id} role={role} />],
    ['/console/review', () => <Review role={role} />],
    ['/console/lexicon', () => <Lexicon role={role} />],
    ['/console/questionnaire', () => <Questionnaire role={role} />],
    ['/console/calendar', () => <Calendar role={role} />],
    ['/console/audit', () => <Audit />],
    ['/console/platform-dashboard', () => <Dashboard scope="ops" />],
    ['/console/fair-rules', () => <FairRules role={role} />],
    ['/console/fair-rules/new', () => <FairRuleEditor role={role} />],
    ['/console/fair-rules/:version', (p) => <FairRuleEditor key={p.version} version={p.version} role={role} />],
    ['/console/fair-days', () => <FairDays />],
    ['/console/fair-days/:date', (p) => <FairDay key={p.date} date={p.date} />],
    ['/console/professional', () => <Professional role={role} />],
  ];
}

function Shell({ user, onLogout }) {
  const { path } = useLocation();
  const lang = useLang();
  const items = useMemo(() => menuFor(user.role), [user.role, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const inst = INST.includes(user.role);
  // How many NAVs wait for a second confirmation, on their menu item: asked again on every
  // page change, and told by the page itself after each of its loads.
  const [heldCount, setHeldCount] = useState(0);
  useEffect(() => {
    if (!inst || path === HELD_NAVS) return undefined;
    let live = true;
    api.get('/api/v1/inst/navs/held').then((r) => { if (live) setHeldCount(r.items.length); }, () => {});
    return () => { live = false; };
  }, [inst, path]);
  // Each label is a real link so that Tab reaches every section (and it can open in a new tab).
  const menuItems = useMemo(() => items.map((i) => ({ ...i, label: (
    <a href={i.key}>{i.label}{i.key === HELD_NAVS && heldCount > 0 && (
      <Badge count={heldCount} size="small" style={{ marginLeft: 8, boxShadow: 'none' }} title={tr(`${heldCount} 条待复核`, `${heldCount} held`)} />
    )}</a>
  ) })), [items, heldCount]);
  const home = items[0].key;
  useEffect(() => {
    if (path === '/console' || path === '/console/' || path === '/console/login' || path === '/console/invite') navigate(home, { replace: true });
  }, [path, home]);
  const page = pick(routesFor(user, setHeldCount), path);
  const onMenu = ({ key, domEvent: e }) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey) return; // the browser opens the link elsewhere
    e.preventDefault();
    navigate(key);
  };
  const selected = items.map((i) => i.key).filter((k) => path === k || path.startsWith(`${k}/`)).sort((a, b) => b.length - a.length)[0];
  return (
    <Layout className="console-layout">
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={208}>
        <div className="console-brand">{tr('财富号 · 管理后台', 'Caifuhao Console')}</div>
        <nav aria-label={tr('功能菜单', 'Sections')}>
          <Menu theme="dark" mode="inline" selectedKeys={selected ? [selected] : []} items={menuItems}
            aria-label={tr('功能菜单', 'Sections')} onClick={onMenu} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="console-header">
          <span><Tag color={INST.includes(user.role) ? 'blue' : 'purple'}>{nameOf(ROLE_NAMES, user.role)}</Tag></span>
          <span style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
            <Button size="small" onClick={() => setLang(getLang() === 'zh' ? 'en' : 'zh')} aria-label={getLang() === 'zh' ? 'Switch to English' : '切换到中文'}>{getLang() === 'zh' ? 'EN' : '中文'}</Button>
            <Dropdown menu={{ items: [{ key: 'logout', label: tr('退出登录', 'Sign out') }], onClick: onLogout }}>
              <Button type="text">{user.display_name}（{user.login}）</Button>
            </Dropdown>
          </span>
        </Layout.Header>
        <Layout.Content className="console-content">
          <main>
            <Suspense fallback={<div className="center"><Spin /></div>}>
              {page ?? <div className="center"><Spin /></div>}
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

export default function App() {
  const lang = useLang();
  const [state, setState] = useState({ user: null, ready: false });
  const refresh = useCallback(async () => {
    try {
      const user = await currentUser();
      setState({ user, ready: true });
    } catch {
      setState({ user: null, ready: true });
    }
  }, []);
  useEffect(() => {
    refresh();
    setUnauthenticatedHandler(() => setState({ user: null, ready: true }));
  }, [refresh]);
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);
  const staff = state.user && state.user.role !== 'investor';
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ algorithm: theme.defaultAlgorithm }}>
      <AntApp key={lang}>
        {!state.ready ? <div className="center"><Spin /></div>
          : staff ? <Shell user={state.user} onLogout={async () => { await logout().catch(() => {}); setState({ user: null, ready: true }); navigate('/console/login'); }} />
            : <Login investor={state.user} onLogin={(user) => setState({ user, ready: true })} />}
      </AntApp>
    </ConfigProvider>
  );
}
