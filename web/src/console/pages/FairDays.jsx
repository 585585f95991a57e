// The fair rule's published days (operators; the same public endpoints anyone can read): the
// list with each day's verification status, computed here in the browser, and a day's record
// with its hash, previous hash, signature, allocation table and the impressions delivered on
// the day it was served. The browser recomputes the canonical record's SHA-256 (WebCrypto) and
// compares it with `hash`, checks `rule_hash` against `rule_text`, `prev_hash` against the
// previous day's hash and the Ed25519 signature against the platform's public key; the
// recomputation of the allocation is left to `caifuhao verify-allocation`, which the screen
// names.
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { addDays, sharePercent, ppmPercent } from '../../lib/dashboard.js';
import { verifyFairDay, ZERO_HASH } from '../../lib/fairday.js';
import { tr } from '../../lib/i18n.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, EmptyState, PageHeader } from '../ui.jsx';

const n = (v) => Number(v).toLocaleString('en-US');

async function loadDay(date) {
  return api.get(`/api/v1/public/fair-days/${date}`);
}

/** The platform's public key (hex), loaded once per page; undefined when it cannot be. */
let fairKey;
function loadKey() {
  fairKey ??= api.get('/api/v1/public/fair-key').then((k) => k.public_key).catch(() => {
    fairKey = undefined;
    return undefined;
  });
  return fairKey;
}

/** Verifies a day, loading the previous day for the chain when it has one. */
async function checkDay(day) {
  let prevHash;
  if (day.record.prev_date) {
    prevHash = await loadDay(day.record.prev_date).then((p) => p.hash).catch(() => undefined);
  }
  return verifyFairDay(day, prevHash, undefined, await loadKey());
}

export function VerifyTag({ result }) {
  if (!result) return <Tag>{tr('校验中', 'Checking')}</Tag>;
  if (result.error) return <Tooltip title={result.error}><Tag color="default">{tr('无法校验', 'Not checked')}</Tag></Tooltip>;
  if (result.ok === true) return <Tag color="green">{tr('哈希、链与签名校验通过', 'Hash, chain and signature verified')}</Tag>;
  if (result.ok === false) return <Tag color="red">{tr('校验失败', 'Verification failed')}</Tag>;
  return <Tag color="orange">{tr('部分校验', 'Partly checked')}</Tag>;
}

const CHECK_NAMES = {
  hash: ['记录的规范 JSON 的 SHA-256 与公布的哈希一致', "The SHA-256 of the record's canonical JSON is the published hash"],
  rule_hash: ['规则哈希是规则文本的 SHA-256', 'rule_hash is the SHA-256 of rule_text'],
  envelope: ['记录内的日期与上一哈希与公布的一致', "The record's date and previous hash are the published ones"],
  chain: ['上一哈希等于前一公布日的哈希（首日为 64 个 0）', "prev_hash is the previous published day's hash (64 zeros for the first day)"],
  signature: ['平台公钥下的 Ed25519 签名有效', "The Ed25519 signature holds under the platform's public key"],
};

const UNDECIDED = {
  chain: ['：前一日无法加载', ': the previous day could not be loaded'],
  signature: ['：此浏览器不支持 Ed25519，或公钥无法加载', ': this browser has no Ed25519, or the public key could not be loaded'],
};

function VerifyCommand({ date }) {
  return (
    <Alert type="info" showIcon role="note" style={{ marginTop: 12 }}
      title={tr('分配结果的重新计算不在浏览器中进行', 'The allocation is not recomputed in the browser')}
      description={(
        <>
          {tr('用每日记录中的输入与规则重新计算每家机构的得分与曝光，并再次校验哈希、链与签名，请用命令行工具：', "Recompute every institution's score and impressions from the record's own inputs and rule, and check the hash, chain and signature again, with the command-line tool:")}
          <Typography.Paragraph className="mono" copyable style={{ margin: '6px 0 0' }}>{`caifuhao verify-allocation --date ${date} --from ${location.origin}`}</Typography.Paragraph>
        </>
      )} />
  );
}

