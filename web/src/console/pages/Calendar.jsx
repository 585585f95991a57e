import { App, Button, Card, DatePicker, Form, Input, InputNumber, Space, Table } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';

export default function Calendar({ role }) {
  const { message } = App.useApp();
  const cal = useAsync(() => api.get('/api/v1/ops/calendar'), []);
  const [closure] = Form.useForm();
  const [year] = Form.useForm();
  const admin = role === 'ops_admin';
  async function addClosure(v) {
    try {
      const r = await api.post('/api/v1/ops/calendar/closures', { first_day: v.range[0].format('YYYY-MM-DD'), last_day: v.range[1].format('YYYY-MM-DD'), reason: v.reason, source: v.source });
      cal.setData(r);
      closure.resetFields();
      message.success(tr('休市安排已添加', 'Closure added'));
    } catch (err) {
      message.error(errorText(err));
    }
  }
  async function addYear(v) {
    try {
      cal.setData(await api.post('/api/v1/ops/calendar/years', v));
      year.resetFields();
      message.success(tr('年度已启用', 'Year added'));
    } catch (err) {
      message.error(errorText(err));
    }
  }
  return (
    <>
      <PageHeader title={tr('交易日历', 'Trading calendar')} sub={tr('交易日 = 已知年度中的工作日，扣除休市安排', 'Trading days: weekdays of known years outside closures')} />
      <Async state={cal}>
        {(c) => (
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            <Card title={tr('已知年度', 'Known years')}>
              <Table rowKey="year" size="small" pagination={false} dataSource={c.years} columns={[
                { title: tr('年度', 'Year'), dataIndex: 'year' }, { title: tr('来源', 'Source'), dataIndex: 'source' }]} />
              {admin && (
                <Form form={year} layout="inline" onFinish={addYear} style={{ marginTop: 12 }}>
                  <Form.Item name="year" label={tr('年度', 'Year')} rules={[{ required: true }]}><InputNumber min={2000} max={2100} /></Form.Item>
                  <Form.Item name="source" label={tr('依据', 'Source')} rules={[{ required: true }]}><Input style={{ width: 280 }} /></Form.Item>
                  <Button htmlType="submit">{tr('启用年度', 'Add year')}</Button>
                </Form>
              )}
            </Card>
            <Card title={tr('休市安排', 'Closures')}>
              <Table rowKey="id" size="small" dataSource={c.closures} pagination={{ pageSize: 20 }} columns={[
                { title: tr('开始', 'First day'), dataIndex: 'first_day' }, { title: tr('结束', 'Last day'), dataIndex: 'last_day' },
                { title: tr('原因', 'Reason'), dataIndex: 'reason' }, { title: tr('依据', 'Source'), dataIndex: 'source' }]} />
              {admin && (
                <Form form={closure} layout="inline" onFinish={addClosure} style={{ marginTop: 12 }}>
                  <Form.Item name="range" label={tr('日期', 'Dates')} rules={[{ required: true }]}><DatePicker.RangePicker /></Form.Item>
                  <Form.Item name="reason" label={tr('原因', 'Reason')} rules={[{ required: true }]}><Input /></Form.Item>
                  <Form.Item name="source" label={tr('依据', 'Source')} rules={[{ required: true }]}><Input /></Form.Item>
                  <Button htmlType="submit">{tr('添加休市', 'Add closure')}</Button>
                </Form>
              )}
            </Card>
          </Space>
        )}
      </Async>
    </>
  );
}
