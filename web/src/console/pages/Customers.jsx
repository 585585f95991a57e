import { Table } from 'antd';
import { api } from '../../lib/api.js';
import { tr } from '../../lib/i18n.js';
import { formatMoney, formatShares } from '../../lib/money.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';

export default function Customers() {
  const list = useAsync(() => api.get('/api/v1/inst/customers'), []);
  return (
    <>
      <PageHeader title={tr('授权客户', 'Consenting customers')} sub={tr('仅显示单独授权本机构查看信息的投资者，可随时撤回', 'Only investors who granted this institution consent; revocable at any time')} />
      <Async state={list}>
        {(d) => (
          <Table rowKey="investor_id" dataSource={d.items} locale={{ emptyText: tr('暂无授权客户', 'No consenting customers') }} columns={[
            { title: tr('姓名', 'Name'), dataIndex: 'name', render: (v) => v || '--' },
            { title: tr('手机号', 'Mobile'), dataIndex: 'mobile' },
            { title: tr('授权时间', 'Consented'), dataIndex: 'consented_ms', render: (v) => formatDateTime(v) },
            { title: tr('本机构产品持仓', 'Holdings of our products'), dataIndex: 'holdings', render: (hs) => hs.map((h) => `${h.product_name} ${formatShares(h.shares)}${tr('份', ' sh')}（${formatMoney(h.market_value)}）`).join('；') || '--' },
          ]} />
        )}
      </Async>
    </>
  );
}
