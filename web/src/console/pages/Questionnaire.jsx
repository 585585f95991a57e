// The risk questionnaire in force, and for ops_admin and ops_risk the editor of the next
// version: questions and options (text, score, the disqualifying flag, order), the C2–C5
// thresholds and lowest_below. The rules of web/src/lib/questionnaire.js are checked before
// anything is sent; a 422 from the server is put on the field its detail names.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Space, Tag, Typography } from 'antd';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { move, newOption, newQuestion, OPTIONS_MAX, problemField, QUESTIONS_MAX, SCORE_MAX, TEXT_MAX, toDraft, toRequest, TOTAL_MAX, validateQuestionnaire } from '../../lib/questionnaire.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, EmptyState, PageHeader } from '../ui.jsx';

const LETTERS = 'ABCDEF';
const C_NAMES = ['C2', 'C3', 'C4', 'C5'];

export default function Questionnaire({ role }) {
  const { message, modal } = App.useApp();
  const q = useAsync(() => api.get('/api/v1/ops/questionnaire'), []);
  const canEdit = role === 'ops_admin' || role === 'ops_risk';
  const [draft, setDraft] = useState(null);
  const [errors, setErrors] = useState({}); // field path → message
  const [serverError, setServerError] = useState(null); // a 422 that names no field
  const [published, setPublished] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => { if (q.data) setDraft(toDraft(q.data.definition)); }, [q.data]);
  const dirty = useMemo(() => draft && q.data && JSON.stringify(toRequest(draft)) !== JSON.stringify(toRequest(toDraft(q.data.definition))), [draft, q.data]);

  function update(fn) {
    setDraft((d) => {
      const next = structuredClone(d);
      fn(next);
      return next;
    });
  }
  const err = (field) => errors[field];
  const item = (field) => (errors[field] ? { validateStatus: 'error', help: errors[field] } : {});

  async function publish() {
    setServerError(null);
    setPublished(null);
    const found = validateQuestionnaire(draft);
    if (found.length) {
      setErrors(Object.fromEntries(found.map((e) => [e.field, tr(e.zh, e.en)])));
      message.error(tr(`有 ${found.length} 处需要修改，见标红的字段`, `${found.length} field(s) to correct, marked in red`));
      return;
    }
    setErrors({});
    const ok = await modal.confirm({
      title: tr(`发布第 ${q.data.version + 1} 版问卷？`, `Publish questionnaire version ${q.data.version + 1}?`),
      content: tr('新版本立即生效，之后提交的答卷须按新版本作答。已提交的答卷保留作答时的版本及其风险类别，直至测评到期。',
        'It takes effect at once: answer sheets from now on must answer the new version. Answer sheets already submitted keep the version they were answered with, and their category, until the assessment expires.'),
      okText: tr('确认发布', 'Publish'),
      cancelText: tr('取消', 'Cancel'),
    });
    if (!ok) return;
    setBusy(true);
    try {
      const r = await api.post('/api/v1/ops/questionnaire', toRequest(draft));
      setPublished(r.version);
      message.success(tr(`已发布第 ${r.version} 版`, `Published version ${r.version}`));
      q.reload();
    } catch (e) {
      const field = e.status === 422 ? problemField(e.problem ?? { detail: e.message, field: e.field }) : null;
      if (field) setErrors({ [field]: errorText(e) });
      else setServerError(e);
    } finally {
      setBusy(false);
    }
  }

  const sub = q.data ? tr(`当前版本 v${q.data.version}`, `Current version v${q.data.version}`) : '';
  return (
    <>
      <PageHeader title={tr('风险测评问卷', 'Risk questionnaire')} sub={sub}
        extra={canEdit && draft && (
          <Space>
            <Button disabled={!dirty || busy} onClick={() => { setDraft(toDraft(q.data.definition)); setErrors({}); setServerError(null); }}>{tr('还原', 'Revert')}</Button>
            <Button type="primary" disabled={!dirty} loading={busy} onClick={publish}>{tr('发布新版本', 'Publish new version')}</Button>
          </Space>
        )} />
      {published && (
        <Alert type="success" showIcon style={{ marginBottom: 16 }} role="status"
          title={tr(`已发布新版本 v${published}`, `Published new version v${published}`)}
          description={tr('已提交的答卷保留其作答时的版本。', 'Answer sheets already submitted keep the version they were answered with.')} />
      )}
      {serverError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={tr('未能发布', 'Not published')} description={errorText(serverError)} />}
      <Async state={q}>
        {() => (!draft ? null : (
          <Form layout="vertical" component="div" disabled={!canEdit}>
            {!canEdit && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={tr('只读：发布新版本需要运营管理员或风控角色。', 'Read-only: publishing needs the ops admin or risk role.')} />}
            <Card title={tr('分类阈值', 'Category thresholds')} style={{ marginBottom: 16 }}>
              <Typography.Paragraph type="secondary">
                {tr('C2–C5 各类别的最低总分，须严格递增，且不选“最低类别”选项的作答能得到 C1 至 C5 每一类。总分低于“最低类别分数线”的为最低类别（C1）。',
                  'The lowest total of C2 to C5, strictly ascending; answers without a disqualifying option must be able to reach every category from C1 to C5. A total below "lowest below" is the lowest category (C1).')}
              </Typography.Paragraph>
              <div>
                <Space wrap align="start">
                  {C_NAMES.map((c, i) => (
                    <Form.Item key={c} label={tr(`${c} 最低分`, `${c} from`)} htmlFor={`qn-th-${i}`} {...item(`thresholds[${i}]`)}>
                      <InputNumber id={`qn-th-${i}`} min={0} max={TOTAL_MAX} precision={0} value={draft.thresholds[i]}
                        onChange={(v) => update((d) => { d.thresholds[i] = v; })} />
                    </Form.Item>
                  ))}
                  <Form.Item label={tr('最低类别分数线', 'Lowest below')} htmlFor="qn-lowest" {...item('lowest_below')}>
                    <InputNumber id="qn-lowest" min={0} max={TOTAL_MAX} precision={0} value={draft.lowest_below}
                      onChange={(v) => update((d) => { d.lowest_below = v; })} />
                  </Form.Item>
                </Space>
                {err('thresholds') && <div className="ant-form-item-explain-error" role="alert">{err('thresholds')}</div>}
              </div>
            </Card>

            {draft.questions.length === 0 && <EmptyState text={tr('还没有题目', 'No questions yet')} />}
            {err('questions') && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={err('questions')} />}
            {draft.questions.map((x, i) => {
              const n = i + 1;
              const at = `questions[${i}]`;
              return (
                <Card key={x.key} size="small" style={{ marginBottom: 12 }} role="group" aria-label={tr(`第 ${n} 题`, `Question ${n}`)}
                  title={<Space>{tr(`第 ${n} 题`, `Question ${n}`)}<Tag>{x.id}</Tag></Space>}
                  extra={canEdit && (
                    <Space size={4}>
                      <Button size="small" disabled={i === 0} onClick={() => update((d) => { d.questions = move(d.questions, i, -1); })} aria-label={tr(`第 ${n} 题上移`, `Move question ${n} up`)}>↑</Button>
                      <Button size="small" disabled={i === draft.questions.length - 1} onClick={() => update((d) => { d.questions = move(d.questions, i, 1); })} aria-label={tr(`第 ${n} 题下移`, `Move question ${n} down`)}>↓</Button>
                      <Button size="small" danger onClick={() => update((d) => { d.questions.splice(i, 1); })} aria-label={tr(`删除第 ${n} 题`, `Remove question ${n}`)}>{tr('删除', 'Remove')}</Button>
                    </Space>
                  )}>
                  <Space wrap align="start" style={{ width: '100%' }}>
                    <Form.Item label={tr('编号', 'Id')} htmlFor={`qn-${x.key}-id`} {...item(`${at}.id`)} style={{ width: 220 }}>
                      <Input id={`qn-${x.key}-id`} value={x.id} maxLength={32} aria-label={tr(`第 ${n} 题编号`, `Question ${n} id`)}
                        onChange={(e) => update((d) => { d.questions[i].id = e.target.value; })} />
                    </Form.Item>
                    <Form.Item label={tr('题目', 'Question')} htmlFor={`qn-${x.key}-text`} {...item(`${at}.text`)} style={{ minWidth: 420, flex: 1 }}>
                      <Input id={`qn-${x.key}-text`} value={x.text} showCount maxLength={TEXT_MAX} aria-label={tr(`第 ${n} 题题目`, `Question ${n} text`)}
                        onChange={(e) => update((d) => { d.questions[i].text = e.target.value; })} />
                    </Form.Item>
                  </Space>
                  <Form.Item label={tr('选项（分值 0–100；“最低类别”：选择即为最低类别，只能购买 R1）', 'Options (score 0–100; "disqualifying": choosing it gives the lowest category, R1 only)')} {...item(`${at}.options`)}>
                    {x.options.map((o, j) => {
                      const name = tr(`第 ${n} 题选项 ${LETTERS[j] ?? j + 1}`, `Question ${n} option ${LETTERS[j] ?? j + 1}`);
                      const ot = `${at}.options[${j}]`;
                      const oerr = err(`${ot}.text`) || err(`${ot}.score`);
                      return (
                        <div key={o.key} style={{ marginBottom: 8 }}>
                          <Space wrap align="center">
                            <b style={{ width: 16, display: 'inline-block' }}>{LETTERS[j] ?? j + 1}</b>
                            <Input value={o.text} aria-label={name} status={err(`${ot}.text`) ? 'error' : undefined} style={{ width: 360 }} maxLength={TEXT_MAX}
                              onChange={(e) => update((d) => { d.questions[i].options[j].text = e.target.value; })} />
                            <InputNumber value={o.score} min={0} max={SCORE_MAX} precision={0} aria-label={tr(`${name}分值`, `${name} score`)} status={err(`${ot}.score`) ? 'error' : undefined}
                              suffix={tr('分', 'pts')} style={{ width: 120 }}
                              onChange={(v) => update((d) => { d.questions[i].options[j].score = v; })} />
                            <Checkbox checked={o.disqualifying} onChange={(e) => update((d) => { d.questions[i].options[j].disqualifying = e.target.checked; })}
                              aria-label={tr(`${name}最低类别`, `${name} disqualifying`)}>{tr('最低类别', 'Disqualifying')}</Checkbox>
                            {canEdit && (
                              <Space size={2}>
                                <Button size="small" type="text" disabled={j === 0} onClick={() => update((d) => { d.questions[i].options = move(d.questions[i].options, j, -1); })} aria-label={tr(`${name}上移`, `Move ${name} up`)}>↑</Button>
                                <Button size="small" type="text" disabled={j === x.options.length - 1} onClick={() => update((d) => { d.questions[i].options = move(d.questions[i].options, j, 1); })} aria-label={tr(`${name}下移`, `Move ${name} down`)}>↓</Button>
                                <Button size="small" type="link" danger onClick={() => update((d) => { d.questions[i].options.splice(j, 1); })} aria-label={tr(`删除${name}`, `Remove ${name}`)}>{tr('删除', 'Remove')}</Button>
                              </Space>
                            )}
                          </Space>
                          {oerr && <div className="ant-form-item-explain-error" role="alert" style={{ marginLeft: 24 }}>{oerr}</div>}
                        </div>
                      );
                    })}
                    {canEdit && (
                      <Button size="small" disabled={x.options.length >= OPTIONS_MAX} onClick={() => update((d) => { d.questions[i].options.push(newOption()); })}>
                        {tr('添加选项', 'Add option')}
                      </Button>
                    )}
                  </Form.Item>
                </Card>
              );
            })}
            {canEdit && (
              <Button disabled={draft.questions.length >= QUESTIONS_MAX} onClick={() => update((d) => { d.questions.push(newQuestion(d.questions)); })}>
                {tr('添加题目', 'Add question')}
              </Button>
            )}
          </Form>
        ))}
      </Async>
    </>
  );
}
