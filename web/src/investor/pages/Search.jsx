// Search zones, funds and published content (GET /api/v1/public/search). One or two Chinese
// characters work too: the server scans for them when trigrams cannot. "全部" shows the first
// few of each kind; a kind's tab pages through all of it.
import { useEffect, useState } from 'react';
import { Avatar, Button, List, SearchBar, Tabs, Toast } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { CONTENT_KINDS, errorText, nameOf, PRODUCT_TYPES, tr } from '../../lib/i18n.js';
import { cleanQuery, markQuery, SEARCH_TYPES } from '../../lib/search.js';
import { formatDate } from '../../lib/time.js';
import { navigate, useLocation } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, Empty, Page, RiskTag } from '../ui.jsx';

const TYPE_NAMES = { zones: ['财富号', 'Zones'], products: ['基金', 'Funds'], contents: ['内容', 'Content'] };
const PREVIEW = 5;

function Marked({ text, q }) {
  return markQuery(text, q).map((s, i) => (s.hit ? <mark key={i} className="hit">{s.text}</mark> : <span key={i}>{s.text}</span>));
}

function Item({ type, x, q }) {
  if (type === 'zones') {
    return (
      <List.Item onClick={() => navigate(`/zone/${x.institution_id}`)} description={<Marked text={x.slogan} q={q} />}
        prefix={<Avatar src={x.logo_url ?? ''} alt="" style={{ '--size': '36px' }} fallback={<span className="avatar-text">{x.display_name.slice(0, 1)}</span>} />}>
        <Marked text={x.display_name} q={q} />
      </List.Item>
    );
  }
  if (type === 'products') {
    return (
      <List.Item onClick={() => navigate(`/product/${x.id}`)} extra={<RiskTag level={x.risk_level} />}
        description={<span><Marked text={x.code} q={q} /> · {nameOf(PRODUCT_TYPES, x.type)}</span>}>
        <Marked text={x.name} q={q} />
      </List.Item>
    );
  }
  return (
    <List.Item onClick={() => navigate(`/content/${x.id}`)} extra={nameOf(CONTENT_KINDS, x.kind)}
      description={formatDate(x.published_ms)}>
      <Marked text={x.title} q={q} />
    </List.Item>
  );
}

function Results({ type, q, limit, onMore }) {
  const first = useAsync(() => api.get('/api/v1/public/search', { q, type, limit }), [q, type, limit]);
  const [more, setMore] = useState({ items: [], next: undefined, busy: false });
  useEffect(() => setMore({ items: [], next: undefined, busy: false }), [q, type]);
  const next = more.next === undefined ? first.data?.next_cursor : more.next;
  async function loadMore() {
    setMore((m) => ({ ...m, busy: true }));
    try {
      const d = await api.get('/api/v1/public/search', { q, type, limit, cursor: next });
      setMore((m) => ({ items: [...m.items, ...d.items], next: d.next_cursor, busy: false }));
    } catch (err) {
      setMore((m) => ({ ...m, busy: false }));
      Toast.show({ content: errorText(err) });
    }
  }
  const label = tr(...TYPE_NAMES[type]);
  return (
    <section className="section" aria-label={tr(`${label}搜索结果`, `${label} found`)}>
      {onMore && <h2 className="section-title">{label}</h2>}
      <Async state={first}>
        {(d) => {
          const items = [...d.items, ...more.items];
          if (items.length === 0) return <p className="pad muted">{tr(`没有找到相关${label}`, `No ${label.toLowerCase()} match`)}</p>;
          return (
            <>
              <List>{items.map((x) => <Item key={x.id ?? x.institution_id} type={type} x={x} q={q} />)}</List>
              {next && (
                <div className="pad" style={{ textAlign: 'center' }}>
                  {onMore ? <Button size="small" fill="none" color="primary" onClick={onMore}>{tr(`查看更多${label}`, `More ${label.toLowerCase()}`)}</Button>
                    : <Button size="small" loading={more.busy} onClick={loadMore}>{tr('加载更多', 'Load more')}</Button>}
                </div>
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}

const PROBLEMS = {
  empty: ['请输入要搜索的内容', 'Type something to search for'],
  too_long: ['搜索内容最多 64 个字', 'At most 64 characters'],
  control: ['搜索内容包含不可见的控制字符', 'The query has invisible control characters'],
};

export default function Search() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const type = SEARCH_TYPES.includes(query.get('type')) ? query.get('type') : 'all';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const clean = cleanQuery(q);
  const go = (nextQ, nextType = type) => {
    const c = cleanQuery(nextQ);
    if (c.problem) {
      Toast.show({ content: tr(...PROBLEMS[c.problem]) });
      return;
    }
    const params = new URLSearchParams({ q: c.q });
    if (nextType !== 'all') params.set('type', nextType);
    navigate(`/search?${params}`, { replace: true });
  };
  return (
    <Page title={tr('搜索', 'Search')} onBack={() => navigate('/')}>
      <div className="pad" style={{ background: '#fff' }}>
        <form role="search" onSubmit={(e) => e.preventDefault()}>
          <SearchBar value={text} onChange={setText} onSearch={(v) => go(v)} autoFocus={!q}
            placeholder={tr('搜索财富号、基金、文章', 'Search zones, funds, articles')}
            aria-label={tr('搜索关键词', 'Search for')} />
        </form>
      </div>
      {!q ? <Empty title={tr('输入关键词开始搜索', 'Type to search')} description={tr('例如：债券、养老、科技', 'e.g. 债券, 养老, 科技')} />
        : clean.problem ? <Empty title={tr(...PROBLEMS[clean.problem])} />
          : (
            <>
              <Tabs activeKey={type} onChange={(k) => go(q, k)}>
                <Tabs.Tab key="all" title={tr('全部', 'All')} />
                {SEARCH_TYPES.map((t) => <Tabs.Tab key={t} title={tr(...TYPE_NAMES[t])} />)}
              </Tabs>
              {type === 'all'
                ? SEARCH_TYPES.map((t) => <Results key={t} type={t} q={clean.q} limit={PREVIEW} onMore={() => go(q, t)} />)
                : <Results type={type} q={clean.q} limit={20} />}
            </>
          )}
    </Page>
  );
}
