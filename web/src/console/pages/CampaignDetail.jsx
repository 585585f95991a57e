// One campaign: what it is, its check, its review, and the report of the orders placed
// through it (totals only, no investor named). Staff who may edit it act on it here as its state
// allows: edit a draft or a rejected one, submit a draft, withdraw a pending one from review
// (after a confirm), stop an approved one early (with a reason).
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Popconfirm, Progress, Row, Space, Statistic, Table, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { CAMPAIGN_SEGMENTS, CAMPAIGN_STATUS, CAMPAIGN_TYPES, errorText, nameOf, tr } from '../../lib/i18n.js';
import { budgetPercent, campaignActions, STOP_REASON_MAX } from '../../lib/campaigns.js';
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

/** Stopping asks why: the reason goes on the campaign and into the audit log. */
function StopModal({ open, campaign: k, onStop, onClose }) {
  const [form] = Form.useForm();
  const close = () => { form.resetFields(); onClose(); };
  async function finish(v) {
    if (await onStop(v.reason.trim())) form.resetFields();
  }
  return (
    <Modal open={open} title={tr(`提前停止「${k.name}」？`, `Stop “${k.name}” now?`)} onCancel={close}
      onOk={() => form.submit()} okText={tr('停止活动', 'Stop campaign')} cancelText={tr('取消', 'Cancel')}
      okButtonProps={{ danger: true }} forceRender>
      <Typography.Paragraph type="secondary">
        {k.type === 'fee_discount'
          ? tr('停止后不能再通过本活动下单；停止前已下的订单在确认时仍按活动减免，以预算为限。停止不能撤销。',
            'Orders can no longer be placed through it; orders placed before the stop keep their discount at confirmation, within the budget. A stop cannot be undone.')
          : tr('停止后内容不再置顶。停止不能撤销。', 'The content is no longer pinned. A stop cannot be undone.')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={finish}>
        <Form.Item name="reason" label={tr('停止原因', 'Reason')}
          rules={[{ required: true, whitespace: true, message: tr('请填写停止原因', 'Give a reason') }, { max: STOP_REASON_MAX }]}>
          <Input.TextArea rows={3} maxLength={STOP_REASON_MAX} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A refusal in words: the state that refused it, or the server's message. */
function refusalText(e) {
  const status = e?.problem?.campaign_status;
  if (e?.code === 'campaign_state' && status) {
    return tr(`活动当前为「${nameOf(CAMPAIGN_STATUS, status)}」，不能这样操作`, `Not possible while the campaign is “${nameOf(CAMPAIGN_STATUS, status)}”`);
  }
  return errorText(e);
}

/**
 * The reviewer's latest decision. A draft or pending campaign with one was rejected before and
 * edited since: its decision is the last rejection, kept until the next decision.
 */
function ReviewAlert({ campaign: k }) {
  const before = k.status === 'draft' || k.status === 'pending';
  const type = k.status === 'rejected' ? 'error' : before ? 'warning' : 'success';
  const label = before ? tr('上次审核未通过', 'Rejected last time') : tr('审核意见', 'Reviewer');
  return <Alert type={type} showIcon style={{ marginBottom: 16 }} title={`${label}：${k.reason}`} description={formatDateTime(k.decided_ms)} />;
}

export default function CampaignDetail({ id, canEdit }) {
  const { message } = App.useApp();
  const data = useAsync(() => Promise.all([api.get(`/api/v1/inst/campaigns/${id}`), api.get('/api/v1/inst/products'), api.get('/api/v1/inst/contents')]), [id]);
  const [busy, setBusy] = useState(null);
  const [err, setErr] = useState(null);
  const [stopping, setStopping] = useState(false);

  /** POSTs the action; true when it was done. */
  async function act(action, body, done) {
    setBusy(action);
    setErr(null);
    try {
      const r = await api.post(`/api/v1/inst/campaigns/${id}/${action}`, body);
      data.setData((d) => [r, d[1], d[2]]);
      message.success(done);
      return true;
    } catch (e) {
      setErr(e);
      if (e.code === 'campaign_state') data.reload();
      return false;
    } finally {
      setBusy(null);
    }
  }
  const submit = () => act('submit', undefined, tr('已提交平台审核', 'Submitted for review'));
  const withdraw = () => act('withdraw', undefined, tr('已撤回，活动回到草稿', 'Withdrawn: the campaign is a draft again'));
  async function stop(reason) {
    const ok = await act('stop', { reason }, tr('活动已停止', 'The campaign is stopped'));
    if (ok) setStopping(false);
    return ok;
  }
  return (
    <Async state={data}>
      {([{ campaign: k }, products, contents]) => {
        const productName = Object.fromEntries(products.items.map((p) => [p.id, `${p.code} ${p.name}`]));
        const content = contents.items.find((c) => c.id === k.content_id);
        const a = k.audience;
        const can = canEdit ? campaignActions(k) : {};
        return (
          <>
            <PageHeader title={k.name} sub={<Space>{nameOf(CAMPAIGN_TYPES, k.type)}<StatusTag status={k.status} table={CAMPAIGN_STATUS} /></Space>}
              extra={<Space wrap>
                {can.edit && <Button onClick={() => navigate(`/console/campaigns/${id}/edit`)}>{tr('编辑', 'Edit')}</Button>}
                {can.submit && <Button type="primary" loading={busy === 'submit'} onClick={submit}>{tr('提交审核', 'Submit for review')}</Button>}
                {can.withdraw && (
                  <Popconfirm title={tr('撤回审核申请？', 'Withdraw from review?')}
                    description={tr('活动回到草稿，可修改后重新提交。', 'It becomes a draft again, to edit and submit again.')}
                    onConfirm={withdraw} okText={tr('撤回', 'Withdraw')} cancelText={tr('取消', 'Cancel')}>
                    <Button loading={busy === 'withdraw'}>{tr('撤回', 'Withdraw')}</Button>
                  </Popconfirm>
                )}
                {can.stop && <Button danger loading={busy === 'stop'} onClick={() => setStopping(true)}>{tr('停止活动', 'Stop campaign')}</Button>}
                <Button onClick={() => navigate('/console/campaigns')}>{tr('返回列表', 'Back to list')}</Button>
              </Space>} />
            {can.stop && <StopModal open={stopping} campaign={k} onStop={stop} onClose={() => setStopping(false)} />}
            {err && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={refusalText(err)} description={<MatchList check={err.problem?.check} />} />}
            {k.status === 'stopped' && (
              <Alert type="warning" showIcon role="status" style={{ marginBottom: 16 }} data-testid="campaign-stopped"
                title={`${tr('已提前停止', 'Stopped early')}：${k.stop_reason}`}
                description={k.type === 'fee_discount'
                  ? tr(`停止于 ${formatDateTime(k.stopped_ms)}；停止前通过本活动下的订单仍按活动减免，以预算为限`,
                    `Stopped ${formatDateTime(k.stopped_ms)}; orders placed through it before then keep their discount, within the budget`)
                  : tr(`停止于 ${formatDateTime(k.stopped_ms)}；内容不再置顶`, `Stopped ${formatDateTime(k.stopped_ms)}; the content is no longer pinned`)} />
            )}
            {k.status === 'draft' && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={tr('草稿：提交平台审核并通过后，活动才会在活动期内生效', 'Draft: it runs within its period only after a reviewer approves it')} />}
            {k.status === 'pending' && <Alert type="warning" showIcon role="status" style={{ marginBottom: 16 }} title={tr('待平台审核', 'Waiting for a reviewer')} description={tr(`提交于 ${formatDateTime(k.submitted_ms)}`, `Submitted ${formatDateTime(k.submitted_ms)}`)} />}
            {k.reason && <ReviewAlert campaign={k} />}
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
                    ...(k.type === 'segment_message' && ['approved', 'running', 'exhausted', 'ended', 'stopped'].includes(k.status) ? [{
                      key: 'm',
                      label: tr('消息发送', 'Message'),
                      children: k.message_sent_ms != null
                        ? tr(`已于 ${formatDateTime(k.message_sent_ms)} 发送`, `Delivered ${formatDateTime(k.message_sent_ms)}`)
                        : k.status === 'stopped' || k.status === 'ended'
                          ? tr('未发送', 'Not delivered')
                          : tr(`定于 ${k.start_date} 活动首日发送；发送前可提前停止`, `Scheduled for ${k.start_date}, its first day; it can be stopped until then`),
                    }] : []),
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
            {['approved', 'running', 'ended', 'exhausted', 'stopped'].includes(k.status) && <Report id={id} campaign={k} />}
          </>
        );
      }}
    </Async>
  );
}
