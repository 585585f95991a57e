// A fund manager's profile: name, photo, title, years, biography and the products they manage.
// Saving checks the texts: clean goes live, a review match waits for a reviewer (the live
// version stays), a blocking match is refused with the flagged words marked.
import { useEffect, useState } from 'react';
import { Alert, App, Avatar, Button, Card, Col, Form, Input, InputNumber, Popconfirm, Row, Select, Space, Typography, Upload } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, CheckedFields, MatchList, PageHeader, StatusTag, VerdictTag } from '../ui.jsx';
import { latestVersion } from './Managers.jsx';

const fieldRows = (v) => [
  [tr('姓名', 'Name'), v.name, 'name'],
  [tr('职务', 'Title'), v.title, 'title'],
  [tr('简介', 'Biography'), v.bio, 'bio'],
];

function VersionCard({ title, v }) {
  if (!v) return null;
  return (
    <Card size="small" style={{ marginBottom: 12 }} extra={formatDateTime(v.submitted_ms)}
      title={<Space>{title}<span>{tr(`第 ${v.version} 版`, `v${v.version}`)}</span><StatusTag status={v.status} /><VerdictTag verdict={v.check.verdict} /></Space>}>
      <CheckedFields check={v.check} rows={fieldRows(v)} />
      <MatchList check={v.check} />
      {v.reason && <Alert type={v.status === 'rejected' ? 'error' : 'info'} title={`${tr('审核意见', 'Reviewer')}：${v.reason}`} />}
    </Card>
  );
}

