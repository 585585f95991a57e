import { useState } from 'react';
import { Button, Dialog, Result, TextArea } from 'antd-mobile';
import { api, ApiError } from '../../lib/api.js';
import { CONTENT_STATUS, errorText, nameOf, tr } from '../../lib/i18n.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Loading, Page, requireLogin } from '../ui.jsx';

export default function Professional() {
  const { user, ready } = useSession();
  const app = useAsync(() => (user ? api.get('/api/v1/investor/professional').catch((e) => {
    if (e instanceof ApiError && e.status === 404) return { application: null };
    throw e;
  }) : Promise.resolve(null)), [user?.id]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  return (
    <Page title={tr('专业投资者', 'Professional investor')}>
      <Async state={app}>
        {({ application: a }) => (
          <>
            {a && <Result status={a.status === 'approved' ? 'success' : a.status === 'pending' ? 'waiting' : 'error'} title={nameOf(CONTENT_STATUS, a.status === 'pending' ? 'pending' : a.status)} description={a.reason || a.statement} />}
            {(!a || a.status === 'rejected') && (
              <div className="pad">
                <p className="muted">{tr('符合《证券期货投资者适当性管理办法》专业投资者条件的，可申请认定；认定后可购买全部风险等级产品。', 'If you meet the CSRC criteria you may apply; professional investors match every risk level.')}</p>
                <label htmlFor="pro-statement" className="sr-only">{tr('资质说明', 'Your qualification')}</label>
                <TextArea id="pro-statement" rows={4} maxLength={1000} showCount value={text} onChange={setText} placeholder={tr('请说明您的资质，如金融资产、投资经历等', 'Describe your qualification')} />
                <Button block color="primary" loading={busy} style={{ marginTop: 12 }} onClick={async () => {
                  setBusy(true);
                  try { await api.post('/api/v1/investor/professional', { statement: text }); app.reload(); } catch (err) { Dialog.alert({ content: errorText(err) }); } finally { setBusy(false); }
                }}>{tr('提交申请', 'Apply')}</Button>
              </div>
            )}
          </>
        )}
      </Async>
    </Page>
  );
}