export function FairDay({ date }) {
  const d = useAsync(async () => {
    const day = await loadDay(date);
    const [check, insts, delivery] = await Promise.all([
      checkDay(day).catch((err) => ({ error: err.message })),
      api.get('/api/v1/public/institutions').catch(() => ({ items: [] })),
      api.get(`/api/v1/ops/fair-deliveries/${addDays(date, 1)}`).catch(() => null),
    ]);
    return { day, check, names: Object.fromEntries(insts.items.map((i) => [i.id, i.name])), delivery };
  }, [date]);
  return (
    <Async state={d}>
      {({ day, check, names, delivery }) => {
        const rec = day.record;
        const delivered = Object.fromEntries((delivery?.items ?? []).map((i) => [i.institution_id, i]));
        const rows = rec.results.map((r, i) => ({ ...r, is_new: rec.inputs[i]?.is_new, name: names[r.institution_id] ?? delivered[r.institution_id]?.name ?? `#${r.institution_id}` }));
        return (
          <>
            <PageHeader title={tr(`${day.date} 公布记录`, `Published day ${day.date}`)} sub={<VerifyTag result={check} />}
              extra={<Button onClick={() => navigate('/console/fair-days')}>{tr('返回列表', 'Back')}</Button>} />
            <Space orientation="vertical" size="large" style={{ width: '100%' }}>
              <Card title={tr('哈希与签名', 'Hash and signature')}>
                <Descriptions column={1} size="small" items={[
                  { key: 'v', label: tr('规则版本', 'Rule version'), children: `v${day.rule_version}` },
                  { key: 'h', label: tr('哈希', 'Hash'), children: <Typography.Text className="mono" copyable>{day.hash}</Typography.Text> },
                  { key: 'p', label: tr('上一哈希', 'Previous hash'), children: <><Typography.Text className="mono" copyable>{day.prev_hash}</Typography.Text>{day.prev_hash === ZERO_HASH ? tr('（首个公布日）', ' (the first day)') : rec.prev_date && <> ← <a href={`/console/fair-days/${rec.prev_date}`} onClick={(e) => { e.preventDefault(); navigate(`/console/fair-days/${rec.prev_date}`); }}>{rec.prev_date}</a></>}</> },
                  { key: 's', label: tr('签名', 'Signature'), children: <Typography.Text className="mono" copyable style={{ wordBreak: 'break-all' }}>{day.signature}</Typography.Text> },
                  { key: 'r', label: tr('规则哈希', 'Rule hash'), children: <span className="mono">{rec.rule_hash}</span> },
                ]} />
                <section aria-label={tr('浏览器校验结果', 'Checks made in the browser')} style={{ marginTop: 12 }}>
                  {check.error ? <Alert type="warning" showIcon title={tr('浏览器无法校验', 'The browser could not check')} description={check.error} /> : (
                    <ul className="match-list">
                      {check.checks.map((c) => (
                        <li key={c.key} className={c.ok === false ? 'verify-fail' : c.ok ? 'verify-ok' : ''}>
                          {c.ok === true ? '✓' : c.ok === false ? '✗' : '?'} {tr(...CHECK_NAMES[c.key])}
                          {c.ok === false && c.detail && <span className="mono">（{tr('计算得到', 'computed')} {c.detail}）</span>}
                          {c.ok === null && UNDECIDED[c.key] && tr(...UNDECIDED[c.key])}
                        </li>
                      ))}
                    </ul>
                  )}
                  <VerifyCommand date={day.date} />
                </section>
              </Card>
              <Card title={tr(`分配结果（每日 ${n(rec.total)} 次曝光）`, `Allocation (${n(rec.total)} impressions)`)}>
                <Table rowKey="institution_id" size="small" pagination={false} dataSource={rows}
                  expandable={{ expandedRowRender: (r) => <span className="mono">{Object.entries(r.norm_ppm).map(([k, v]) => `${k}=${ppmPercent(v)}`).join('  ')}</span> }}
                  columns={[
                    { title: tr('机构', 'Institution'), dataIndex: 'name', render: (v, r) => <>{v}{r.is_new && <Tag color="blue" style={{ marginLeft: 6 }}>{tr('新机构', 'new')}</Tag>}</> },
                    { title: tr('得分', 'Score'), dataIndex: 'score_ppm', align: 'right', render: (v) => ppmPercent(v, 2) },
                    { title: tr('保底', 'Floor'), dataIndex: 'floor', align: 'right', render: n },
                    { title: tr('上限', 'Cap'), dataIndex: 'cap', align: 'right', render: n },
                    { title: tr('分配曝光', 'Impressions'), dataIndex: 'impressions', align: 'right', render: n },
                    { title: tr('占比', 'Share'), dataIndex: 'impressions', key: 'share', align: 'right', render: (v) => sharePercent(v, rec.total) },
                  ]} />
              </Card>
              <Card title={tr(`投放情况（${addDays(day.date, 1)} 按此分配投放）`, `Delivered on ${addDays(day.date, 1)}, following this allocation`)}>
                {!delivery || delivery.items.length === 0 ? <EmptyState text={tr('尚无投放记录', 'Nothing delivered yet')} /> : (
                  <>
                    <p>{tr(`共分配 ${n(delivery.allocated)} 次，已投放 ${n(delivery.delivered)} 次（各服务器每 ${delivery.flush_interval_ms} 毫秒写入一次）`, `${n(delivery.delivered)} of ${n(delivery.allocated)} delivered (written every ${delivery.flush_interval_ms} ms)`)}</p>
                    <Table rowKey="institution_id" size="small" pagination={false} dataSource={delivery.items} columns={[
                      { title: tr('机构', 'Institution'), dataIndex: 'name' },
                      { title: tr('分配', 'Allocated'), dataIndex: 'allocated', align: 'right', render: n },
                      { title: tr('已投放', 'Delivered'), dataIndex: 'delivered', align: 'right', render: n },
                      { title: tr('完成度', 'Done'), key: 'p', align: 'right', render: (_, r) => sharePercent(r.delivered, r.allocated) },
                    ]} />
                  </>
                )}
              </Card>
            </Space>
          </>
        );
      }}
    </Async>
  );
}

