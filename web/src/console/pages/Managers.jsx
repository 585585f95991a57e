import { Avatar, Button, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps, navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader, StatusTag } from '../ui.jsx';

/** The version the institution last saved: the pending one, else the live one, else the last rejected. */
export function latestVersion(m) {
  return [m.pending, m.live, m.last_rejected].filter(Boolean).sort((a, b) => b.version - a.version)[0] ?? null;
}

export default function Managers({ canEdit }) {
  const list = useAsync(() => api.get('/api/v1/inst/managers'), []);
  return (
    <>
      <PageHeader title={tr('基金经理', 'Fund managers')}
        sub={tr('姓名、职务和简介经合规检查：无命中直接上线，命中审核词条的等待平台审核，线上版本在审核期间保持不变', 'Name, title and biography are checked: clean versions go live at once, flagged ones wait for a reviewer while the live one stays')}
        extra={canEdit && <Button type="primary" onClick={() => navigate('/console/managers/new')}>{tr('新增基金经理', 'Add a fund manager')}</Button>} />
      <Async state={list}>
        {(d) => (
          <Table rowKey="id" dataSource={d.items} pagination={false} locale={{ emptyText: tr('还没有基金经理，添加后在专区“基金经理”模块展示', 'No fund managers yet; they show in the zone\'s fund managers module') }} columns={[
            { title: tr('基金经理', 'Manager'), key: 'name', render: (_, m) => {
              const v = latestVersion(m);
              return (
                <Space>
                  <Avatar src={v?.photo_url || undefined} alt="">{v?.name?.slice(0, 1)}</Avatar>
                  <a {...linkProps(`/console/managers/${m.id}`)}>{v?.name}</a>
                </Space>
              );
            } },
            { title: tr('职务', 'Title'), key: 'title', render: (_, m) => latestVersion(m)?.title },
            { title: tr('从业年限', 'Years'), key: 'years', align: 'right', render: (_, m) => latestVersion(m)?.years_experience },
            { title: tr('在管产品', 'Products'), key: 'products', render: (_, m) => (latestVersion(m)?.products ?? []).map((p) => <Tag key={p.id}>{p.code} {p.name}</Tag>) },
            { title: tr('状态', 'Status'), key: 'status', render: (_, m) => (
              <Space wrap>
                {m.live ? <Tag color="green">{tr(`线上第 ${m.live.version} 版`, `Live v${m.live.version}`)}</Tag> : <Tag>{tr('未上线', 'Not public')}</Tag>}
                {m.pending && <Tag color="orange">{tr(`第 ${m.pending.version} 版待审核`, `v${m.pending.version} pending review`)}</Tag>}
                {m.last_rejected && (!m.pending || m.last_rejected.version > m.pending.version) && (!m.live || m.last_rejected.version > m.live.version)
                  && <StatusTag status="rejected" />}
              </Space>
            ) },
            { title: tr('最近保存', 'Last saved'), key: 'saved', render: (_, m) => <Typography.Text type="secondary">{formatDateTime(latestVersion(m)?.submitted_ms)}</Typography.Text> },
          ]} />
        )}
      </Async>
    </>
  );
}
