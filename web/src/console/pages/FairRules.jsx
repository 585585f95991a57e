// The fair traffic rule's versions (operators): the list, a draft created or edited field by
// field (a 422 `rule_invalid` is shown on the member it names, e.g. terms[2].weight), and
// publication with a notice period, after which the version is read-only for ever
// (docs/fair-rule.md).
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, InputNumber, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { addDays, FAIR_METRICS } from '../../lib/dashboard.js';
import { fieldPath } from '../../lib/fairday.js';
import { errorText, tr } from '../../lib/i18n.js';
import { navigate } from '../../lib/router.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';
import { metricName } from './FairScore.jsx';

const RULE_STATUS = { draft: ['default', '草稿', 'Draft'], published: ['green', '已发布', 'Published'] };
export function RuleStatus({ status }) {
  const s = RULE_STATUS[status] ?? ['default', status, status];
  return <Tag color={s[0]}>{tr(s[1], s[2])}</Tag>;
}

/** The default rule of docs/fair-rule.md, the starting point of a first draft. */
const DEFAULT_RULE = {
  terms: [
    { metric: 'question_response_time', weight: 2, normalisation: 'range', lo: 0, hi: 86400, missing_ppm: 500000 },
    { metric: 'answer_rate', weight: 2, normalisation: 'range', lo: 0, hi: 1000000, missing_ppm: 500000 },
    { metric: 'holder_retention_90d', weight: 2, normalisation: 'range', lo: 500000, hi: 1000000, missing_ppm: 500000 },
    { metric: 'complaint_rate', weight: 2, normalisation: 'range', lo: 0, hi: 1000, missing_ppm: 500000 },
    { metric: 'compliance_record', weight: 3, normalisation: 'range', lo: 800000, hi: 1000000, missing_ppm: 500000 },
    { metric: 'content_engagement', weight: 1, normalisation: 'relative', missing_ppm: 500000 },
    { metric: 'follower_growth', weight: 1, normalisation: 'relative', missing_ppm: 500000 },
  ],
  floor_days: 30, floor_ppm: 10000, cap_ppm: 150000, total: 1000000,
};

function toBody(v) {
  return {
    terms: v.terms.map((t) => {
      const out = { metric: t.metric, weight: t.weight, normalisation: t.normalisation, missing_ppm: t.missing_ppm };
      if (t.direction) out.direction = t.direction;
      if (t.normalisation === 'range') { out.lo = t.lo; out.hi = t.hi; }
      return out;
    }),
    floor_days: v.floor_days, floor_ppm: v.floor_ppm, cap_ppm: v.cap_ppm, total: v.total,
  };
}

const int = (min, max, msg) => [{ required: true, message: tr('必填', 'Required') },
  { type: 'integer', min, max, message: msg }];

