// A new campaign of an allowed type, or a draft or rejected one edited (the same form,
// prefilled with the campaign; saving makes it a draft again). A forbidden offer (lottery, red
// packet, gift, free shares, below cost, tying) is refused by the server citing the rule; the
// refusal is shown in words with the wording that gave it away marked, and on the field at fault.
import { useState } from 'react';
import dayjs from 'dayjs';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { CAMPAIGN_SEGMENTS, CAMPAIGN_STATUS, CAMPAIGN_TYPES, CATEGORY_NAMES, errorText, getLang, nameOf, tr } from '../../lib/i18n.js';
import { campaignActions, campaignBody, campaignValues, forbiddenRule, periodProblem, RATE_INPUT, segmentsFor } from '../../lib/campaigns.js';
import { isMoneyInput } from '../../lib/money.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, CheckedFields, Highlighted, MatchList, PageHeader } from '../ui.jsx';

const FIELD_LABELS = {
  type: ['活动类型', 'Type'], name: ['活动名称', 'Name'], text: ['活动说明', 'Text'], discount: ['减免比例', 'Discount'],
  product_ids: ['适用产品', 'Products'], segment_product_id: ['持有产品', 'Product held'], budget: ['预算', 'Budget'],
};

function formField(field) {
  if (!field) return null;
  const base = field.replace(/\[\d+\]$/, '');
  return ['type', 'name', 'text', 'start_date', 'end_date', 'budget', 'discount', 'product_ids', 'content_id', 'segment', 'risk_classes', 'segment_product_id'].includes(base) ? base : null;
}

/** The refusal of a forbidden campaign: the rule in words, its code, and the wording marked. */
function Forbidden({ rule, values }) {
  const m = rule.match;
  const text = m ? values[m.field] : null;
  return (
    <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} data-testid="forbidden-campaign"
      title={tr('活动不符合基金销售规定，未保存', 'This campaign is not allowed and was not saved')}
      description={(
        <div>
          <div>{getLang() === 'en' ? rule.en : rule.zh}</div>
          <Typography.Text type="secondary">{tr('依据规则', 'Rule')}：<code>{rule.code}</code>
            {rule.field && <> · {tr('问题字段', 'Field')}：{nameOf(FIELD_LABELS, rule.field.replace(/\[\d+\]$/, ''))}</>}</Typography.Text>
          {m && text && (
            <div style={{ marginTop: 8 }}>
              {tr(`“${m.text}”被识别为“${m.word}”`, `“${m.text}” reads as “${m.word}”`)}：
              <Highlighted text={text} matches={[{ start: m.start, end: m.end, term: m.word, severity: 'block' }]} />
            </div>
          )}
        </div>
      )} />
  );
}

const NEW_VALUES = { type: 'fee_discount', segment: 'all', product_ids: [] };

/** The form's first values: a new campaign's defaults, or the stored campaign's terms. */
function initialValues(k) {
  if (!k) return NEW_VALUES;
  const v = campaignValues(k);
  return { ...v, start_date: dayjs(v.start_date), end_date: dayjs(v.end_date) };
}