/** The photo as a form control: uploads the file and keeps {id, url}. */
function PhotoField({ value, onChange }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  async function upload(file) {
    setBusy(true);
    try {
      const r = await api.raw('POST', '/api/v1/inst/uploads', file, file.type);
      onChange?.({ id: r.upload.id, url: r.upload.url });
      message.success(tr('照片已上传', 'Photo uploaded'));
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
    return false;
  }
  return (
    <Space>
      <Avatar size={64} src={value?.url} alt={value ? tr('当前照片', 'Current photo') : undefined}>{tr('无', 'None')}</Avatar>
      <Upload accept="image/png,image/jpeg,image/webp" showUploadList={false} beforeUpload={upload}>
        <Button loading={busy}>{tr('上传照片', 'Upload photo')}</Button>
      </Upload>
      {value && <Button type="link" onClick={() => onChange?.(null)}>{tr('移除', 'Remove')}</Button>}
      <Typography.Text type="secondary">{tr('PNG、JPEG 或 WebP，不超过 1 MB', 'PNG, JPEG or WebP, at most 1 MB')}</Typography.Text>
    </Space>
  );
}

const OUTCOME = {
  approved: ['success', '已上线：投资者现在可以在专区看到', 'Live: investors see it in the zone now'],
  pending: ['warning', '已提交平台审核：命中需人工审核的用语（标记处），审核通过前线上版本保持不变', 'Held for review: flagged words (marked) need a reviewer; the live version stays until then'],
};

function formField(field) {
  if (!field) return null;
  if (field === 'photo_upload_id') return 'photo';
  const m = /^product_ids(\[\d+\])?$/.exec(field);
  if (m) return 'product_ids';
  return ['name', 'title', 'years_experience', 'bio'].includes(field) ? field : null;
}

export default function ManagerEditor({ id, canEdit }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const data = useAsync(() => Promise.all([
    id ? api.get('/api/v1/inst/managers').then((d) => d.items.find((m) => m.id === id) ?? null) : Promise.resolve(null),
    api.get('/api/v1/inst/products'),
  ]), [id]);
  const [saved, setSaved] = useState(null);
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const m = data.data?.[0];
    const v = m ? latestVersion(m) : null;
    if (v) {
      form.setFieldsValue({ name: v.name, title: v.title, years_experience: v.years_experience, bio: v.bio,
        product_ids: v.products.map((p) => p.id),
        photo: v.photo_url ? { url: v.photo_url, id: v.photo_url.split('/').pop() } : null });
    }
  }, [data.data, form]);

  async function save(v) {
    setBusy(true);
    setErr(null);
    setSaved(null);
    const body = { name: v.name.trim(), title: v.title.trim(), years_experience: v.years_experience, bio: v.bio.trim(), product_ids: v.product_ids ?? [] };
    if (v.photo) body.photo_upload_id = v.photo.id;
    try {
      const r = id ? await api.put(`/api/v1/inst/managers/${id}`, body) : await api.post('/api/v1/inst/managers', body);
      const latest = latestVersion(r.manager);
      setSaved(latest);
      message.destroy();
      if (latest?.status === 'pending') message.warning(tr('已提交平台审核', 'Held for review'));
      else message.success(tr('已上线', 'Live'));
      if (!id) navigate(`/console/managers/${r.manager.id}`, { replace: true });
      else data.reload();
    } catch (e) {
      const f = formField(e.field);
      if (f && e.code !== 'compliance_blocked') form.setFields([{ name: f, errors: [errorText(e)] }]);
      setErr({ error: e, values: body });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    try {
      await api.del(`/api/v1/inst/managers/${id}`);
      message.success(tr('已移除', 'Removed'));
      navigate('/console/managers');
    } catch (e) {
      message.error(errorText(e));
    }
  }

  return (
    <>
      <PageHeader title={id ? tr('编辑基金经理', 'Edit fund manager') : tr('新增基金经理', 'Add a fund manager')}
        extra={<Space>
          {id && canEdit && <Popconfirm title={tr('移除后投资者将看不到该基金经理，确定移除？', 'Remove? Investors will no longer see this manager.')} onConfirm={remove} okText={tr('移除', 'Remove')} cancelText={tr('取消', 'Cancel')}>
            <Button danger>{tr('移除', 'Remove')}</Button></Popconfirm>}
          <Button onClick={() => navigate('/console/managers')}>{tr('返回列表', 'Back to list')}</Button>
        </Space>} />
      <Async state={data}>
        {([m, products]) => (
          <Row gutter={24}>
            <Col xs={24} xl={14}>
              <Card>
                <Form form={form} layout="vertical" onFinish={save} disabled={!canEdit} initialValues={{ years_experience: 0, product_ids: [] }}>
                  <Form.Item name="name" label={tr('姓名', 'Name')} rules={[{ required: true, whitespace: true, max: 32, message: tr('1–32 个字', '1–32 characters') }]}><Input /></Form.Item>
                  <Form.Item name="photo" label={tr('照片', 'Photo')}><PhotoField /></Form.Item>
                  <Form.Item name="title" label={tr('职务', 'Title')} rules={[{ required: true, whitespace: true, max: 40, message: tr('1–40 个字', '1–40 characters') }]}><Input placeholder={tr('如：权益投资部总监', 'e.g. Head of equities')} /></Form.Item>
                  <Form.Item name="years_experience" label={tr('从业年限', 'Years of experience')} rules={[{ required: true, type: 'integer', min: 0, max: 70, message: tr('0–70 的整数', 'A whole number from 0 to 70') }]}>
                    <InputNumber min={0} max={70} precision={0} />
                  </Form.Item>
                  <Form.Item name="bio" label={tr('个人简介', 'Biography')} rules={[{ required: true, whitespace: true, max: 2000, message: tr('1–2000 个字', '1–2000 characters') }]}>
                    <Input.TextArea rows={6} showCount maxLength={2000} />
                  </Form.Item>
                  <Form.Item name="product_ids" label={tr('在管产品', 'Products managed')} rules={[{ type: 'array', max: 20, message: tr('最多 20 只', 'At most 20') }]}>
                    <Select mode="multiple" optionFilterProp="label" placeholder={tr('选择本机构的产品', 'Choose your products')}
                      options={products.items.map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy}>{id ? tr('保存新版本', 'Save new version') : tr('保存', 'Save')}</Button>
                </Form>
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              {saved && OUTCOME[saved.status] && (
                <Alert type={OUTCOME[saved.status][0]} showIcon role="status" style={{ marginBottom: 12 }} data-testid="manager-outcome"
                  title={tr(OUTCOME[saved.status][1], OUTCOME[saved.status][2])}
                  description={saved.status === 'pending' ? <CheckedFields check={saved.check} rows={fieldRows(saved)} /> : null} />
              )}
              {err && (
                <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={errorText(err.error)}
                  description={err.error.problem?.check ? (
                    <>
                      <CheckedFields check={err.error.problem.check} rows={fieldRows(err.values)} />
                      <MatchList check={err.error.problem.check} />
                    </>
                  ) : null} />
              )}
              {m ? (
                <>
                  <VersionCard title={tr('待审核版本', 'Pending')} v={m.pending} />
                  <VersionCard title={tr('线上版本', 'Live')} v={m.live} />
                  <VersionCard title={tr('最近被驳回', 'Last rejected')} v={m.last_rejected} />
                  {!m.live && <Alert type="info" showIcon title={tr('尚无线上版本：审核通过前投资者看不到该基金经理', 'No live version: investors do not see this manager until one is approved')} />}
                </>
              ) : (
                <Card size="small"><Typography.Text type="secondary">{tr('保存时会检查姓名、职务和简介中的违规用语；照片须为本机构上传的图片，产品须为本机构的产品。', 'Saving checks the name, title and biography; the photo must be your upload and the products your own.')}</Typography.Text></Card>
              )}
            </Col>
          </Row>
        )}
      </Async>
    </>
  );
}
