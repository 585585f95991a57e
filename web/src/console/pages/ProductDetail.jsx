import { lazy, Suspense, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, Row, Segmented, Select, Space, Spin, Table, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { api } from '../../lib/api.js';
import { errorText, nameOf, PRODUCT_STATUS, PRODUCT_TYPES, tr } from '../../lib/i18n.js';
import { formatMoney, formatNav, formatRate } from '../../lib/money.js';
import { linkProps } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader, StatusTag } from '../ui.jsx';
import { WithdrawNavModal } from '../WithdrawNav.jsx';

const NavChart = lazy(() => import('../../shared/NavChart.jsx'));
const NAV = /^(0|[1-9]\d*)(\.\d{1,4})?$/;

function RangePicker({ value, onChange, options }) {
  return <Segmented value={value} onChange={onChange} options={options} aria-label={tr('区间', 'Range')} />;
}

function PublishNav({ product, onDone }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  // This product's NAVs held for a second confirmation, from the server (they outlive the page).
  const heldNavs = useAsync(() => api.get('/api/v1/inst/navs/held'), []);
  const held = (heldNavs.data?.items ?? []).filter((x) => x.product_id === product.id).map((x) => x.date);
  const mmf = product.type === 'money_market';
  async function submit(v) {
    const body = { date: v.date.format('YYYY-MM-DD'), nav: v.nav, acc_nav: v.acc_nav };
    if (mmf) body.income_per_10k = v.income_per_10k;
    try {
      const r = await api.post(`/api/v1/inst/products/${product.id}/navs`, body);
      if (r.needs_confirmation) {
        heldNavs.reload();
        message.warning(tr('净值变动超过 10%，需另一位员工复核后生效', 'A move over 10%: another member of staff must confirm it'));
      } else {
        message.success(tr(`${r.nav.date} 净值已发布`, `NAV of ${r.nav.date} published`));
      }
      form.resetFields(['nav', 'acc_nav', 'income_per_10k']);
      onDone();
    } catch (err) {
      if (err.field) form.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else message.error(errorText(err));
    }
  }
  // The publisher cannot confirm their own NAV (another member of staff does, from the list
  // of held NAVs); they can withdraw it, saying why, to publish the right figure.
  const [withdrawing, setWithdrawing] = useState(null);
  async function withdraw(reason) {
    const date = withdrawing;
    try {
      await api.post(`/api/v1/inst/products/${product.id}/navs/${date}/reject`, { reason });
    } catch (err) {
      message.error(errorText(err));
      throw err;
    }
    heldNavs.reload();
    setWithdrawing(null);
    message.success(tr(`${date} 净值已撤回`, `NAV of ${date} withdrawn`));
    onDone();
  }
  return (
    <>
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ date: dayjs(), nav: mmf ? '1.0000' : undefined, acc_nav: mmf ? '1.0000' : undefined }}>
        <Form.Item name="date" label={tr('日期', 'Date')} rules={[{ required: true }]}><DatePicker /></Form.Item>
        <Form.Item name="nav" label={tr('单位净值', 'Unit NAV')} rules={[{ required: true, pattern: NAV, message: tr('最多 4 位小数', 'At most 4 decimals') }]}><Input style={{ width: 120 }} /></Form.Item>
        <Form.Item name="acc_nav" label={tr('累计净值', 'Accumulated NAV')} rules={[{ required: true, pattern: NAV, message: tr('最多 4 位小数', 'At most 4 decimals') }]}><Input style={{ width: 120 }} /></Form.Item>
        {mmf && <Form.Item name="income_per_10k" label={tr('万份收益', 'Income per 10k')} rules={[{ required: true }]}><Input style={{ width: 120 }} /></Form.Item>}
        <Button type="primary" htmlType="submit">{tr('发布净值', 'Publish NAV')}</Button>
      </Form>
      {held.map((d) => (
        <Alert key={d} type="warning" showIcon style={{ marginTop: 12 }} title={tr(`${d} 净值待复核`, `NAV of ${d} waits for a second confirmation`)}
          description={tr('需另一位员工在「待复核净值」中复核后生效。', 'Another member of staff confirms it from the held NAVs list.')}
          action={<Space><Button size="small" {...linkProps('/console/navs/held')}>{tr('待复核净值', 'Held NAVs')}</Button><Button size="small" danger onClick={() => setWithdrawing(d)}>{tr('撤回', 'Withdraw')}</Button></Space>} />
      ))}
      <WithdrawNavModal open={withdrawing !== null} onWithdraw={withdraw} onClose={() => setWithdrawing(null)}
        title={tr(`撤回 ${withdrawing ?? ''} 净值`, `Withdraw the NAV of ${withdrawing ?? ''}`)} />
    </>
  );
}

