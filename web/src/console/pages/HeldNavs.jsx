// NAVs held for a second confirmation: a NAV that moved more than the bound from the previous
// confirmed one is not used until a member of staff other than its publisher confirms it (or it
// is withdrawn), and the orders of its date wait for it. This is where that second person finds
// them.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { confirmBlocked, DECIDERS, formatMove, heldSummary, sortHeld } from '../../lib/heldNavs.js';
import { errorText, tr } from '../../lib/i18n.js';
import { formatNav } from '../../lib/money.js';
import { linkProps } from '../../lib/router.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';
import { WithdrawNavModal } from '../WithdrawNav.jsx';

const MOVE_COLOR = { up: 'red', down: 'green', flat: 'default' };
const MOVE_ARROW = { up: '↑', down: '↓', flat: '' };

function Move({ value }) {
  const m = formatMove(value);
  if (!m.dir) return <Typography.Text type="secondary">{tr('首个净值', 'First NAV')}</Typography.Text>;
  return <Tag color={MOVE_COLOR[m.dir]} className="held-move">{MOVE_ARROW[m.dir]} {m.text}</Tag>;
}

export default function HeldNavs({ role, onCount }) {
  const { message } = App.useApp();
  const held = useAsync(() => api.get('/api/v1/inst/navs/held'), []);
  const [rejecting, setRejecting] = useState(null);
  const [busy, setBusy] = useState(null);
  const canDecide = DECIDERS.includes(role);
  const items = held.data ? sortHeld(held.data.items) : null;

  useEffect(() => {
    if (items && onCount) onCount(items.length);
  }, [items?.length, onCount]); // eslint-disable-line react-hooks/exhaustive-deps

  const keyOf = (x) => `${x.product_id}/${x.date}`;
  const label = (x) => `${x.product_name}（${x.product_code}）${x.date}`;

  async function confirm(x) {
    setBusy(keyOf(x));
    try {
      await api.post(`/api/v1/inst/products/${x.product_id}/navs/${x.date}/confirm`);
      message.success(tr(`${label(x)} 净值已复核生效`, `NAV of ${x.date} for ${x.product_name} confirmed`));
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(null);
      held.reload();
    }
  }

  async function reject(reason) {
    const x = rejecting;
    try {
      await api.post(`/api/v1/inst/products/${x.product_id}/navs/${x.date}/reject`, { reason });
      message.success(tr(`${label(x)} 净值已撤回`, `NAV of ${x.date} for ${x.product_name} withdrawn`));
      setRejecting(null);
    } catch (err) {
      message.error(errorText(err));
      throw err;
    } finally {
      held.reload();
    }
  }

  const columns = [
    { title: tr('产品', 'Product'), key: 'product', render: (_, x) => (
      <Space orientation="vertical" size={0}>
        <a {...linkProps(`/console/products/${x.product_id}`)}>{x.product_name}</a>
        <Typography.Text type="secondary" className="mono">{x.product_code}</Typography.Text>
      </Space>
    ) },
    { title: tr('净值日期', 'Date'), dataIndex: 'date', width: 110 },
    { title: tr('单位净值 / 累计', 'NAV / accumulated'), key: 'nav', align: 'right', render: (_, x) => (
      <Space orientation="vertical" size={0}>
        <strong>{formatNav(x.nav)}</strong>
        <Typography.Text type="secondary">{formatNav(x.acc_nav)}</Typography.Text>
      </Space>
    ) },
    { title: tr('上一确认净值', 'Previous NAV'), key: 'prev', align: 'right', render: (_, x) => (x.previous_nav === null || x.previous_nav === undefined ? '--' : (
      <Space orientation="vertical" size={0}>
        <span>{formatNav(x.previous_nav)}</span>
        <Typography.Text type="secondary">{x.previous_date ?? ''}</Typography.Text>
      </Space>
    )) },
    { title: tr('变动', 'Move'), dataIndex: 'move_pct', align: 'right', render: (v) => <Move value={v} /> },
    { title: tr('发布人', 'Published by'), key: 'by', render: (_, x) => (
      <Space orientation="vertical" size={0}>
        <span>{x.published_by ?? '--'}{x.yours && <Tag style={{ marginLeft: 6 }}>{tr('我', 'me')}</Tag>}</span>
        <Typography.Text type="secondary">{formatDateTime(x.published_ms)}</Typography.Text>
      </Space>
    ) },
    { title: tr('等待订单', 'Orders waiting'), dataIndex: 'orders_waiting', align: 'right', render: (n) => (
      n > 0 ? <Typography.Text strong type="warning">{tr(`${n} 笔`, `${n}`)}</Typography.Text> : <Typography.Text type="secondary">0</Typography.Text>
    ) },
    { title: tr('操作', 'Actions'), key: 'actions', width: 220, render: (_, x) => {
      const why = confirmBlocked(x, role);
      const whyId = `held-why-${x.product_id}-${x.date}`;
      return (
        <Space orientation="vertical" size={4}>
          {canDecide && (
            <Space>
              {why ? <Button type="primary" size="small" disabled aria-describedby={whyId}>{tr('复核通过', 'Confirm')}</Button> : (
                <Popconfirm title={tr('确认该净值生效？', 'Confirm this NAV?')}
                  description={x.orders_waiting > 0 ? tr(`${x.orders_waiting} 笔订单将按此净值确认`, `${x.orders_waiting} orders will be confirmed at it`) : undefined}
                  okText={tr('确认生效', 'Confirm')} cancelText={tr('再看看', 'Not yet')} onConfirm={() => confirm(x)}>
                  <Button type="primary" size="small" loading={busy === keyOf(x)}>{tr('复核通过', 'Confirm')}</Button>
                </Popconfirm>
              )}
              <Button danger size="small" onClick={() => setRejecting(x)}>{tr('撤回', 'Withdraw')}</Button>
            </Space>
          )}
          {why && <Typography.Text type="secondary" id={whyId} style={{ fontSize: 12 }}>{why}</Typography.Text>}
        </Space>
      );
    } },
  ];

  const sum = items ? heldSummary(items) : null;
  return (
    <>
      <PageHeader title={tr('待复核净值', 'NAVs to confirm')}
        sub={sum && sum.navs > 0 ? tr(`${sum.navs} 条净值待复核，${sum.orders} 笔订单等待确认`, `${sum.navs} held, ${sum.orders} orders waiting`)
          : tr('较上一确认净值变动超过阈值的净值，需由发布人以外的员工复核后生效', 'A NAV that moved beyond the bound takes effect once someone other than its publisher confirms it')}
        extra={<Button onClick={held.reload} loading={held.loading && held.data !== undefined}>{tr('刷新', 'Refresh')}</Button>} />
      {!canDecide && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }}
          title={tr('合规岗位可查看待复核净值；复核与撤回由机构管理员或运营操作。', 'Compliance may look; an admin or an operator confirms or withdraws.')} />
      )}
      <Async state={held}>
        {() => (items.length === 0 ? <Card><Empty description={tr('没有待复核的净值', 'No NAV waits for confirmation')} /></Card> : (
          <Card>
            <Table rowKey={keyOf} size="middle" dataSource={items} columns={columns} pagination={false} scroll={{ x: 1000 }}
              aria-label={tr('待复核净值列表', 'Held NAVs')} />
          </Card>
        ))}
      </Async>
      <WithdrawNavModal open={!!rejecting} onWithdraw={reject} onClose={() => setRejecting(null)}>
        {rejecting && (
          <Typography.Paragraph type="secondary">
            {tr(`撤回 ${label(rejecting)} 的净值 ${formatNav(rejecting.nav)}，之后可重新发布正确的净值；撤回原因会记入审计日志。`,
              `Withdraws the NAV ${formatNav(rejecting.nav)} of ${rejecting.date} for ${rejecting.product_name}; the right one can then be published. The reason is audited.`)}
          </Typography.Paragraph>
        )}
      </WithdrawNavModal>
    </>
  );
}