/** id: the campaign to edit; none for a new one. */
export default function CampaignNew({ id }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const type = Form.useWatch('type', form) ?? 'fee_discount';
  const segment = Form.useWatch('segment', form);
  const data = useAsync(() => Promise.all([api.get('/api/v1/inst/products'), api.get('/api/v1/inst/contents'),
    id ? api.get(`/api/v1/inst/campaigns/${id}`).then((r) => r.campaign) : null]), [id]);
  const back = id ? `/console/campaigns/${id}` : '/console/campaigns';
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);

  function onTypeChange(t) {
    form.setFieldsValue({ segment: t === 'segment_message' ? 'followers' : 'all' });
  }

  async function create(v) {
    const values = { ...v, start_date: v.start_date.format('YYYY-MM-DD'), end_date: v.end_date.format('YYYY-MM-DD') };
    const bad = periodProblem(values.start_date, values.end_date);
    if (bad) {
      form.setFields([{ name: 'end_date', errors: [bad === 'order' ? tr('结束日期不能早于开始日期', 'The end comes before the start') : tr('活动期最长 366 天', 'At most 366 days')] }]);
      return;
    }
    setBusy(true);
    setProblem(null);
    const body = campaignBody(values);
    try {
      const r = id ? await api.put(`/api/v1/inst/campaigns/${id}`, body) : await api.post('/api/v1/inst/campaigns', body);
      message.success(id ? tr('修改已保存，活动为草稿，提交审核后才会开始', 'Saved: the campaign is a draft again; submit it for review')
        : tr('活动草稿已保存，提交审核后才会开始', 'Draft saved: submit it for review'));
      navigate(`/console/campaigns/${r.campaign.id}`);
    } catch (e) {
      const f = formField(e.field);
      if (f) form.setFields([{ name: f, errors: [e.code === 'forbidden_campaign' ? tr('不允许的活动', 'Not allowed') : errorText(e)] }]);
      setProblem({ error: e, values: body });
    } finally {
      setBusy(false);
    }
  }

  const rule = problem ? forbiddenRule(problem.error.problem) : null;
  return (
    <>
      <PageHeader title={id ? tr('编辑活动', 'Edit campaign') : tr('新建活动', 'New campaign')}
        extra={<Button onClick={() => navigate(back)}>{id ? tr('返回活动', 'Back to the campaign') : tr('返回列表', 'Back to list')}</Button>} />
      <Async state={data}>
        {([products, contents, k]) => (
          <Row gutter={24}>
            <Col xs={24} xl={15}>
              {k && !campaignActions(k).edit && (
                <Alert type="warning" showIcon role="alert" style={{ marginBottom: 16 }}
                  title={tr(`活动当前为「${nameOf(CAMPAIGN_STATUS, k.status)}」，只有草稿或被驳回的活动可以修改`, `The campaign is “${nameOf(CAMPAIGN_STATUS, k.status)}”: only a draft or a rejected campaign can be edited`)} />
              )}
              {k?.status === 'rejected' && k.reason && (
                <Alert type="error" showIcon style={{ marginBottom: 16 }} title={`${tr('驳回意见', 'Rejected')}：${k.reason}`}
                  description={tr('保存后活动回到草稿，可再次提交审核', 'Saving makes it a draft again, to submit for review once more')} />
              )}
              {rule && <Forbidden rule={rule} values={problem.values} />}
              {problem && !rule && (
                <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={errorText(problem.error)}
                  description={problem.error.problem?.check ? (
                    <>
                      <CheckedFields check={problem.error.problem.check} rows={[[tr('活动名称', 'Name'), problem.values.name, 'name'], [tr('活动说明', 'Text'), problem.values.text, 'text']]} />
                      <MatchList check={problem.error.problem.check} />
                    </>
                  ) : null} />
              )}
              <Card>
                <Form form={form} layout="vertical" onFinish={create} initialValues={initialValues(k)}>
                  <Form.Item name="type" label={tr('活动类型', 'Type')}>
                    <Radio.Group onChange={(e) => onTypeChange(e.target.value)} options={Object.keys(CAMPAIGN_TYPES).map((t) => ({ value: t, label: nameOf(CAMPAIGN_TYPES, t) }))} />
                  </Form.Item>
                  <Form.Item name="name" label={type === 'segment_message' ? tr('活动名称（即消息标题）', 'Name (the message title)') : tr('活动名称', 'Name')}
                    rules={[{ required: true, whitespace: true, max: 60, message: tr('1–60 个字，单行', '1–60 characters, one line') }]}><Input /></Form.Item>
                  <Form.Item name="text" label={type === 'segment_message' ? tr('活动说明（即消息正文）', 'Text (the message body)') : tr('活动说明', 'Text')}
                    rules={[{ required: true, whitespace: true, max: 1000, message: tr('1–1000 个字', '1–1000 characters') }]}><Input.TextArea rows={4} showCount maxLength={1000} /></Form.Item>
                  <Space wrap>
                    <Form.Item name="start_date" label={tr('开始日期', 'First day')} rules={[{ required: true, message: tr('请选择开始日期', 'Choose the first day') }]}><DatePicker /></Form.Item>
                    <Form.Item name="end_date" label={tr('结束日期', 'Last day')} rules={[{ required: true, message: tr('请选择结束日期', 'Choose the last day') }]}><DatePicker /></Form.Item>
                  </Space>
                  {type === 'fee_discount' && (
                    <>
                      <Space wrap align="start">
                        <Form.Item name="discount" label={tr('减免比例', 'Discount')} extra={tr('在平台优惠后的申购费率上再减免的比例，0.5 即再减半，1 即全免', 'Share of the rate fee (after the platform\'s discount) taken off: 0.5 halves it, 1 waives it')}
                          rules={[{ required: true, message: tr('请输入减免比例', 'Enter the discount') }, { pattern: RATE_INPUT, message: tr('小数，最多 6 位', 'A decimal, at most 6 places') }]}>
                          <Input style={{ width: 160 }} placeholder="0.5" />
                        </Form.Item>
                        <Form.Item name="budget" label={tr('预算（元）', 'Budget (CNY)')} extra={tr('所有订单合计最多减免的手续费', 'The most all orders together may take off fees')}
                          rules={[{ required: true, message: tr('请输入预算', 'Enter the budget') }, { validator: (_, v) => (!v || isMoneyInput(v) ? Promise.resolve() : Promise.reject(new Error(tr('金额，最多两位小数', 'An amount, at most two decimals')))) }]}>
                          <Input style={{ width: 200 }} placeholder="1000.00" />
                        </Form.Item>
                      </Space>
                    </>
                  )}
                  {type === 'content_promotion' && (
                    <Form.Item name="content_id" label={tr('置顶内容', 'Content pinned')} rules={[{ required: true, message: tr('请选择已发布的内容', 'Choose a published content') }]}>
                      <Select options={contents.items.filter((c) => c.content_status === 'published').map((c) => ({ value: c.id, label: c.title }))} />
                    </Form.Item>
                  )}
                  {type !== 'segment_message' && (
                    <Form.Item name="product_ids" label={type === 'fee_discount' ? tr('适用产品', 'Products') : tr('关联产品（选填，无优惠）', 'Products (optional, no discount)')}
                      rules={type === 'fee_discount' ? [{ required: true, type: 'array', min: 1, message: tr('至少选择一只本机构产品', 'Choose at least one of your products') }] : []}>
                      <Select mode="multiple" optionFilterProp="label" options={products.items.filter((p) => p.status !== 'closed').map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))} />
                    </Form.Item>
                  )}
                  <Form.Item name="segment" label={tr('活动对象', 'Audience')}>
                    <Radio.Group options={segmentsFor(type).map((s) => ({ value: s, label: nameOf(CAMPAIGN_SEGMENTS, s) }))} />
                  </Form.Item>
                  {segment === 'risk' && (
                    <Form.Item name="risk_classes" label={tr('风险类型', 'Risk categories')} rules={[{ required: true, type: 'array', min: 1, message: tr('至少选择一个', 'Choose at least one') }]}>
                      <Select mode="multiple" options={Object.keys(CATEGORY_NAMES).map((c) => ({ value: c, label: `${c} ${nameOf(CATEGORY_NAMES, c)}` }))} />
                    </Form.Item>
                  )}
                  {segment === 'holders' && (
                    <Form.Item name="segment_product_id" label={tr('持有产品', 'Product held')} extra={type === 'segment_message' ? tr('不选则为全部产品的持有人', 'Empty: holders of any of your products') : tr('费率优惠只能用于该产品本身（否则属于搭售）', 'A discount for holders may only apply to that product (anything else is tying)')}
                      rules={type === 'segment_message' ? [] : [{ required: true, message: tr('请选择产品', 'Choose a product') }]}>
                      <Select allowClear options={products.items.map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))} />
                    </Form.Item>
                  )}
                  <Button type="primary" htmlType="submit" loading={busy} disabled={k ? !campaignActions(k).edit : false}>
                    {id ? tr('保存修改', 'Save changes') : tr('保存草稿', 'Save draft')}
                  </Button>
                </Form>
              </Card>
            </Col>
            <Col xs={24} xl={9}>
              <Card size="small" title={tr('活动规则', 'The rules')}>
                <Typography.Paragraph>{tr('依据《公开募集证券投资基金销售机构监督管理办法》，不得以抽奖、回扣、赠送实物、保险或基金份额等方式销售基金，不得低于成本收费；平台不允许以购买其他产品为条件的搭售。',
                  'The fund-sales rules forbid lotteries, kickbacks, gifts of goods, insurance or fund shares and fees below cost; the platform forbids tying one product\'s benefit to buying another.')}</Typography.Paragraph>
                <Typography.Paragraph>{tr('活动名称和说明会经过合规检查；保存后须提交平台审核，审核通过后在活动期内生效。', 'The name and text are checked; after saving, submit for review: it runs within its period once approved.')}</Typography.Paragraph>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{tr('定向消息在提交审核时即计入每天 3 条的消息上限。', 'A segment message counts against the daily limit of 3 messages when submitted.')}</Typography.Paragraph>
              </Card>
            </Col>
          </Row>
        )}
      </Async>
    </>
  );
}
