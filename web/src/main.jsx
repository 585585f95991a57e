// One page for both front ends: /console/... loads the console (antd), everything else the
// investor app (antd-mobile). Each is its own chunk, so a phone never downloads the console.
import { createRoot } from 'react-dom/client';
import { getLang } from './lib/i18n.js';

document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
const root = createRoot(document.getElementById('root'));
const isConsole = location.pathname === '/console' || location.pathname.startsWith('/console/');

const load = isConsole ? import('./console/App.jsx') : import('./investor/App.jsx');
load.then(({ default: App }) => root.render(<App />)).catch(() => {
  document.getElementById('root').textContent = '加载失败，请刷新重试 (failed to load, reload)';
});