export default function FairDays() {
  const [pages, setPages] = useState([null]);
  const before = pages[pages.length - 1];
  const list = useAsync(async () => {
    const page = await api.get('/api/v1/public/fair-days', { limit: 20, before });
    const checks = await Promise.all(page.items.map((s) => loadDay(s.date).then(checkDay).catch((err) => ({ error: err.message }))));
    return { ...page, checks };
  }, [before]);
  return (
    <>
      <PageHeader title={tr('每日公布', 'Published days')}
        sub={tr('每天的评分与分配都以规范 JSON 公布，含哈希、上一日哈希与平台签名；校验状态由浏览器计算', 'Each day is published as canonical JSON with its hash, the previous hash and the platform signature; the status is computed in this browser')} />
      <Async state={list}>
        {(d) => (
          <>
            <Table rowKey="date" size="small" pagination={false} dataSource={d.items.map((s, i) => ({ ...s, check: d.checks[i] }))}
              locale={{ emptyText: <EmptyState text={tr('尚无公布日：规则生效且当日汇总完成后，次日凌晨公布', 'No day yet: a day is published once a rule is in force and its roll-up is done')} /> }}
              columns={[
                { title: tr('日期', 'Date'), dataIndex: 'date', render: (v) => <a href={`/console/fair-days/${v}`} onClick={(e) => { e.preventDefault(); navigate(`/console/fair-days/${v}`); }}>{v}</a> },
                { title: tr('规则版本', 'Rule'), dataIndex: 'rule_version', render: (v) => `v${v}` },
                { title: tr('机构数', 'Institutions'), dataIndex: 'institutions', align: 'right' },
                { title: tr('曝光总量', 'Impressions'), dataIndex: 'total', align: 'right', render: n },
                { title: tr('哈希', 'Hash'), dataIndex: 'hash', render: (v) => <Typography.Text className="mono" copyable={{ text: v }}>{v.slice(0, 12)}…</Typography.Text> },
                { title: tr('上一哈希', 'Previous'), dataIndex: 'prev_hash', render: (v) => <span className="mono">{v.slice(0, 12)}…</span> },
                { title: tr('校验', 'Verification'), dataIndex: 'check', render: (c) => <VerifyTag result={c} /> },
              ]} />
            <Space style={{ marginTop: 12 }}>
              <Button disabled={pages.length < 2} onClick={() => setPages(pages.slice(0, -1))}>{tr('上一页', 'Previous')}</Button>
              <Button disabled={!d.next_before} onClick={() => setPages([...pages, d.next_before])}>{tr('下一页', 'Next')}</Button>
            </Space>
            <VerifyCommand date={d.items[0]?.date ?? 'YYYY-MM-DD'} />
          </>
        )}
      </Async>
    </>
  );
}
