import { Button, Table, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { CAMPAIGN_STATUS, CAMPAIGN_TYPES, nameOf, tr } from '../../lib/i18n.js';
import { campaignActions } from '../../lib/campaigns.js';
import { formatMoney } from '../../lib/money.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps, navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader, StatusTag, VerdictTag } from '../ui.jsx';

export default function Campaigns({ canEdit }) {
  const list = useAsync(() => api.get('/api/v1/inst/campaigns', { limit: 200 }), []);
  return (
    <>
      <PageHeader title={tr('营销活动', 'Campaigns')}
        sub={tr('费率优惠、内容置顶和定向消息；每个活动都须经平台审核后才能开始，抽奖、红包、赠品、送份额、低于成本和搭售类活动不被允许', 'Fee discounts, content promotions and segment messages; every campaign is reviewed before it runs, and lotteries, red packets, gifts, free shares, below-cost offers and tying are not allowed')}
        extra={canEdit && <Button type="primary" onClick={() => navigate('/console/campaigns/new')}>{tr('新建活动', 'New campaign')}</Button>} />
      <Async state={list}>
        {(d) => (
          <Table rowKey="id" dataSource={d.items} pagination={{ pageSize: 20 }} locale={{ emptyText: tr('还没有活动', 'No campaigns yet') }} columns={[
            { title: tr('活动名称', 'Name'), dataIndex: 'name', render: (v, r) => <a {...linkProps(`/console/campaigns/${r.id}`)}>{v}</a> },
            { title: tr('类型', 'Type'), dataIndex: 'type', render: (v) => nameOf(CAMPAIGN_TYPES, v) },
            { title: tr('状态', 'Status'), dataIndex: 'status', render: (v) => <StatusTag status={v} table={CAMPAIGN_STATUS} /> },
            { title: tr('活动期', 'Period'), key: 'period', render: (_, r) => `${r.start_date} ~ ${r.end_date}` },
            { title: tr('预算 / 已用（元）', 'Budget / spent (CNY)'), key: 'budget', align: 'right', render: (_, r) => (r.type === 'fee_discount' ? `${formatMoney(r.budget)} / ${formatMoney(r.spent)}` : '--') },
            { title: tr('合规检查', 'Check'), key: 'check', render: (_, r) => <VerdictTag verdict={r.check.verdict} /> },
            { title: tr('创建时间', 'Created'), dataIndex: 'created_ms', render: (v) => <Typography.Text type="secondary">{formatDateTime(v)}</Typography.Text> },
            ...(canEdit ? [{ title: tr('操作', 'Actions'), key: 'act', render: (_, r) => (campaignActions(r).edit
              ? <a {...linkProps(`/console/campaigns/${r.id}/edit`)}>{tr('编辑', 'Edit')}</a> : null) }] : []),
          ]} />
        )}
      </Async>
    </>
  );
}
