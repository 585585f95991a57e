import { useEffect, useMemo, useRef, useState } from 'react';
import { Avatar, List, SearchBar, Tag } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { track } from '../../lib/events.js';
import { nameOf, INSTITUTION_TYPES, setLang, tr, useLang } from '../../lib/i18n.js';
import { linkProps, navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { LangSwitch, ProductItem } from '../components.jsx';
import { useSession } from '../session.js';
import { Async, Empty } from '../ui.jsx';

/**
 * The recommendation slots: zones chosen by the platform's published fair rule
 * (GET /api/v1/public/recommendations), one card each. Each zone shown counts as one delivered
 * impression, so the slots are asked for once per visit of the home screen.
 */
function Recommendations() {
  const recs = useAsync(() => api.get('/api/v1/public/recommendations', { slots: 3 }), []);
  // One impression per card per visit of the home screen.
  const seen = useRef(new Set());
  useEffect(() => {
    for (const r of recs.data?.items ?? []) {
      if (!seen.current.has(r.institution_id)) {
        seen.current.add(r.institution_id);
        track('recommendation_impression', { zone_id: r.institution_id, slot: 'home' });
      }
    }
  }, [recs.data]);
  return (
    <section className="section" aria-labelledby="rec-title">
      <h2 className="section-title" id="rec-title">{tr('为你推荐', 'Recommended')}</h2>
      <Async state={recs}>
        {(d) => (d.items.length === 0 ? (
          <p className="pad muted">
            {tr('推荐位由平台公开、可验证的公平规则分配，规则生效后在此展示。',
              'Recommendations are allocated by the platform\'s published, verifiable rule and will show here once it is in force.')}
          </p>
        ) : (
          <>
            <ul className="rec-cards" aria-label={tr('推荐的财富号', 'Recommended zones')}>
              {d.items.map((r) => (
                <li key={r.institution_id}>
                  <a className="rec-card" {...linkProps(`/zone/${r.institution_id}`)}>
                    <span className="rec-avatar" aria-hidden>{(r.short_name || r.name).slice(0, 1)}</span>
                    <span className="rec-body">
                      <span className="rec-zone">{r.zone_name || r.name}</span>
                      {r.zone_name && r.zone_name !== r.name && <span className="rec-inst">{r.name}</span>}
                    </span>
                    {r.platform_own && <Tag color="warning" fill="outline">{tr('平台自营', 'Platform\'s own')}</Tag>}
                  </a>
                </li>
              ))}
            </ul>
            <p className="rec-note muted">{tr('推荐位按平台公开的公平规则分配，平台自营机构同样适用', 'Slots follow the platform\'s published fair rule, which treats its own institutions alike')}</p>
          </>
        ))}
      </Async>
    </section>
  );
}

export default function Home() {
  const lang = useLang();
  const { user } = useSession();
  const [q, setQ] = useState('');
  const insts = useAsync(() => api.get('/api/v1/public/institutions'), []);
  const products = useAsync(() => api.get('/api/v1/public/products'), []);
  const filtered = useMemo(() => {
    const items = products.data?.items ?? [];
    const k = q.trim().toLowerCase();
    if (!k) return items.slice(0, 20);
    return items.filter((p) => p.name.toLowerCase().includes(k) || p.code.includes(k));
  }, [products.data, q]);
  const instName = useMemo(() => Object.fromEntries((insts.data?.items ?? [])
    .map((i) => [i.id, i.short_name || i.name])), [insts.data]);

  return (
    <div className="page">
      <header className="hero">
        <div className="row">
          <h1>{tr('财富号', 'Caifuhao')}</h1>
          <LangSwitch lang={lang} setLang={setLang} light />
        </div>
        <p>{user ? tr(`你好，${user.display_name}`, `Hello, ${user.display_name}`)
          : <a {...linkProps('/login')} style={{ color: '#fff' }}>{tr('登录 / 注册', 'Sign in / Register')}</a>}
        </p>
      </header>
      <form className="search" role="search" onSubmit={(e) => e.preventDefault()}>
        <SearchBar placeholder={tr('搜索基金、财富号、文章', 'Search funds, zones, articles')}
          value={q} onChange={setQ} aria-label={tr('搜索', 'Search')}
          onSearch={(v) => { if (v.trim()) navigate(`/search?${new URLSearchParams({ q: v.trim() })}`); }}
          style={{ '--background': '#fff', '--height': '40px' }} />
      </form>
      <main>
        {!q && <Recommendations />}
        {!q && (
          <section className="section" aria-labelledby="zones-title">
            <h2 className="section-title" id="zones-title">{tr('机构财富号', 'Institution zones')}</h2>
            <Async state={insts}>
              {(d) => (d.items.length === 0 ? <Empty title={tr('暂无入驻机构', 'No institutions yet')} /> : (
                <List>
                  {d.items.map((i) => (
                    <List.Item key={i.id} onClick={() => navigate(`/zone/${i.id}`)}
                      prefix={<Avatar src="" style={{ '--size': '36px', background: '#e6f4ff' }}
                        fallback={<span className="avatar-text">{(i.short_name || i.name).slice(0, 1)}</span>} />}
                      description={nameOf(INSTITUTION_TYPES, i.type)}>
                      {i.name}
                    </List.Item>
                  ))}
                </List>
              ))}
            </Async>
          </section>
        )}
        <section className="section" aria-labelledby="products-title">
          <h2 className="section-title" id="products-title">
            {q ? tr('搜索结果', 'Results') : tr('基金产品', 'Funds')}
          </h2>
          {q.trim() && (
            <List>
              <List.Item onClick={() => navigate(`/search?${new URLSearchParams({ q: q.trim() })}`)}>
                {tr(`搜索“${q.trim()}”相关的财富号、基金和文章`, `Search zones, funds and articles for “${q.trim()}”`)}
              </List.Item>
            </List>
          )}
          <Async state={products}>
            {() => (filtered.length === 0
              ? <Empty title={q ? tr('没有找到相关基金', 'No fund matches') : tr('暂无在售产品', 'No funds on sale')} />
              : (
                <List>
                  {filtered.map((p) => <ProductItem key={p.id} p={p} inst={instName[p.institution_id]} />)}
                </List>
              ))}
          </Async>
        </section>
      </main>
    </div>
  );
}