function CsvUpload({ product, onDone }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  async function send() {
    setBusy(true);
    setResult(null);
    try {
      setResult({ ok: await api.raw('POST', `/api/v1/inst/products/${product.id}/navs.csv`, text, 'text/csv') });
      onDone();
    } catch (err) {
      setResult({ err });
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Typography.Paragraph type="secondary">{tr('每行一条：date,nav,acc_nav[,income_per_10k]，可带表头；任一行有误则整批不发布。', 'One NAV per line: date,nav,acc_nav[,income_per_10k]; a header line is allowed; any bad line publishes nothing.')}</Typography.Paragraph>
      <Space style={{ marginBottom: 8 }}>
        <input type="file" accept=".csv,text/csv" aria-label={tr('选择 CSV 文件', 'Choose a CSV file')} onChange={async (e) => { const f = e.target.files?.[0]; if (f) setText(await f.text()); }} />
      </Space>
      <Input.TextArea rows={8} value={text} onChange={(e) => setText(e.target.value)} className="mono" placeholder={'date,nav,acc_nav\n2026-01-05,1.0123,1.2123'} aria-label={tr('CSV 内容', 'CSV text')} />
      <Button type="primary" style={{ marginTop: 8 }} loading={busy} disabled={!text.trim()} onClick={send}>{tr('上传并发布', 'Upload and publish')}</Button>
      {result?.ok && <Alert type="success" showIcon role="status" style={{ marginTop: 12 }} title={tr(`已发布 ${result.ok.published} 条（${result.ok.first} 至 ${result.ok.last}），其中 ${result.ok.needs_confirmation} 条待复核`, `Published ${result.ok.published} lines (${result.ok.first} to ${result.ok.last}); ${result.ok.needs_confirmation} wait for confirmation`)} />}
      {result?.err && (
        <div role="alert" style={{ marginTop: 12 }}>
          <Alert type="error" showIcon title={errorText(result.err)} />
          {result.err.problem?.errors && (
            <Table size="small" rowKey={(r) => `${r.line}-${r.field}`} pagination={false} style={{ marginTop: 8 }} dataSource={result.err.problem.errors}
              columns={[{ title: tr('行', 'Line'), dataIndex: 'line', width: 80 }, { title: tr('字段', 'Field'), dataIndex: 'field', width: 140 }, { title: tr('问题', 'Problem'), dataIndex: 'message' }]} />
          )}
        </div>
      )}
    </>
  );
}

export default function ProductDetail({ id, canEdit }) {
  const { message } = App.useApp();
  const product = useAsync(() => api.get(`/api/v1/inst/products/${id}`), [id]);
  const navs = useAsync(() => api.get(`/api/v1/public/products/${id}/navs`).catch(() => ({ items: [] })), [id]);
  async function setStatus(status) {
    try {
      product.setData(await api.post(`/api/v1/inst/products/${id}/status`, { status }));
      message.success(tr('状态已更新', 'Status changed'));
    } catch (err) {
      message.error(errorText(err));
    }
  }
  const reload = () => { navs.reload(); product.reload(); };
  return (
    <Async state={product}>
      {({ product: p }) => (
        <>
          <PageHeader title={p.name} sub={`${p.code} · ${nameOf(PRODUCT_TYPES, p.type)} · ${p.risk_level}`}
            extra={<Space><StatusTag status={p.status} table={PRODUCT_STATUS} />
              {canEdit && p.status !== 'closed' && <Select value={p.status} onChange={setStatus} style={{ width: 150 }} aria-label={tr('交易状态', 'Status')}
                options={Object.keys(PRODUCT_STATUS).map((k) => ({ value: k, label: nameOf(PRODUCT_STATUS, k) }))} />}</Space>} />
          <Row gutter={16}>
            <Col xs={24} xl={10}>
              <Card title={tr('产品要素', 'Key facts')} style={{ marginBottom: 16 }}>
                <Descriptions column={1} size="small" items={[
                  { key: 'nav', label: tr('最新净值', 'Latest NAV'), children: p.latest_nav ? `${formatNav(p.latest_nav.nav)}（${p.latest_nav.date}）` : '--' },
                  { key: 'min', label: tr('起购 / 单日限额', 'Minimum / daily limit'), children: `${formatMoney(p.min_purchase)} / ${formatMoney(p.daily_limit)}` },
                  { key: 'disc', label: tr('申购费折扣', 'Discount'), children: formatRate(p.fee_discount, 0) },
                  { key: 'sub', label: tr('申购费', 'Subscription'), children: p.fees.subscription.map((t) => `${formatMoney(t.min_amount)}–${t.max_amount ? formatMoney(t.max_amount) : '∞'}: ${t.fixed ? `${formatMoney(t.fixed)}/笔` : formatRate(t.rate)}`).join('；') },
                  { key: 'red', label: tr('赎回费', 'Redemption'), children: p.fees.redemption.map((t) => `${t.min_days}–${t.max_days ?? '∞'}${tr('天', 'd')}: ${formatRate(t.rate)}`).join('；') },
                  { key: 'bm', label: tr('业绩比较基准', 'Benchmark'), children: p.benchmark || '--' },
                  { key: 'inc', label: tr('成立日期', 'Inception'), children: p.inception_date },
                ]} />
              </Card>
            </Col>
            <Col xs={24} xl={14}>
              <Card title={tr('净值走势', 'NAV history')} style={{ marginBottom: 16 }}>
                <Async state={navs}>
                  {(d) => (d.items.length === 0 ? <Typography.Text type="secondary">{tr('尚未发布净值', 'No NAV yet')}</Typography.Text> : (
                    <Suspense fallback={<Spin />}><NavChart items={d.items} benchmark={p.benchmark} RangePicker={RangePicker} height={260} moneyMarket={p.type === 'money_market'} /></Suspense>
                  ))}
                </Async>
              </Card>
            </Col>
          </Row>
          {canEdit && (
            <Card title={tr('净值发布', 'Publish NAV')} style={{ marginBottom: 16 }}>
              <Tabs items={[
                { key: 'form', label: tr('单日发布', 'One day'), children: <PublishNav product={p} onDone={reload} /> },
                { key: 'csv', label: tr('CSV 批量上传', 'CSV upload'), children: <CsvUpload product={p} onDone={reload} /> },
              ]} />
            </Card>
          )}
          <Card title={tr('已确认净值', 'Confirmed NAVs')}>
            <Async state={navs}>
              {(d) => (
                <Table rowKey="date" size="small" dataSource={[...d.items].reverse()} pagination={{ pageSize: 10 }} columns={[
                  { title: tr('日期', 'Date'), dataIndex: 'date' },
                  { title: tr('单位净值', 'Unit NAV'), dataIndex: 'nav', align: 'right', render: (v) => formatNav(v) },
                  { title: tr('累计净值', 'Accumulated'), dataIndex: 'acc_nav', align: 'right', render: (v) => formatNav(v) },
                  ...(p.type === 'money_market' ? [{ title: tr('万份收益', 'Per 10k'), dataIndex: 'income_per_10k', align: 'right' }, { title: tr('七日年化', '7-day yield'), dataIndex: 'yield_7d', align: 'right', render: (v) => (v ? `${v}%` : '--') }] : []),
                ]} />
              )}
            </Async>
          </Card>
        </>
      )}
    </Async>
  );
}
