import { useState } from 'react';
import { Button, Dialog, Radio, Result, Space } from 'antd-mobile';
import { api, ApiError } from '../../lib/api.js';
import { CATEGORY_NAMES, errorText, nameOf, RISK_NAMES, tr } from '../../lib/i18n.js';
import { formatDate } from '../../lib/time.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Loading, Page, requireLogin } from '../ui.jsx';

function AssessmentResult({ a, onRetake }) {
  return (
    <>
      <Result status={a.valid ? 'success' : 'warning'}
        title={tr(`您的风险承受能力：${a.category} ${nameOf(CATEGORY_NAMES, a.category)}`, `Your risk category: ${a.category} ${nameOf(CATEGORY_NAMES, a.category)}`)}
        description={a.lowest
          ? tr('您为最低风险承受能力类别，仅可购买 R1 低风险产品。', 'You are in the lowest category: only R1 products can be sold to you.')
          : tr(`可购买风险等级不高于 ${a.max_risk_level}（${nameOf(RISK_NAMES, a.max_risk_level)}）的产品；购买更高风险等级的产品需确认风险警示。`,
            `Products up to ${a.max_risk_level} (${nameOf(RISK_NAMES, a.max_risk_level)}) match you; higher ones need a confirmed risk warning.`)} />
      <section className="section">
        <dl className="kv">
          <div><dt>{tr('测评得分', 'Score')}</dt><dd>{a.score}</dd></div>
          <div><dt>{tr('问卷版本', 'Questionnaire')}</dt><dd>v{a.questionnaire_version}</dd></div>
          <div><dt>{tr('测评日期', 'Taken')}</dt><dd>{formatDate(a.taken_ms)}</dd></div>
          <div><dt>{tr('有效期至', 'Valid until')}</dt><dd>{formatDate(a.valid_until_ms)}{a.valid ? '' : tr('（已过期）', ' (expired)')}</dd></div>
        </dl>
      </section>
      <div className="pad" style={{ display: 'flex', gap: 12 }}>
        <Button block onClick={onRetake}>{tr('重新测评', 'Retake')}</Button>
        <Button block color="primary" onClick={() => navigate('/')}>{tr('去看看基金', 'Browse funds')}</Button>
      </div>
    </>
  );
}

function Questionnaire({ onDone }) {
  const q = useAsync(() => api.get('/api/v1/investor/questionnaire'), []);
  const [answers, setAnswers] = useState({});
  const [busy, setBusy] = useState(false);
  return (
    <Async state={q}>
      {({ questionnaire: qn }) => {
        const missing = qn.questions.filter((x) => answers[x.id] === undefined).length;
        async function submit() {
          if (missing > 0) {
            Dialog.alert({ content: tr(`还有 ${missing} 题未作答`, `${missing} questions unanswered`) });
            return;
          }
          setBusy(true);
          try {
            const r = await api.post('/api/v1/investor/assessments', {
              questionnaire_version: qn.version, answers: qn.questions.map((x) => answers[x.id]),
            });
            onDone(r.assessment);
          } catch (err) {
            Dialog.alert({ content: errorText(err) });
            if (err.code === 'questionnaire_outdated') q.reload();
          } finally {
            setBusy(false);
          }
        }
        return (
          <>
            <p className="pad muted">{tr('请根据您的实际情况作答，结果将决定适合您的产品风险等级（有效期一年）。', 'Answer for your own situation; the result decides which risk levels suit you (valid one year).')}</p>
            {qn.questions.map((x, i) => (
              <fieldset className="section pad question" key={x.id}>
                <legend className="q-title">{i + 1}. {x.text}</legend>
                <Radio.Group value={answers[x.id]} onChange={(v) => setAnswers((a) => ({ ...a, [x.id]: v }))}>
                  <Space direction="vertical">
                    {x.options.map((o) => <Radio key={o.index} value={o.index}>{o.text}</Radio>)}
                  </Space>
                </Radio.Group>
              </fieldset>
            ))}
            <div className="pad"><Button block color="primary" size="large" loading={busy} onClick={submit}>{tr('提交测评', 'Submit')}</Button></div>
          </>
        );
      }}
    </Async>
  );
}

export default function Risk() {
  const { user, ready } = useSession();
  const [taking, setTaking] = useState(false);
  const a = useAsync(() => (user ? api.get('/api/v1/investor/assessment').catch((e) => {
    if (e instanceof ApiError && e.status === 404) return { assessment: null };
    throw e;
  }) : Promise.resolve(null)), [user?.id]);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  return (
    <Page title={tr('风险测评', 'Risk assessment')}>
      <Async state={a}>
        {({ assessment }) => (taking || !assessment ? (
          <Questionnaire onDone={(x) => { a.setData({ assessment: x }); setTaking(false); }} />
        ) : <AssessmentResult a={assessment} onRetake={() => setTaking(true)} />)}
      </Async>
    </Page>
  );
}
