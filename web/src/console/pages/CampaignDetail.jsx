// One campaign: what it is, its check, its review, and the report of the orders placed
// through it (totals only, no investor named).
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Progress, Row, Space, Statistic, Table, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { CAMPAIGN_SEGMENTS, CAMPAIGN_STATUS, CAMPAIGN_TYPES, errorText, nameOf, tr } from '../../lib/i18n.js';
import { budgetPercent } from '../../lib/campaigns.js';
import { formatMoney, formatRate } from '../../lib/money.js';
import { formatDateTime } from '../../lib/time.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, CheckedFields, MatchList, PageHeader, StatusTag, VerdictTag } from '../ui.jsx';

function Report({ id, campaign: k }) {
  const rep = useAsync(() => api.get(`/api/v1/inst/campaigns/${id}/report`), [id, k.status]);
  return (
    <Card title={tr('活动效果', 'Report')} style={{ marginTop: 16 }} data-testid="campaign-report">
      <Async state={rep}>
        {({ report: r }) => (
          <>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={4}><Statistic title={tr('下单', 'Orders placed')} value={r.orders.placed} /></Col>
              <Col xs={12} md={4}><Statistic title={tr('已受理', 'Accepted')} value={r.orders.accepted} /></Col>
              <Col xs={12} md={4}><Statistic title={tr('已确认', 'Confirmed')} value={r.orders.confirmed} /></Col>
              <Col xs={12} md={4}><Statistic title={tr('已撤单', 'Cancelled')} value={r.orders.cancelled} /></Col>
              <Col xs={12} md={4}><Statistic title={tr('失败', 'Failed')} value={r.orders.failed} /></Col>
              <Col xs={12} md={4}><Statistic title={tr('参与投资者', 'Investors')} value={r.investors} /></Col>
            </Row>
            <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
              <Col xs={24} md={8}><Statistic title={tr('确认申购金额（元）', 'Confirmed amount (CNY)')} value={formatMoney(r.amount)} /></Col>
              <Col xs={24} md={8}><Statistic title={tr('实收手续费（元）', 'Fees charged (CNY)')} value={formatMoney(r.fee)} /></Col>
              <Col xs={24} md={8}><Statistic title={tr('活动减免（元）', 'Discount given (CNY)')} value={formatMoney(r.discount_given)} /></Col>
            </Row>
            {k.type === 'fee_discount' && (
              <div style={{ marginTop: 16 }} aria-label={tr('预算使用', 'Budget used')} role="group">
                <Typography.Text>{tr(`预算 ${formatMoney(r.budget)} 元，已用 ${formatMoney(r.spent)} 元，剩余 ${formatMoney(r.budget_left)} 元`,
                  `Budget ${formatMoney(r.budget)}, spent ${formatMoney(r.spent)}, left ${formatMoney(r.budget_left)} (CNY)`)}</Typography.Text>
                <Progress percent={budgetPercent(r.spent, r.budget)} status={k.status === 'exhausted' ? 'exception' : 'normal'} />
              </div>
            )}
            <Table style={{ marginTop: 16 }} size="small" rowKey="product_id" pagination={false} dataSource={r.products}
              locale={{ emptyText: tr('还没有通过本活动下的订单', 'No orders through this campaign yet') }} columns={[
                { title: tr('产品', 'Product'), key: 'p', render: (_, p) => `${p.code} ${p.name}` },
                { title: tr('订单数', 'Orders'), dataIndex: 'orders', align: 'right' },
                { title: tr('确认金额（元）', 'Amount (CNY)'), dataIndex: 'amount', align: 'right', render: (v) => formatMoney(v) },
                { title: tr('减免（元）', 'Discount (CNY)'), dataIndex: 'discount_given', align: 'right', render: (v) => formatMoney(v) },
              ]} />
          </>
        )}
      </Async>
    </Card>
  );
}

