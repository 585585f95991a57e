import { useEffect, useState } from 'react';
import { App, Button, Input, Select, Space, Table, Tag } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';

export default function Lexicon({ role }) {
  const { message, modal } = App.useApp();
  const lex = useAsync(() => api.get('/api/v1/ops/lexicon'), []);
  const [terms, setTerms] = useState([]);
  const [filter, setFilter] = useState('');
  const [draft, setDraft] = useState({ term: '', severity: 'review', category: 'marketing_claim' });
  const canEdit = role === 'ops_admin' || role === 'ops_reviewer';
  useEffect(() => { if (lex.data) setTerms(lex.data.terms.map((t, i) => ({ ...t, key: `${i}-${t.term}` }))); }, [lex.data]);
  const dirty = lex.data && JSON.stringify(lex.data.terms) !== JSON.stringify(terms.map(({ term, severity, category }) => ({ term, severity, category })));

  async function publish() {
    const ok = await modal.confirm({ title: tr('发布新版本词库？', 'Publish a new lexicon version?'), content: tr('新版本立即用于之后的合规检查。', 'It is used by every check from now on.') });
    if (!ok) return;
    try {
      const r = await api.post('/api/v1/ops/lexicon', { terms: terms.map(({ term, severity, category }) => ({ term, severity, category })) });
      message.success(tr(`已发布第 ${r.version} 版，共 ${r.terms} 个词条`, `Published version ${r.version}, ${r.terms} terms`));
      lex.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  }
  const shown = terms.filter((t) => !filter || t.term.includes(filter) || t.category.includes(filter));
  return (
    <>
      <PageHeader title={tr('合规词库', 'Compliance lexicon')} sub={lex.data ? tr(`当前生效：第 ${lex.data.version} 版（0 为内置默认）`, `In force: version ${lex.data.version} (0 is built in)`) : ''}
        extra={canEdit && <Button type="primary" disabled={!dirty} onClick={publish}>{tr('发布新版本', 'Publish')}</Button>} />
      <Async state={lex}>
        {() => (
          <>
            <Space wrap style={{ marginBottom: 12 }}>
              <Input.Search placeholder={tr('搜索词条或类别', 'Search')} allowClear onChange={(e) => setFilter(e.target.value)} style={{ width: 220 }} aria-label={tr('搜索词条', 'Search terms')} />
              {canEdit && (
                <>
                  <Input placeholder={tr('新词条', 'New term')} value={draft.term} onChange={(e) => setDraft({ ...draft, term: e.target.value })} style={{ width: 160 }} aria-label={tr('新词条', 'New term')} />
                  <Select value={draft.severity} onChange={(v) => setDraft({ ...draft, severity: v })} style={{ width: 110 }} aria-label={tr('严重程度', 'Severity')}
                    options={[{ value: 'block', label: tr('禁止', 'block') }, { value: 'review', label: tr('审核', 'review') }]} />
                  <Input placeholder={tr('类别', 'Category')} value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.target.value })} style={{ width: 160 }} aria-label={tr('类别', 'Category')} />
                  <Button disabled={!draft.term.trim()} onClick={() => { setTerms([{ ...draft, term: draft.term.trim(), key: `new-${Date.now()}` }, ...terms]); setDraft({ ...draft, term: '' }); }}>{tr('添加', 'Add')}</Button>
                </>
              )}
            </Space>
            <Table rowKey="key" size="small" dataSource={shown} pagination={{ pageSize: 50 }} columns={[
              { title: tr('词条', 'Term'), dataIndex: 'term' },
              { title: tr('处理', 'Severity'), dataIndex: 'severity', render: (v) => <Tag color={v === 'block' ? 'red' : 'orange'}>{v === 'block' ? tr('禁止', 'block') : tr('审核', 'review')}</Tag> },
              { title: tr('类别', 'Category'), dataIndex: 'category' },
              ...(canEdit ? [{ title: '', key: 'x', render: (_, r) => <Button size="small" type="link" danger onClick={() => setTerms(terms.filter((t) => t.key !== r.key))}>{tr('删除', 'Remove')}</Button> }] : []),
            ]} />
          </>
        )}
      </Async>
    </>
  );
}
