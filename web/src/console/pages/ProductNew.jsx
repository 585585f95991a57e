// A new product with its fee schedules. The server checks the schedules against the platform's
// rules; a broken rule comes back as 422 fee_schedule_invalid naming the schedule and the tier,
// and is shown on that tier's row.
import { useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, nameOf, PRODUCT_TYPES, RISK_NAMES, tr } from '../../lib/i18n.js';
import { formatRate } from '../../lib/money.js';
import { navigate } from '../../lib/router.js';
import { PageHeader } from '../ui.jsx';

const MONEY = /^(0|[1-9]\d*)(\.\d{1,2})?$/;
const RATE = /^(0|[1-9]\d*)(\.\d{1,6})?$/;
const money = (msg) => ({ pattern: MONEY, message: msg ?? tr('金额，最多两位小数', 'An amount, at most 2 decimals') });
const rate = () => ({ pattern: RATE, message: tr('小数形式，如 0.015 表示 1.5%', 'A fraction: 0.015 is 1.5%') });

/** '0.015' → '= 1.5%' as a hint next to a rate field. */
function pct(s) {
  if (!RATE.test(s ?? '')) return '';
  return `= ${formatRate(s, 4).replace(/\.?0+%$/, '%')}`;
}

function tierErrorPath(field, tier, p) {
  const name = field === 'sub_fees' ? 'sub_fees' : 'red_fees';
  if (tier >= 0) return [name, tier, field === 'red_fees' ? 'rate' : (p.rule?.includes('fixed') ? 'fixed' : 'rate')];
  return null;
}