export default function CampaignDetail({ id, canEdit }) {
  const { message } = App.useApp();
  const data = useAsync(() => Promise.all([api.get(`/api/v1/inst/campaigns/${id}`), api.get('/api/v1/inst/products'), api.get('/api/v1/inst/contents')]), [id]);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState(null);
  async function submit() {
    setBusy(true);
    setErr(null);
    try {
      const r = await api.post(`/api/v1/inst/campaigns/${id}/submit`);
      data.setData((d) => [r, d[1], d[2]]);
      message.success(tr('已提交平台审核', 'Submitted for review'));
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Async state={data}>
      {([{ campaign: k }, products, contents]) => {
        const productName = Object.fromEntries(products.items.map((p) => [p.id, `${p.code} ${p.name}`]));
        const content = contents.items.find((c) => c.id === k.content_id);
        const a = k.audience;
        return (
          <>
            <PageHeader title={k.name} sub={<Space>{nameOf(CAMPAIGN_TYPES, k.type)}<StatusTag status={k.status} table={CAMPAIGN_STATUS} /></Space>}
              extra={<Space>
                {canEdit && k.status === 'draft' && <Button type="primary" loading={busy} onClick={submit}>{tr('提交审核', 'Submit for review')}</Button>}
                <Button onClick={() => navigate('/console/campaigns')}>{tr('返回列表', 'Back to list')}</Button>
              </Space>} />
            {err && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={errorText(err)} description={<MatchList check={err.problem?.check} />} />}
            {k.status === 'draft' && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={tr('草稿：提交平台审核并通过后，活动才会在活动期内生效', 'Draft: it runs within its period only after a reviewer approves it')} />}
            {k.status === 'pending' && <Alert type="warning" showIcon role="status" style={{ marginBottom: 16 }} title={tr('待平台审核', 'Waiting for a reviewer')} description={tr(`提交于 ${formatDateTime(k.submitted_ms)}`, `Submitted ${formatDateTime(k.submitted_ms)}`)} />}
            {k.reason && <Alert type={k.status === 'rejected' ? 'error' : 'success'} showIcon style={{ marginBottom: 16 }} title={`${tr('审核意见', 'Reviewer')}：${k.reason}`} description={formatDateTime(k.decided_ms)} />}
            <Row gutter={16}>
              <Col xs={24} xl={14}>
                <Card title={tr('活动信息', 'Campaign')}>
                  <Descriptions column={1} size="small" items={[
                    { key: 'p', label: tr('活动期', 'Period'), children: `${k.start_date} ~ ${k.end_date}` },
                    { key: 'a', label: tr('活动对象', 'Audience'), children: [nameOf(CAMPAIGN_SEGMENTS, a.segment), a.risk_classes.join('、'), a.product_id ? productName[a.product_id] : ''].filter(Boolean).join(' · ') },
                    ...(k.discount ? [{ key: 'd', label: tr('减免比例', 'Discount'), children: tr(`申购费率再减 ${formatRate(k.discount, 0)}`, `${formatRate(k.discount, 0)} off the rate fee`) }] : []),
                    ...(k.type === 'fee_discount' ? [{ key: 'b', label: tr('预算（元）', 'Budget (CNY)'), children: `${formatMoney(k.budget)}（${tr('已用', 'spent')} ${formatMoney(k.spent)}，${tr('剩余', 'left')} ${formatMoney(k.budget_left)}）` }] : []),
                    ...(k.product_ids.length ? [{ key: 'pr', label: tr('产品', 'Products'), children: k.product_ids.map((p) => productName[p] ?? p).join('、') }] : []),
                    ...(k.content_id ? [{ key: 'c', label: tr('置顶内容', 'Content pinned'), children: content?.title ?? k.content_id }] : []),
                    { key: 'cr', label: tr('创建时间', 'Created'), children: formatDateTime(k.created_ms) },
                  ]} />
                </Card>
              </Col>
              <Col xs={24} xl={10}>
                <Card title={<Space>{tr('合规检查', 'Compliance check')}<VerdictTag verdict={k.check.verdict} /></Space>}>
                  <CheckedFields check={k.check} rows={[[tr('名称', 'Name'), k.name, 'name'], [tr('说明', 'Text'), k.text, 'text']]} />
                  <MatchList check={k.check} />
                </Card>
              </Col>
            </Row>
            {['approved', 'running', 'ended', 'exhausted'].includes(k.status) && <Report id={id} campaign={k} />}
          </>
        );
      }}
    </Async>
  );
}
