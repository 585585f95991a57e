import { Button, Table } from 'antd';
import { api } from '../../lib/api.js';
import { CONTENT_KINDS, nameOf, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps, navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader, StatusTag, VerdictTag } from '../ui.jsx';

export default function Contents({ canEdit }) {
  const list = useAsync(() => api.get('/api/v1/inst/contents'), []);
  return (
    <>
      <PageHeader title={tr('内容发布', 'Content')} sub={tr('文章、公告和动态经合规检查后发布；命中审核词条的进入平台审核', 'Checked before publishing; review matches wait for a reviewer')}
        extra={canEdit && <Button type="primary" onClick={() => navigate('/console/contents/new')}>{tr('写文章', 'Write')}</Button>} />
      <Async state={list}>
        {(d) => (
          <Table rowKey="id" dataSource={d.items} locale={{ emptyText: tr('还没有内容', 'Nothing yet') }} columns={[
            { title: tr('标题', 'Title'), dataIndex: 'title', render: (v, r) => <a {...linkProps(`/console/contents/${r.id}`)}>{v}</a> },
            { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (v) => nameOf(CONTENT_KINDS, v) },
            { title: tr('版本', 'Version'), dataIndex: 'version' },
            { title: tr('状态', 'Status'), dataIndex: 'content_status', render: (v) => <StatusTag status={v} /> },
            { title: tr('合规检查', 'Check'), key: 'check', render: (_, r) => <VerdictTag verdict={r.check.verdict} /> },
            { title: tr('保存时间', 'Saved'), dataIndex: 'created_ms', render: (v) => formatDateTime(v) },
          ]} />
        )}
      </Async>
    </>
  );
}
