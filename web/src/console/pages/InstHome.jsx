import { Card, Col, Descriptions, Row, Statistic } from 'antd';
import { api } from '../../lib/api.js';
import { INSTITUTION_STATUS, INSTITUTION_TYPES, nameOf, ROLE_NAMES, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader, StatusTag } from '../ui.jsx';

export default function InstHome({ user }) {
  const d = useAsync(() => Promise.all([
    api.get('/api/v1/inst/institution'), api.get('/api/v1/inst/products'), api.get('/api/v1/inst/questions'),
    api.get('/api/v1/inst/notifications', { limit: 1 }), api.get(`/api/v1/public/zones/${user.institution_id}`).catch(() => null),
  ]), []);
  return (
    <Async state={d}>
      {([{ institution: i }, products, questions, notes, zone]) => (
        <>
          <PageHeader title={i.name} sub={`${nameOf(ROLE_NAMES, user.role)} · ${user.display_name}`} extra={<StatusTag status={i.status} table={INSTITUTION_STATUS} />} />
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={6}><Card><Statistic title={tr('在售产品', 'Products')} value={products.items.filter((p) => p.status !== 'closed').length} /></Card></Col>
            <Col span={6}><Card><Statistic title={tr('关注人数', 'Followers')} value={zone?.followers ?? 0} /></Card></Col>
            <Col span={6}><Card><a {...linkProps('/console/questions')}><Statistic title={tr('待回答问题', 'Unanswered questions')} value={questions.items.filter((q) => !q.answer).length} /></a></Card></Col>
            <Col span={6}><Card><a {...linkProps('/console/notifications')}><Statistic title={tr('未读审核通知', 'Unread notifications')} value={notes.unread} /></a></Card></Col>
          </Row>
          <Card title={tr('机构信息', 'Institution')}>
            <Descriptions column={2} items={[
              { key: 'n', label: tr('全称', 'Name'), children: i.name },
              { key: 's', label: tr('简称', 'Short name'), children: i.short_name },
              { key: 't', label: tr('类型', 'Type'), children: nameOf(INSTITUTION_TYPES, i.type) },
              { key: 'u', label: tr('更新时间', 'Updated'), children: formatDateTime(i.updated_ms) },
            ]} />
          </Card>
        </>
      )}
    </Async>
  );
}
