import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, ColorPicker, Form, Input, Row, Select, Space, Tag, Typography, Upload } from 'antd';
import { api } from '../../lib/api.js';
import { CONTENT_STATUS, errorText, nameOf, tr, ZONE_MODULES } from '../../lib/i18n.js';
import { matchesOf } from '../../lib/spans.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, Highlighted, MatchList, PageHeader, StatusTag, VerdictTag } from '../ui.jsx';

function Preview({ v, logoUrl }) {
  return (
    <div className="zone-preview" aria-label={tr('实时预览', 'Live preview')} role="region">
      <div className="zone-preview-hero" style={{ background: v.theme_color || '#1677FF' }}>
        <Space>
          {logoUrl && <img className="zone-preview-logo" src={logoUrl} alt={tr('标志', 'Logo')} />}
          <div><div style={{ fontSize: 18, fontWeight: 600 }}>{v.display_name || tr('展示名称', 'Display name')}</div><div>{v.slogan}</div></div>
        </Space>
        <p style={{ fontSize: 12, marginBottom: 0 }}>{v.introduction}</p>
      </div>
      {(v.modules ?? []).map((m) => <div key={m} style={{ background: '#fff', margin: 8, padding: 10, borderRadius: 6 }}>{nameOf(ZONE_MODULES, m)}</div>)}
    </div>
  );
}

function VersionCard({ title, v }) {
  if (!v) return null;
  const c = v.check;
  return (
    <Card size="small" title={<Space>{title}<StatusTag status={v.status} /><VerdictTag verdict={c.verdict} /></Space>} extra={formatDateTime(v.submitted_ms)} style={{ marginBottom: 12 }}>
      <div><Typography.Text type="secondary">{tr('名称', 'Name')}：</Typography.Text><Highlighted text={v.display_name} matches={matchesOf(c, 'display_name')} /></div>
      <div><Typography.Text type="secondary">{tr('口号', 'Slogan')}：</Typography.Text><Highlighted text={v.slogan} matches={matchesOf(c, 'slogan')} /></div>
      <div><Typography.Text type="secondary">{tr('简介', 'Introduction')}：</Typography.Text><Highlighted text={v.introduction} matches={matchesOf(c, 'introduction')} /></div>
      <MatchList check={c} />
      {v.reason && <Alert type={v.status === 'rejected' ? 'error' : 'info'} title={`${tr('审核意见', 'Reviewer')}：${v.reason}`} />}
    </Card>
  );
}

export default function ZoneEditor({ canEdit }) {
  const { message } = App.useApp();
  const zone = useAsync(() => api.get('/api/v1/inst/zone'), []);
  const [form] = Form.useForm();
  const values = Form.useWatch([], form) ?? {};
  const [logo, setLogo] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const z = zone.data;
    if (!z) return;
    const base = z.pending ?? z.live;
    if (base) {
      form.setFieldsValue({ display_name: base.display_name, theme_color: base.theme_color, slogan: base.slogan, introduction: base.introduction, modules: base.modules });
      if (base.logo_url) setLogo({ url: base.logo_url, id: base.logo_url.split('/').pop() });
    }
  }, [zone.data, form]);

  async function upload(file) {
    try {
      const r = await api.raw('POST', '/api/v1/inst/uploads', file, file.type);
      setLogo({ url: r.upload.url, id: r.upload.id });
      message.success(tr('标志已上传', 'Logo uploaded'));
    } catch (err) {
      message.error(errorText(err));
    }
    return false;
  }

  async function submit(v) {
    setBusy(true);
    try {
      const body = { display_name: v.display_name, theme_color: typeof v.theme_color === 'string' ? v.theme_color : v.theme_color.toHexString().toUpperCase(), slogan: v.slogan ?? '', introduction: v.introduction ?? '', modules: v.modules ?? [] };
      if (logo) body.logo_upload_id = logo.id;
      const r = await api.put('/api/v1/inst/zone', body);
      if (r.version.status === 'rejected') message.error(tr('包含禁止用语，已被拦截，请修改后重新提交', 'Blocked by the compliance check: edit and submit again'));
      else message.success(tr('已提交审核，审核通过后对投资者展示', 'Submitted for review'));
      zone.reload();
    } catch (err) {
      if (err.field) form.setFields([{ name: err.field, errors: [errorText(err)] }]);
      else message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title={tr('专区装修', 'Zone editor')} sub={tr('名称、口号和简介提交后经合规检查与平台审核，通过后上线', 'Texts are checked and reviewed before they go live')} />
      <Async state={zone}>
        {(z) => (
          <Row gutter={24}>
            <Col xs={24} lg={14}>
              <Card title={tr('编辑', 'Edit')} style={{ marginBottom: 16 }}>
                <Form form={form} layout="vertical" onFinish={submit} disabled={!canEdit}
                  initialValues={{ theme_color: '#1677FF', modules: ['featured_products', 'articles', 'announcements', 'qa'] }}>
                  <Form.Item name="display_name" label={tr('展示名称', 'Display name')} rules={[{ required: true, max: 64, message: tr('请输入展示名称', 'Enter a display name') }]}><Input /></Form.Item>
                  <Form.Item name="slogan" label={tr('口号', 'Slogan')}><Input maxLength={100} /></Form.Item>
                  <Form.Item name="introduction" label={tr('简介', 'Introduction')}><Input.TextArea rows={4} maxLength={2000} showCount /></Form.Item>
                  <Form.Item name="theme_color" label={tr('主题色', 'Theme colour')}><ColorPicker format="hex" disabledAlpha showText /></Form.Item>
                  <Form.Item label={tr('标志', 'Logo')}>
                    <Space>
                      {logo && <img src={logo.url} alt={tr('当前标志', 'Current logo')} style={{ width: 40, height: 40, objectFit: 'contain' }} />}
                      <Upload accept="image/png,image/jpeg,image/webp" showUploadList={false} beforeUpload={upload}><Button>{tr('上传图片', 'Upload image')}</Button></Upload>
                      {logo && <Button type="link" onClick={() => setLogo(null)}>{tr('移除', 'Remove')}</Button>}
                    </Space>
                  </Form.Item>
                  <Form.Item name="modules" label={tr('模块（按选择顺序展示）', 'Modules (in the order chosen)')}>
                    <Select mode="multiple" options={Object.keys(ZONE_MODULES).map((m) => ({ value: m, label: nameOf(ZONE_MODULES, m) }))} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy}>{tr('提交审核', 'Submit for review')}</Button>
                </Form>
              </Card>
              <VersionCard title={tr('待审核版本', 'Pending')} v={z.pending} />
              <VersionCard title={tr('最近被驳回/拦截', 'Last rejected')} v={z.last_rejected} />
              <VersionCard title={tr('线上版本', 'Live')} v={z.live} />
              {!z.live && <Tag>{tr('尚无线上版本，投资者看到默认品牌', 'No live version: investors see the default brand')}</Tag>}
            </Col>
            <Col xs={24} lg={10}>
              <Card title={tr('实时预览', 'Live preview')}>
                <Preview v={{ ...values, theme_color: typeof values.theme_color === 'string' ? values.theme_color : values.theme_color?.toHexString?.() }} logoUrl={logo?.url} />
              </Card>
            </Col>
          </Row>
        )}
      </Async>
    </>
  );
}
