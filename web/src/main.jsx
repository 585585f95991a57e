// One page for both front ends: /console/... loads the console (antd), everything else the
// investor app (antd-mobile). Each is its own chunk, so a phone never downloads the console.
import { createRoot } from 'react-dom/client';
import { getLang } from './lib/i18n.js';

document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
const root = createRoot(document.getElementById('root'));
const isConsole = location.pathname === '/console' || location.pathname.startsWith('/console/');

// Each app's import() stands alone in a table: written as one ternary of two imports, the
// build preloaded the investor app's stylesheet for both, and the console rendered without
// console.css.
const apps = {
  console: () => import('./console/App.jsx'),
  investor: () => import('./investor/App.jsx'),
};

apps[isConsole ? 'console' : 'investor']().then(({ default: App }) => root.render(<App />)).catch(() => {
  document.getElementById('root').textContent = '加载失败，请刷新重试 (failed to load, reload)';
});
