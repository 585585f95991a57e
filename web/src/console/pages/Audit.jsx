import { useState } from 'react';
import { Alert, Button, Space, Table, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, PageHeader } from '../ui.jsx';

export default function Audit() {
  const [pages, setPages] = useState([0]);
  const after = pages[pages.length - 1];
  const page = useAsync(() => api.get('/api/v1/ops/audit', { after_seq: after, limit: 50 }), [after]);
  const [verify, setVerify] = useState(null);
  const [busy, setBusy] = useState(false);
  async function runVerify() {
    setBusy(true);
    try {
      setVerify({ result: await api.get('/api/v1/ops/audit/verify') });
    } catch (err) {
      setVerify({ error: err });
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <PageHeader title={tr('审计日志', 'Audit log')} sub={tr('只追加的哈希链：每条记录的哈希覆盖其内容与上一条的哈希', 'Append-only hash chain')}
        extra={<Button type="primary" loading={busy} onClick={runVerify}>{tr('校验哈希链', 'Verify chain')}</Button>} />
      {verify && (verify.error ? <Alert type="error" showIcon title={errorText(verify.error)} style={{ marginBottom: 12 }} />
        : verify.result.ok ? <Alert type="success" showIcon role="status" style={{ marginBottom: 12 }} title={tr(`哈希链完整：已校验 ${verify.result.checked} 条记录`, `Chain intact: ${verify.result.checked} entries checked`)} />
          : <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={tr(`哈希链断裂：第 ${verify.result.broken_at_seq} 条记录起不一致（已校验 ${verify.result.checked} 条）`, `Chain broken at entry ${verify.result.broken_at_seq} (${verify.result.checked} checked)`)} />)}
      <Async state={page}>
        {(d) => (
          <>
            <Table rowKey="seq" size="small" pagination={false} dataSource={d.items}
              expandable={{ expandedRowRender: (r) => <pre className="mono" style={{ margin: 0 }}>{JSON.stringify(r.detail, null, 2)}{`\nprev ${r.prev_hash}\nhash ${r.hash}`}</pre> }}
              columns={[
                { title: '#', dataIndex: 'seq', width: 70 },
                { title: tr('时间', 'Time'), dataIndex: 'at_ms', render: (v) => formatDateTime(v), width: 170 },
                { title: tr('操作', 'Action'), dataIndex: 'action' },
                { title: tr('对象', 'Subject'), dataIndex: 'subject', render: (v) => <span className="mono">{v}</span> },
                { title: tr('角色', 'Role'), dataIndex: 'actor_role' },
                { title: tr('哈希', 'Hash'), dataIndex: 'hash', render: (v) => <Typography.Text className="mono" copyable={{ text: v }}>{v.slice(0, 12)}…</Typography.Text> },
              ]} />
            <Space style={{ marginTop: 12 }}>
              <Button disabled={pages.length < 2} onClick={() => setPages(pages.slice(0, -1))}>{tr('上一页', 'Previous')}</Button>
              <Button disabled={d.next_after_seq === null} onClick={() => setPages([...pages, d.next_after_seq])}>{tr('下一页', 'Next')}</Button>
            </Space>
          </>
        )}
      </Async>
    </>
  );
}