function RuleForm({ form, rule, readOnly, onFinish }) {
  return (
    <Form form={form} layout="vertical" initialValues={rule} onFinish={onFinish} disabled={readOnly} scrollToFirstError>
      <Form.List name="terms">
        {(fields, { add, remove }, { errors }) => (
          <Card size="small" title={tr('评分指标（1–7 项）', 'Terms (1–7)')} style={{ marginBottom: 16 }}
            extra={!readOnly && <Button size="small" disabled={fields.length >= 7} onClick={() => add({ weight: 1, normalisation: 'relative', missing_ppm: 500000 })}>{tr('添加指标', 'Add term')}</Button>}>
            {fields.map((f) => (
              <Row key={f.key} gutter={8} align="top" className="term-row">
                <Col span={5}>
                  <Form.Item name={[f.name, 'metric']} label={tr(`指标 ${f.name + 1}`, `Metric ${f.name + 1}`)} rules={[{ required: true, message: tr('请选择指标', 'Choose a metric') }]}>
                    <Select options={Object.keys(FAIR_METRICS).map((m) => ({ value: m, label: metricName(m) }))} />
                  </Form.Item>
                </Col>
                <Col span={3}>
                  <Form.Item name={[f.name, 'weight']} label={tr(`权重 ${f.name + 1}`, `Weight ${f.name + 1}`)} rules={int(1, 1000, tr('权重为 1–1000 的整数', 'An integer 1–1000'))}>
                    <InputNumber style={{ width: '100%' }} precision={0} />
                  </Form.Item>
                </Col>
                <Col span={3}>
                  <Form.Item name={[f.name, 'direction']} label={tr('方向', 'Direction')}>
                    <Select allowClear placeholder={tr('按目录', 'Catalogue')} options={[{ value: 'higher', label: tr('越高越好', 'Higher') }, { value: 'lower', label: tr('越低越好', 'Lower') }]} />
                  </Form.Item>
                </Col>
                <Col span={3}>
                  <Form.Item name={[f.name, 'normalisation']} label={tr('标准化', 'Normalisation')} rules={[{ required: true }]}>
                    <Select options={[{ value: 'range', label: tr('区间', 'Range') }, { value: 'relative', label: tr('相对', 'Relative') }]} />
                  </Form.Item>
                </Col>
                <Form.Item noStyle shouldUpdate>
                  {() => {
                    const relative = form.getFieldValue(['terms', f.name, 'normalisation']) !== 'range';
                    return (
                      <>
                        <Col span={3}>
                          <Form.Item name={[f.name, 'lo']} label={tr(`下限 ${f.name + 1}`, `Low ${f.name + 1}`)} rules={relative ? [] : [{ required: true, message: tr('必填', 'Required') }]}>
                            <InputNumber style={{ width: '100%' }} precision={0} disabled={readOnly || relative} />
                          </Form.Item>
                        </Col>
                        <Col span={3}>
                          <Form.Item name={[f.name, 'hi']} label={tr(`上限 ${f.name + 1}`, `High ${f.name + 1}`)} rules={relative ? [] : [{ required: true, message: tr('必填', 'Required') }]}>
                            <InputNumber style={{ width: '100%' }} precision={0} disabled={readOnly || relative} />
                          </Form.Item>
                        </Col>
                      </>
                    );
                  }}
                </Form.Item>
                <Col span={3}>
                  <Form.Item name={[f.name, 'missing_ppm']} label={tr('缺失时得分', 'If missing')} rules={int(0, 1000000, '0–1000000')}>
                    <InputNumber style={{ width: '100%' }} precision={0} />
                  </Form.Item>
                </Col>
                {!readOnly && (
                  <Col span={1}>
                    <Button type="link" danger style={{ marginTop: 30 }} disabled={fields.length <= 1} onClick={() => remove(f.name)} aria-label={tr(`删除指标 ${f.name + 1}`, `Remove term ${f.name + 1}`)}>✕</Button>
                  </Col>
                )}
              </Row>
            ))}
            <Form.ErrorList errors={errors} />
          </Card>
        )}
      </Form.List>
      <Row gutter={12}>
        <Col span={6}><Form.Item name="floor_days" label={tr('新机构天数', 'New for (days)')} rules={int(0, 365, '0–365')}><InputNumber style={{ width: '100%' }} precision={0} /></Form.Item></Col>
        <Col span={6}><Form.Item name="floor_ppm" label={tr('保底（ppm）', 'Floor (ppm)')} rules={int(0, 1000000, '0–1000000')}><InputNumber style={{ width: '100%' }} precision={0} /></Form.Item></Col>
        <Col span={6}><Form.Item name="cap_ppm" label={tr('上限（ppm）', 'Cap (ppm)')} rules={int(1, 1000000, '1–1000000')}><InputNumber style={{ width: '100%' }} precision={0} /></Form.Item></Col>
        <Col span={6}><Form.Item name="total" label={tr('每日曝光总量', 'Daily impressions')} rules={int(1, 1000000000000, '1–10^12')}><InputNumber style={{ width: '100%' }} precision={0} /></Form.Item></Col>
      </Row>
    </Form>
  );
}

