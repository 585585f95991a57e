import { Button, Table } from 'antd';
import { api } from '../../lib/api.js';
import { nameOf, PRODUCT_STATUS, PRODUCT_TYPES, tr } from '../../lib/i18n.js';
import { formatMoney, formatNav } from '../../lib/money.js';
import { linkProps, navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader, StatusTag } from '../ui.jsx';

export default function Products({ canEdit }) {
  const list = useAsync(() => api.get('/api/v1/inst/products'), []);
  return (
    <>
      <PageHeader title={tr('产品与净值', 'Products & NAV')} extra={canEdit && <Button type="primary" onClick={() => navigate('/console/products/new')}>{tr('新建产品', 'New product')}</Button>} />
      <Async state={list}>
        {(d) => (
          <Table rowKey="id" dataSource={d.items} pagination={{ pageSize: 20 }} locale={{ emptyText: tr('还没有产品', 'No products yet') }} columns={[
            { title: tr('代码', 'Code'), dataIndex: 'code' },
            { title: tr('名称', 'Name'), dataIndex: 'name', render: (v, r) => <a {...linkProps(`/console/products/${r.id}`)}>{v}</a> },
            { title: tr('类型', 'Type'), dataIndex: 'type', render: (v) => nameOf(PRODUCT_TYPES, v) },
            { title: tr('风险', 'Risk'), dataIndex: 'risk_level' },
            { title: tr('起购', 'Minimum'), dataIndex: 'min_purchase', align: 'right', render: (v) => formatMoney(v) },
            { title: tr('最新净值', 'Latest NAV'), dataIndex: 'latest_nav', align: 'right', render: (v) => (v ? `${formatNav(v.nav)} (${v.date})` : '--') },
            { title: tr('状态', 'Status'), dataIndex: 'status', render: (v) => <StatusTag status={v} table={PRODUCT_STATUS} /> },
          ]} />
        )}
      </Async>
    </>
  );
}
