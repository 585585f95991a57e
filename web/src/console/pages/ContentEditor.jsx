// The content editor: the compliance check marks the flagged spans of the title and of the
// text a reader sees before anything is submitted; saving runs the same check and answers
// published, held for review or blocked.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { CONTENT_KINDS, errorText, nameOf, tr } from '../../lib/i18n.js';
import { matchesOf } from '../../lib/spans.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, Highlighted, MatchList, PageHeader, StatusTag, VerdictTag } from '../ui.jsx';

const OUTCOME = {
  published: ['success', '已发布：投资者现在可以看到', 'Published: investors can see it now'],
  held: ['warning', '已提交平台审核：命中需人工审核的用语，审核通过后发布', 'Held for review: a reviewer decides before it shows'],
  blocked: ['error', '未发布：包含禁止用语，请修改标红部分', 'Blocked: change the marked words'],
};

function CheckView({ check, title }) {
  if (!check) return null;
  return (
    <Card size="small" title={<Space>{tr('合规检查结果', 'Compliance check')}<VerdictTag verdict={check.verdict} /></Space>} style={{ marginTop: 16 }} data-testid="check-result">
      {check.match_count === 0 ? <Typography.Text type="success">{tr('未发现违规用语', 'Nothing flagged')}</Typography.Text> : (
        <>
          <div><Typography.Text type="secondary">{tr('标题', 'Title')}：</Typography.Text><Highlighted text={title} matches={matchesOf(check, 'title')} /></div>
          <div style={{ marginTop: 8 }}><Typography.Text type="secondary">{tr('正文', 'Body')}：</Typography.Text>
            <div className="check-body"><Highlighted text={check.body_text} matches={matchesOf(check, 'body_text')} /></div></div>
          <MatchList check={check} />
        </>
      )}
    </Card>
  );
}

export default function ContentEditor({ id, canEdit = true }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const existing = useAsync(() => (id ? api.get('/api/v1/inst/contents').then((d) => d.items.find((x) => x.id === id) ?? null) : Promise.resolve(null)), [id]);
  const [check, setCheck] = useState(null);
  const [saved, setSaved] = useState(null);
  const [busy, setBusy] = useState('');

  useEffect(() => {
    const x = existing.data;
    if (x) {
      form.setFieldsValue({ kind: x.kind, title: x.title, body: x.body });
      setCheck({ check: x.check, title: x.title });
    }
  }, [existing.data, form]);

  async function runCheck() {
    const v = await form.validateFields();
    setBusy('check');
    try {
      const r = await api.post('/api/v1/inst/contents/check', { title: v.title, body: v.body });
      setCheck({ check: r.check, title: v.title });
      setSaved(null);
    } catch (err) {
      if (err.field) form.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else message.error(errorText(err));
    } finally {
      setBusy('');
    }
  }

  async function save() {
    const v = await form.validateFields();
    setBusy('save');
    try {
      const r = id ? await api.put(`/api/v1/inst/contents/${id}`, { title: v.title, body: v.body })
        : await api.post('/api/v1/inst/contents', { kind: v.kind, title: v.title, body: v.body });
      setSaved(r);
      setCheck({ check: r.check, title: v.title });
      if (!id) navigate(`/console/contents/${r.id}`, { replace: true });
      else existing.reload();
    } catch (err) {
      if (err.field) form.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else message.error(errorText(err));
    } finally {
      setBusy('');
    }
  }

  const x = existing.data;
  return (
    <>
      <PageHeader title={id ? tr('编辑内容', 'Edit content') : tr('写文章', 'Write')}
        sub={x ? <Space>{tr(`第 ${x.version} 版`, `Version ${x.version}`)}<StatusTag status={x.content_status} /></Space> : null}
        extra={<Button onClick={() => navigate('/console/contents')}>{tr('返回列表', 'Back to list')}</Button>} />
      <Async state={existing}>
        {() => (
          <Row gutter={24}>
            <Col xs={24} xl={14}>
              <Card>
                <Form form={form} layout="vertical" initialValues={{ kind: 'article' }} disabled={!canEdit || x?.content_status === 'taken_down'}>
                  <Form.Item name="kind" label={tr('类型', 'Kind')}>
                    <Select disabled={!!id} options={Object.keys(CONTENT_KINDS).map((k) => ({ value: k, label: nameOf(CONTENT_KINDS, k) }))} style={{ width: 160 }} />
                  </Form.Item>
                  <Form.Item name="title" label={tr('标题', 'Title')} rules={[{ required: true, max: 100, message: tr('1–100 个字', '1–100 characters') }]}><Input /></Form.Item>
                  <Form.Item name="body" label={tr('正文（支持 Markdown 子集）', 'Body (Markdown subset)')} rules={[{ required: true, message: tr('请输入正文', 'Write the body') }]}>
                    <Input.TextArea rows={12} />
                  </Form.Item>
                  <Space>
                    <Button onClick={runCheck} loading={busy === 'check'}>{tr('合规检查', 'Check')}</Button>
                    <Button type="primary" onClick={save} loading={busy === 'save'}>{id ? tr('保存新版本', 'Save new version') : tr('提交发布', 'Publish')}</Button>
                  </Space>
                </Form>
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              {saved && <Alert type={OUTCOME[saved.status][0]} showIcon role="status" title={tr(OUTCOME[saved.status][1], OUTCOME[saved.status][2])} description={tr(`第 ${saved.version} 版`, `Version ${saved.version}`)} />}
              {check ? <CheckView check={check.check} title={check.title} /> : (
                <Card size="small"><Typography.Text type="secondary">{tr('点击“合规检查”，在提交前查看会被标记的用语。', 'Press Check to see flagged words before submitting.')}</Typography.Text></Card>
              )}
            </Col>
          </Row>
        )}
      </Async>
    </>
  );
}
