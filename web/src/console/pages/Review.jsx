// The review queue: everything waiting for a person, oldest first, each with the flagged spans
// of its check. Held texts and pending versions are approved or rejected; a target with open
// reports is dismissed or taken down, which resolves every open report of it at once.
import { useState } from 'react';
import { App, Avatar, Button, Card, Empty, Form, Input, Modal, Segmented, Space, Tag, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { CAMPAIGN_SEGMENTS, CAMPAIGN_TYPES, CONTENT_KINDS, errorText, nameOf, REPORT_CATEGORIES, REPORT_TARGETS, tr } from '../../lib/i18n.js';
import { formatMoney, formatRate } from '../../lib/money.js';
import { matchesOf } from '../../lib/spans.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, Highlighted, MatchList, PageHeader, VerdictTag } from '../ui.jsx';

const KIND = {
  zone: ['专区装修', 'Zone'], content: ['内容', 'Content'], question: ['提问', 'Question'], message: ['消息', 'Message'],
  comment: ['评论', 'Comment'], manager: ['基金经理', 'Fund manager'], campaign: ['营销活动', 'Campaign'], report: ['举报', 'Report'],
};

const TEXT_LABELS = {
  title: ['标题', 'Title'], body_text: ['正文', 'Body'], body: ['内容', 'Text'], answer: ['回答', 'Answer'],
  question: ['问题', 'Question'], display_name: ['展示名称', 'Display name'], slogan: ['口号', 'Slogan'],
  introduction: ['简介', 'Introduction'],
};

function fields(kind, item) {
  const c = item.check;
  switch (kind) {
    case 'zone':
      return [
        [tr('展示名称', 'Display name'), item.display_name, matchesOf(c, 'display_name')],
        [tr('口号', 'Slogan'), item.slogan, matchesOf(c, 'slogan')],
        [tr('简介', 'Introduction'), item.introduction, matchesOf(c, 'introduction')],
      ];
    case 'content':
      return [
        [tr('标题', 'Title'), item.title, matchesOf(c, 'title')],
        [tr('正文', 'Body'), c.body_text, matchesOf(c, 'body_text')],
      ];
    case 'question':
      return [[tr('问题', 'Question'), item.body, matchesOf(c, 'body')]];
    case 'comment':
      return [[tr('评论', 'Comment'), item.body, matchesOf(c, 'body')]];
    case 'manager':
      return [
        [tr('姓名', 'Name'), item.name, matchesOf(c, 'name')],
        [tr('职务', 'Title'), item.title, matchesOf(c, 'title')],
        [tr('简介', 'Biography'), item.bio, matchesOf(c, 'bio')],
      ];
    case 'campaign':
      return [
        [tr('活动名称', 'Name'), item.name, matchesOf(c, 'name')],
        [tr('活动说明', 'Text'), item.text, matchesOf(c, 'text')],
      ];
    case 'report':
      return Object.entries(item.target.texts).map(([f, text]) => [nameOf(TEXT_LABELS, f), text, matchesOf(item.target.check, f)]);
    default:
      return [
        [tr('标题', 'Title'), item.title, matchesOf(c, 'title')],
        [tr('正文', 'Body'), item.body, matchesOf(c, 'body')],
      ];
  }
}

function decisionPath(kind, item) {
  switch (kind) {
    case 'zone': return `/api/v1/ops/zones/${item.version_id}/decision`;
    case 'content': return `/api/v1/ops/contents/${item.id}/versions/${item.version}/decision`;
    case 'question': return `/api/v1/ops/questions/${item.id}/decision`;
    case 'comment': return `/api/v1/ops/comments/${item.id}/decision`;
    case 'manager': return `/api/v1/ops/managers/${item.id}/versions/${item.version}/decision`;
    case 'campaign': return `/api/v1/ops/campaigns/${item.id}/decision`;
    case 'report': return `/api/v1/ops/reports/${item.id}/resolution`;
    default: return `/api/v1/ops/messages/${item.id}/decision`;
  }
}

function when(kind, item) {
  return ['zone', 'manager', 'campaign'].includes(kind) ? item.submitted_ms : item.created_ms;
}

function titleOf(kind, item) {
  switch (kind) {
    case 'content': case 'message': return item.title;
    case 'zone': return item.display_name;
    case 'manager': case 'campaign': return item.name;
    case 'report': return (Object.values(item.target.texts)[0] ?? '').slice(0, 30);
    default: return item.body.slice(0, 30);
  }
}

const checkOf = (kind, item) => (kind === 'report' ? item.target.check : item.check);

/** What the reviewer needs beside the texts: where a comment is, a manager's facts, a campaign's terms, the reports. */
function Context({ kind, item }) {
  if (kind === 'comment') {
    return <Typography.Paragraph type="secondary">{tr(`评论于《${item.content_title ?? ''}》`, `On “${item.content_title ?? ''}”`)}</Typography.Paragraph>;
  }
  if (kind === 'manager') {
    return (
      <Space style={{ marginBottom: 8 }} wrap>
        <Avatar size={48} src={item.photo_url || undefined} alt={tr('照片', 'Photo')}>{item.name.slice(0, 1)}</Avatar>
        <span>{tr(`第 ${item.version} 版 · 从业 ${item.years_experience} 年`, `Version ${item.version} · ${item.years_experience} years`)}</span>
        {item.products.map((p) => <Tag key={p.id}>{p.code} {p.name} {p.risk_level}</Tag>)}
      </Space>
    );
  }
  if (kind === 'campaign') {
    const a = item.audience;
    return (
      <Typography.Paragraph type="secondary">
        {nameOf(CAMPAIGN_TYPES, item.type)} · {item.start_date} ~ {item.end_date} · {nameOf(CAMPAIGN_SEGMENTS, a.segment)}{a.risk_classes.length ? ` (${a.risk_classes.join('、')})` : ''}
        {item.discount && ` · ${tr(`费率再减 ${formatRate(item.discount, 0)}`, `${formatRate(item.discount, 0)} off the fee`)}`}
        {item.type === 'fee_discount' && ` · ${tr('预算', 'budget')} ${formatMoney(item.budget)} ${tr('元', 'CNY')}`}
        {item.product_ids.length > 0 && ` · ${tr(`产品 ${item.product_ids.length} 只`, `${item.product_ids.length} products`)}`}
      </Typography.Paragraph>
    );
  }
  if (kind === 'report') {
    return (
      <>
        <Space style={{ marginBottom: 8 }} wrap>
          <Tag>{nameOf(REPORT_TARGETS, item.target_kind)} #{item.target_id}</Tag>
          {item.target.visible ? <Tag color="green">{tr('目前公开可见', 'Public now')}</Tag> : <Tag>{tr('已不公开（已删除、驳回或下架）', 'No longer public')}</Tag>}
        </Space>
        <ul className="match-list" aria-label={tr('举报', 'Reports')}>
          {item.reports.map((r) => (
            <li key={r.id}>
              <Tag color="volcano">{nameOf(REPORT_CATEGORIES, r.category)}</Tag>
              {r.text || <Typography.Text type="secondary">{tr('（未填写说明）', '(no details)')}</Typography.Text>}
              {' '}<Typography.Text type="secondary">{formatDateTime(r.created_ms)}</Typography.Text>
            </li>
          ))}
        </ul>
      </>
    );
  }
  return null;
}

const DECISIONS = {
  approve: ['通过', 'Approve', '已通过', 'Approved'],
  reject: ['驳回', 'Reject', '已驳回', 'Rejected'],
  dismiss: ['驳回举报', 'Dismiss reports', '已驳回举报，内容保留', 'Reports dismissed'],
  take_down: ['下架', 'Take down', '已下架', 'Taken down'],
};

export default function Review({ role }) {
  const { message } = App.useApp();
  const queue = useAsync(() => api.get('/api/v1/ops/review'), []);
  const [deciding, setDeciding] = useState(null);
  const [filter, setFilter] = useState('all');
  const [form] = Form.useForm();
  const canDecide = role === 'ops_admin' || role === 'ops_reviewer';

  async function decide(v) {
    try {
      await api.post(decisionPath(deciding.kind, deciding.item), { decision: deciding.decision, reason: v.reason });
      message.success(tr(DECISIONS[deciding.decision][2], DECISIONS[deciding.decision][3]));
      setDeciding(null);
      form.resetFields();
      queue.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  }

  const actions = (kind, item) => {
    if (!canDecide) return undefined;
    const pick = (decision) => () => setDeciding({ kind, item, decision });
    if (kind === 'report') {
      return [
        <Button key="d" onClick={pick('dismiss')}>{tr('驳回举报', 'Dismiss reports')}</Button>,
        <Button key="t" danger type="primary" onClick={pick('take_down')}>{tr('下架', 'Take down')}</Button>,
      ];
    }
    return [
      <Button key="a" type="primary" onClick={pick('approve')}>{tr('通过', 'Approve')}</Button>,
      <Button key="r" danger onClick={pick('reject')}>{tr('驳回', 'Reject')}</Button>,
    ];
  };

  return (
    <>
      <PageHeader title={tr('审核队列', 'Review queue')} sub={tr('命中合规词库、等待人工审核的内容和被举报的对象，按提交时间排序', 'Held for a human decision and reported targets, oldest first')}
        extra={<Button onClick={queue.reload}>{tr('刷新', 'Refresh')}</Button>} />
      <Async state={queue}>
        {(d) => {
          const counts = {};
          for (const x of d.items) counts[x.kind] = (counts[x.kind] ?? 0) + 1;
          const f = filter !== 'all' && !counts[filter] ? 'all' : filter;
          const shown = d.items.filter((x) => f === 'all' || x.kind === f);
          return (
            <>
              {d.items.length > 0 && (
                <Segmented style={{ marginBottom: 16 }} value={f} onChange={setFilter} aria-label={tr('按类型筛选', 'Filter by kind')}
                  options={[{ value: 'all', label: tr(`全部 ${d.items.length}`, `All ${d.items.length}`) },
                    ...Object.keys(KIND).filter((k) => counts[k]).map((k) => ({ value: k, label: `${tr(...KIND[k])} ${counts[k]}` }))]} />
              )}
              {shown.length === 0 ? <Card><Empty description={tr('没有待审核的内容', 'Nothing waiting')} /></Card> : (
                <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                  {shown.map(({ kind, item }) => {
                    const key = `${kind}-${item.version_id ?? item.id}-${item.version ?? ''}`;
                    const title = titleOf(kind, item);
                    return (
                      <Card key={key} data-testid="review-item" role="article" aria-label={`${tr(...KIND[kind])}: ${title}`}
                        title={<Space><Tag color={kind === 'report' ? 'volcano' : 'blue'}>{tr(...KIND[kind])}{kind === 'content' ? ` · ${nameOf(CONTENT_KINDS, item.kind)}` : ''}{kind === 'report' ? ` · ${nameOf(REPORT_TARGETS, item.target_kind)} · ${tr(`${item.reports.length} 条`, `${item.reports.length}`)}` : ''}</Tag><span>{title}</span></Space>}
                        extra={<Space><span>{item.institution_name}</span><Typography.Text type="secondary">{formatDateTime(when(kind, item))}</Typography.Text><VerdictTag verdict={checkOf(kind, item).verdict} /></Space>}
                        actions={actions(kind, item)}>
                        <Context kind={kind} item={item} />
                        {fields(kind, item).filter(([, text]) => text).map(([label, text, ms]) => (
                          <div key={label} style={{ marginBottom: 8 }}>
                            <Typography.Text type="secondary">{label}：</Typography.Text>
                            <Highlighted text={text} matches={ms} />
                          </div>
                        ))}
                        <MatchList check={checkOf(kind, item)} />
                      </Card>
                    );
                  })}
                </Space>
              )}
            </>
          );
        }}
      </Async>
      <Modal open={!!deciding} title={deciding ? tr(DECISIONS[deciding.decision][0], DECISIONS[deciding.decision][1]) : ''}
        onCancel={() => setDeciding(null)} onOk={() => form.submit()} okText={tr('提交', 'Submit')}
        okButtonProps={{ danger: deciding?.decision === 'reject' || deciding?.decision === 'take_down' }} forceRender>
        {deciding?.kind === 'report' && (
          <Typography.Paragraph type="secondary">
            {deciding.decision === 'take_down' ? tr(`将下架该${nameOf(REPORT_TARGETS, deciding.item.target_kind)}，并一并处理对它的 ${deciding.item.reports.length} 条举报。`, `Takes the ${nameOf(REPORT_TARGETS, deciding.item.target_kind).toLowerCase()} down and resolves its ${deciding.item.reports.length} open reports.`)
              : tr(`保留该${nameOf(REPORT_TARGETS, deciding.item.target_kind)}，并一并驳回对它的 ${deciding.item.reports.length} 条举报。`, `Leaves it up and dismisses its ${deciding.item.reports.length} open reports.`)}
          </Typography.Paragraph>
        )}
        <Form form={form} layout="vertical" onFinish={decide}>
          <Form.Item name="reason" label={deciding?.kind === 'report' ? tr('理由（将告知举报人，下架时也告知作者）', 'Reason (the reporters are told, and the author on a takedown)') : tr('理由（将告知作者）', 'Reason (the author is told)')}
            rules={[{ required: true, whitespace: true, message: tr('请填写理由', 'Give a reason') }]}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