export default function ProductNew() {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);

  async function submit(v) {
    setBusy(true);
    setProblem(null);
    const body = {
      code: v.code, name: v.name, type: v.type, equity_leaning: !!v.equity_leaning, risk_level: v.risk_level,
      min_purchase: v.min_purchase, daily_limit: v.daily_limit,
      sub_fees: v.sub_fees.map((t) => {
        const x = { min_amount: t.min_amount, max_amount: t.max_amount || null };
        if (t.kind === 'fixed') x.fixed = t.fixed; else x.rate = t.rate;
        return x;
      }),
      red_fees: v.red_fees.map((t) => ({ min_days: t.min_days, max_days: t.max_days ?? null, rate: t.rate })),
      fee_discount: v.fee_discount || '1', share_rounding: v.share_rounding, redeem_delay_days: v.redeem_delay_days,
      prospectus_url: v.prospectus_url, key_facts_url: v.key_facts_url, benchmark: v.benchmark ?? '',
      inception_date: v.inception_date.format('YYYY-MM-DD'),
    };
    try {
      const r = await api.post('/api/v1/inst/products', body);
      message.success(tr('产品已创建', 'Product created'));
      navigate(`/console/products/${r.product.id}`);
    } catch (err) {
      setProblem(err);
      const p = err.problem ?? {};
      if (err.code === 'fee_schedule_invalid') {
        const path = tierErrorPath(p.field, p.tier, p);
        if (path) form.setFields([{ name: path, errors: [errorText(err)] }]);
      } else if (err.field) {
        const m = /^(sub_fees|red_fees)\[(\d+)\]\.(\w+)/.exec(err.message);
        form.setFields([{ name: m ? [m[1], Number(m[2]), m[3]] : err.field, errors: [errorText(err)] }]);
      }
      if (!err.field) message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title={tr('新建产品', 'New product')} />
      {problem && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }}
          title={problem.code === 'fee_schedule_invalid'
            ? tr(`费率表不符合平台规则（${problem.problem.field === 'sub_fees' ? '申购费' : '赎回费'}${problem.problem.tier >= 0 ? `第 ${problem.problem.tier + 1} 档` : ''}）`, `A fee schedule breaks a rule (${problem.problem.field}, tier ${problem.problem.tier + 1})`)
            : tr('请检查标红的字段', 'Check the fields marked in red')}
          description={errorText(problem)} />
      )}
      <Form form={form} layout="vertical" onFinish={submit} scrollToFirstError initialValues={{
        type: 'equity', risk_level: 'R3', share_rounding: 'half_up', redeem_delay_days: 3, fee_discount: '0.1', equity_leaning: true,
        sub_fees: [{ min_amount: '0', max_amount: '1000000', kind: 'rate', rate: '0.008' }, { min_amount: '1000000', kind: 'fixed', fixed: '1000' }],
        red_fees: [{ min_days: 0, max_days: 7, rate: '0.015' }, { min_days: 7, max_days: 365, rate: '0.005' }, { min_days: 365, rate: '0' }],
      }}>
        <Card title={tr('基本信息', 'Basics')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col span={6}><Form.Item name="code" label={tr('基金代码', 'Fund code')} rules={[{ required: true, pattern: /^\d{6}$/, message: tr('6 位数字', '6 digits') }]}><Input /></Form.Item></Col>
            <Col span={10}><Form.Item name="name" label={tr('基金名称', 'Name')} rules={[{ required: true, max: 64 }]}><Input /></Form.Item></Col>
            <Col span={4}><Form.Item name="type" label={tr('类型', 'Type')}><Select options={Object.keys(PRODUCT_TYPES).map((k) => ({ value: k, label: nameOf(PRODUCT_TYPES, k) }))} /></Form.Item></Col>
            <Col span={4}><Form.Item name="equity_leaning" label={tr('偏股型', 'Equity-leaning')} valuePropName="checked"><Switch /></Form.Item></Col>
            <Col span={6}><Form.Item name="risk_level" label={tr('风险等级', 'Risk level')}><Select options={Object.keys(RISK_NAMES).map((k) => ({ value: k, label: `${k} ${nameOf(RISK_NAMES, k)}` }))} /></Form.Item></Col>
            <Col span={6}><Form.Item name="min_purchase" label={tr('起购金额（元）', 'Minimum (CNY)')} rules={[{ required: true }, money()]}><Input /></Form.Item></Col>
            <Col span={6}><Form.Item name="daily_limit" label={tr('单日限额（元）', 'Daily limit (CNY)')} rules={[{ required: true }, money()]}><Input /></Form.Item></Col>
            <Col span={6}><Form.Item name="inception_date" label={tr('成立日期', 'Inception date')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item></Col>
            <Col span={6}><Form.Item name="fee_discount" label={tr('申购费折扣', 'Fee discount')} extra={tr('0.1 表示 1 折', '0.1 is 90% off')} rules={[rate()]}><Input /></Form.Item></Col>
            <Col span={6}><Form.Item name="share_rounding" label={tr('份额舍入', 'Share rounding')}><Select options={[{ value: 'half_up', label: tr('四舍五入', 'Half up') }, { value: 'truncate', label: tr('截位', 'Truncate') }]} /></Form.Item></Col>
            <Col span={6}><Form.Item name="redeem_delay_days" label={tr('赎回到账 T+n', 'Cash on T+n')}><InputNumber min={1} max={10} /></Form.Item></Col>
            <Col span={12}><Form.Item name="benchmark" label={tr('业绩比较基准', 'Benchmark')}><Input /></Form.Item></Col>
            <Col span={12}><Form.Item name="prospectus_url" label={tr('招募说明书链接', 'Prospectus URL')} rules={[{ required: true, pattern: /^https:\/\//, message: tr('https:// 链接', 'An https:// link') }]}><Input /></Form.Item></Col>
            <Col span={12}><Form.Item name="key_facts_url" label={tr('产品资料概要链接', 'Key facts URL')} rules={[{ required: true, pattern: /^https:\/\//, message: tr('https:// 链接', 'An https:// link') }]}><Input /></Form.Item></Col>
          </Row>
        </Card>
        <Card title={tr('申购费率（外扣法）', 'Subscription fees')} style={{ marginBottom: 16 }}
          extra={<Typography.Text type="secondary">{tr('自 0 起连续分档，最后一档不设上限；股票型/偏股混合/QDII ≤0.8%，其他混合 ≤0.5%，指数/债券 ≤0.3%', 'Contiguous from 0, last open-ended; caps 0.8% / 0.5% / 0.3%')}</Typography.Text>}>
          <Form.List name="sub_fees">
            {(fields, { add, remove }) => (
              <>
                {fields.map(({ key, name }) => (
                  <Space key={key} align="start" wrap aria-label={tr(`申购费第 ${name + 1} 档`, `Subscription tier ${name + 1}`)}>
                    <Typography.Text style={{ lineHeight: '32px' }}>{tr(`第 ${name + 1} 档`, `Tier ${name + 1}`)}</Typography.Text>
                    <Form.Item name={[name, 'min_amount']} rules={[{ required: true, message: tr('起点', 'From') }, money()]}><Input addonBefore={tr('从', 'from')} style={{ width: 170 }} aria-label={tr(`第 ${name + 1} 档起点`, `Tier ${name + 1} from`)} /></Form.Item>
                    <Form.Item name={[name, 'max_amount']} rules={[money()]}><Input addonBefore={tr('到', 'to')} placeholder={tr('不设上限', 'no limit')} style={{ width: 170 }} aria-label={tr(`第 ${name + 1} 档上限`, `Tier ${name + 1} to`)} /></Form.Item>
                    <Form.Item name={[name, 'kind']}><Select style={{ width: 100 }} options={[{ value: 'rate', label: tr('费率', 'Rate') }, { value: 'fixed', label: tr('固定费用', 'Fixed') }]} aria-label={tr('收费方式', 'Kind')} /></Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => (form.getFieldValue(['sub_fees', name, 'kind']) === 'fixed'
                        ? <Form.Item name={[name, 'fixed']} rules={[{ required: true, message: tr('固定费用', 'Fixed fee') }, money()]}><Input addonAfter={tr('元/笔', 'per order')} style={{ width: 170 }} aria-label={tr(`第 ${name + 1} 档固定费用`, `Tier ${name + 1} fixed fee`)} /></Form.Item>
                        : <Form.Item name={[name, 'rate']} rules={[{ required: true, message: tr('费率', 'Rate') }, rate()]} extra={pct(form.getFieldValue(['sub_fees', name, 'rate']))}><Input style={{ width: 170 }} aria-label={tr(`第 ${name + 1} 档申购费率`, `Tier ${name + 1} rate`)} /></Form.Item>)}
                    </Form.Item>
                    <Button type="link" danger onClick={() => remove(name)} disabled={fields.length <= 1}>{tr('删除', 'Remove')}</Button>
                  </Space>
                ))}
                <Button onClick={() => add({ kind: 'rate' })}>{tr('添加一档', 'Add tier')}</Button>
              </>
            )}
          </Form.List>
        </Card>
        <Card title={tr('赎回费率（按持有天数）', 'Redemption fees (by days held)')} style={{ marginBottom: 16 }}
          extra={<Typography.Text type="secondary">{tr('持有不足 7 天不低于 1.5%', 'At least 1.5% under 7 days')}</Typography.Text>}>
          <Form.List name="red_fees">
            {(fields, { add, remove }) => (
              <>
                {fields.map(({ key, name }) => (
                  <Space key={key} align="start" wrap>
                    <Typography.Text style={{ lineHeight: '32px' }}>{tr(`第 ${name + 1} 档`, `Tier ${name + 1}`)}</Typography.Text>
                    <Form.Item name={[name, 'min_days']} rules={[{ required: true, message: tr('起始天数', 'From') }]}><InputNumber min={0} addonBefore={tr('从', 'from')} addonAfter={tr('天', 'days')} aria-label={tr(`赎回第 ${name + 1} 档起始天数`, `Tier ${name + 1} from days`)} /></Form.Item>
                    <Form.Item name={[name, 'max_days']}><InputNumber min={1} addonBefore={tr('到', 'to')} addonAfter={tr('天', 'days')} placeholder={tr('不设上限', 'no limit')} aria-label={tr(`赎回第 ${name + 1} 档截止天数`, `Tier ${name + 1} to days`)} /></Form.Item>
                    <Form.Item name={[name, 'rate']} rules={[{ required: true, message: tr('费率', 'Rate') }, rate()]} extra={pct(form.getFieldValue(['red_fees', name, 'rate']))}><Input style={{ width: 150 }} aria-label={tr(`赎回第 ${name + 1} 档费率`, `Redemption tier ${name + 1} rate`)} /></Form.Item>
                    <Button type="link" danger onClick={() => remove(name)} disabled={fields.length <= 1}>{tr('删除', 'Remove')}</Button>
                  </Space>
                ))}
                <Button onClick={() => add()}>{tr('添加一档', 'Add tier')}</Button>
              </>
            )}
          </Form.List>
        </Card>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>{tr('创建产品', 'Create product')}</Button>
          <Button onClick={() => navigate('/console/products')}>{tr('取消', 'Cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