/** A version: a draft edited, or a published one read-only. `version` undefined: a new draft. */
export function FairRuleEditor({ version, role }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState(15);
  const admin = role === 'ops_admin';
  const loaded = useAsync(async () => {
    const pub = await api.get('/api/v1/public/fair-rules');
    if (version) return { v: await api.get(`/api/v1/ops/fair-rules/${version}`), today: pub.today };
    const list = await api.get('/api/v1/ops/fair-rules');
    return { v: null, today: pub.today, rule: list.items[0]?.rule ?? DEFAULT_RULE };
  }, [version]);

  async function save(values) {
    setBusy(true);
    try {
      const body = toBody(values);
      const r = version ? await api.put(`/api/v1/ops/fair-rules/${version}`, body) : await api.post('/api/v1/ops/fair-rules', body);
      message.success(tr(`草稿 v${r.version} 已保存`, `Draft v${r.version} saved`));
      if (!version) navigate(`/console/fair-rules/${r.version}`, { replace: true });
      else loaded.reload();
    } catch (err) {
      const path = fieldPath(err.field);
      if (path && err.status === 422) form.setFields([{ name: path, errors: [errorText(err)] }]);
      if (path && err.status === 422 && path.length > 1) form.scrollToField(path);
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  async function publish() {
    setBusy(true);
    try {
      const r = await api.post(`/api/v1/ops/fair-rules/${version}/publish`, { notice_days: notice });
      message.success(tr(`v${r.version} 已发布，${r.effective_date} 起生效`, `v${r.version} published, in force from ${r.effective_date}`));
      setPublishing(false);
      loaded.reload();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Async state={loaded}>
      {({ v, today, rule }) => {
        const readOnly = !admin || v?.status === 'published';
        return (
          <>
            <PageHeader title={v ? tr(`公平规则 v${v.version}`, `Fair rule v${v.version}`) : tr('新建规则草稿', 'New rule draft')}
              sub={v && <RuleStatus status={v.status} />}
              extra={(
                <Space>
                  <Button onClick={() => navigate('/console/fair-rules')}>{tr('返回列表', 'Back')}</Button>
                  {!readOnly && <Button type="primary" loading={busy} onClick={() => form.submit()}>{tr('保存草稿', 'Save draft')}</Button>}
                  {admin && v?.status === 'draft' && <Button type="primary" danger onClick={() => setPublishing(true)}>{tr('发布', 'Publish')}</Button>}
                </Space>
              )} />
            {v?.status === 'published' && (
              <Card style={{ marginBottom: 16 }}>
                <Alert type="success" showIcon style={{ marginBottom: 12 }}
                  title={tr(`已于 ${v.published_date} 发布，公示 ${v.notice_days} 天，${v.effective_date} 起生效。已发布的版本不可修改，只能由更晚生效的新版本取代。`,
                    `Published on ${v.published_date} with ${v.notice_days} days' notice, in force from ${v.effective_date}. A published version never changes; a later version can supersede it.`)} />
                <Descriptions column={1} size="small" items={[
                  { key: 'h', label: 'SHA-256', children: <Typography.Text className="mono" copyable>{v.hash}</Typography.Text> },
                  { key: 'p', label: tr('发布时间', 'Published'), children: formatDateTime(v.published_ms) },
                  { key: 't', label: tr('规范文本', 'Canonical text'), children: <Typography.Paragraph className="mono" copyable style={{ marginBottom: 0, wordBreak: 'break-all' }}>{v.text}</Typography.Paragraph> },
                ]} />
              </Card>
            )}
            <Card>
              <RuleForm key={v ? `${v.version}-${v.updated_ms}` : 'new'} form={form} rule={v ? v.rule : rule} readOnly={readOnly} onFinish={save} />
            </Card>
            <Modal open={publishing} title={tr(`发布 v${v?.version}？`, `Publish v${v?.version}?`)} onCancel={() => setPublishing(false)} onOk={publish}
              okText={tr('确认发布', 'Publish')} confirmLoading={busy}>
              <p>{tr('发布后该版本不可再修改；公示期满后生效，每日的评分与分配都将公开并签名。', 'Once published the version never changes; it takes effect after the notice period.')}</p>
              <Form layout="vertical">
                <Form.Item label={tr('公示天数', 'Notice days')} help={tr('至少 15 天', 'At least 15')}>
                  <InputNumber min={15} max={365} precision={0} value={notice} onChange={(x) => setNotice(x ?? 15)} aria-label={tr('公示天数', 'Notice days')} />
                </Form.Item>
              </Form>
              <Alert type="info" showIcon title={tr(`今天（北京时间）是 ${today}；若今天发布，生效日期为 ${addDays(today, notice)}`, `Today (UTC+8) is ${today}; published today it takes effect on ${addDays(today, notice)}`)} />
            </Modal>
          </>
        );
      }}
    </Async>
  );
}

export default function FairRules({ role }) {
  const list = useAsync(() => Promise.all([api.get('/api/v1/ops/fair-rules'), api.get('/api/v1/public/fair-rules')]), []);
  return (
    <>
      <PageHeader title={tr('公平规则', 'Fair rule')}
        sub={tr('推荐位按公开规则分配；新版本须公示至少 15 天后生效', 'The slots follow a published rule; a version takes effect after at least 15 days of notice')}
        extra={role === 'ops_admin' && <Button type="primary" onClick={() => navigate('/console/fair-rules/new')}>{tr('新建草稿', 'New draft')}</Button>} />
      <Async state={list}>
        {([ops, pub]) => (
          <>
            <p>{pub.in_force_version ? tr(`今天（${pub.today}）生效的版本：v${pub.in_force_version}`, `In force today (${pub.today}): v${pub.in_force_version}`)
              : tr(`今天（${pub.today}）尚无生效的版本`, `No version is in force today (${pub.today})`)}</p>
            <Table rowKey="version" size="small" pagination={false} dataSource={ops.items}
              onRow={(r) => ({ onClick: () => navigate(`/console/fair-rules/${r.version}`) })}
              columns={[
                { title: tr('版本', 'Version'), dataIndex: 'version', render: (v) => <a href={`/console/fair-rules/${v}`} onClick={(e) => { e.preventDefault(); navigate(`/console/fair-rules/${v}`); }}>v{v}</a> },
                { title: tr('状态', 'Status'), dataIndex: 'status', render: (s, r) => <>{<RuleStatus status={s} />}{r.version === pub.in_force_version && <Tag color="blue">{tr('生效中', 'in force')}</Tag>}</> },
                { title: tr('指标数', 'Terms'), key: 'terms', render: (_, r) => r.rule.terms.length },
                { title: tr('发布日期', 'Published'), dataIndex: 'published_date', render: (v) => v ?? '--' },
                { title: tr('公示天数', 'Notice'), dataIndex: 'notice_days', render: (v) => v ?? '--' },
                { title: tr('生效日期', 'Effective'), dataIndex: 'effective_date', render: (v) => v ?? '--' },
                { title: tr('更新时间', 'Updated'), dataIndex: 'updated_ms', render: (v) => formatDateTime(v) },
                { title: 'SHA-256', dataIndex: 'hash', render: (v) => (v ? <span className="mono">{v.slice(0, 12)}…</span> : '--') },
              ]} />
          </>
        )}
      </Async>
    </>
  );
}
