// The investor app (phone-first, antd-mobile) at /. The home screen is in this chunk; every
// other screen loads when it is first opened.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ConfigProvider, SafeArea, TabBar, unstableSetRender } from 'antd-mobile';
import { createRoot } from 'react-dom/client';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import enUS from 'antd-mobile/es/locales/en-US';
import { AppOutline, MessageOutline, PayCircleOutline, UserOutline } from 'antd-mobile-icons';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { currentUser, setUnauthenticatedHandler } from '../lib/api.js';
import { events, flushOnPageHide } from '../lib/events.js';
import { tr, useLang } from '../lib/i18n.js';
import { navigate, pick, useLocation } from '../lib/router.js';
import { SessionContext } from './session.js';
import { Loading } from './ui.jsx';
import Home from './pages/Home.jsx';
import './investor.css';

// antd-mobile 5 renders Dialog.alert and Toast.show with the legacy ReactDOM.render, which
// React 19 removed: give it a root of its own per container.
unstableSetRender((node, container) => {
  // eslint-disable-next-line no-param-reassign
  container.cfhRoot ??= createRoot(container);
  const root = container.cfhRoot;
  root.render(node);
  return async () => {
    await new Promise((r) => { setTimeout(r, 0); });
    root.unmount();
  };
});

const Login = lazy(() => import('./pages/Login.jsx'));
const Zone = lazy(() => import('./pages/Zone.jsx'));
const Product = lazy(() => import('./pages/Product.jsx'));
const Buy = lazy(() => import('./pages/Buy.jsx'));
const Redeem = lazy(() => import('./pages/Redeem.jsx'));
const OrderDetail = lazy(() => import('./pages/OrderDetail.jsx'));
const Orders = lazy(() => import('./pages/Orders.jsx'));
const Holdings = lazy(() => import('./pages/Holdings.jsx'));
const Me = lazy(() => import('./pages/Me.jsx'));
const Profile = lazy(() => import('./pages/Profile.jsx'));
const Cash = lazy(() => import('./pages/Cash.jsx'));
const Risk = lazy(() => import('./pages/Risk.jsx'));
const Messages = lazy(() => import('./pages/Messages.jsx'));
const Follows = lazy(() => import('./pages/Follows.jsx'));
const MyQuestions = lazy(() => import('./pages/MyQuestions.jsx'));
const Consent = lazy(() => import('./pages/Consent.jsx'));
const Article = lazy(() => import('./pages/Article.jsx'));
const Professional = lazy(() => import('./pages/Professional.jsx'));
const Manager = lazy(() => import('./pages/Manager.jsx'));
const Search = lazy(() => import('./pages/Search.jsx'));
const Reports = lazy(() => import('./pages/Reports.jsx'));
const MyComments = lazy(() => import('./pages/MyComments.jsx'));
const Marketing = lazy(() => import('./pages/Marketing.jsx'));

const routes = [
  ['/', () => <Home />],
  ['/login', () => <Login />],
  ['/zone/:id', (p) => <Zone id={p.id} />],
  ['/product/:id', (p) => <Product id={p.id} />],
  ['/buy/:id', (p) => <Buy id={p.id} />],
  ['/redeem/:id', (p) => <Redeem id={p.id} />],
  ['/orders/:id', (p) => <OrderDetail id={p.id} />],
  ['/orders', () => <Orders />],
  ['/holdings', () => <Holdings />],
  ['/me', () => <Me />],
  ['/profile', () => <Profile />],
  ['/cash', () => <Cash />],
  ['/risk', () => <Risk />],
  ['/messages', () => <Messages />],
  ['/follows', () => <Follows />],
  ['/questions', () => <MyQuestions />],
  ['/consent/:id', (p) => <Consent id={p.id} />],
  ['/content/:id', (p) => <Article id={p.id} />],
  ['/professional', () => <Professional />],
  ['/manager/:id', (p) => <Manager id={p.id} />],
  ['/search', () => <Search />],
  ['/reports', () => <Reports />],
  ['/comments', () => <MyComments />],
  ['/marketing', () => <Marketing />],
];

const TABS = ['/', '/holdings', '/messages', '/me'];

export default function App() {
  const lang = useLang();
  const { path } = useLocation();
  const [session, setSession] = useState({ user: null, ready: false });

  const refresh = useCallback(async () => {
    try {
      const user = await currentUser();
      setSession({ user: user && user.role === 'investor' ? user : null, other: user, ready: true });
    } catch {
      setSession({ user: null, ready: true });
    }
  }, []);

  useEffect(() => {
    refresh();
    setUnauthenticatedHandler(() => setSession({ user: null, ready: true }));
  }, [refresh]);

  // Interaction events go only for a signed-in investor; they wait until the session is known.
  useEffect(() => {
    if (session.ready) events.setSignedIn(!!session.user);
  }, [session.ready, session.user]);
  useEffect(() => flushOnPageHide(), []);

  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);

  const ctx = useMemo(() => ({ ...session, refresh }), [session, refresh]);
  const page = pick(routes, path) ?? <Home />;
  const tab = TABS.includes(path);

  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS}>
      <SessionContext.Provider value={ctx}>
        <div className={`app ${tab ? 'with-tabs' : ''}`} key={lang}>
          <Suspense fallback={<Loading />}>{page}</Suspense>
          {tab && (
            <nav className="tabbar" aria-label={tr('主导航', 'Main')}>
              <TabBar activeKey={path} onChange={(k) => navigate(k)} safeArea>
                <TabBar.Item key="/" icon={<AppOutline />} title={tr('首页', 'Home')} />
                <TabBar.Item key="/holdings" icon={<PayCircleOutline />}
                  title={tr('持仓', 'Holdings')} />
                <TabBar.Item key="/messages" icon={<MessageOutline />}
                  title={tr('消息', 'Messages')} />
                <TabBar.Item key="/me" icon={<UserOutline />} title={tr('我的', 'Me')} />
              </TabBar>
            </nav>
          )}
          <SafeArea position="bottom" />
        </div>
      </SessionContext.Provider>
    </ConfigProvider>
  );
}
