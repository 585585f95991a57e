import { useState } from 'react';
import { Button, Dialog, Result } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Loading, Page, requireLogin } from '../ui.jsx';

export default function Consent({ id }) {
  const { user, ready } = useSession();
  const c = useAsync(() => (user ? api.get(`/api/v1/investor/consents/${id}`) : Promise.resolve(null)), [id, user?.id]);
  const [busy, setBusy] = useState(false);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  async function act(fn) {
    setBusy(true);
    try { await fn(); c.reload(); } catch (err) { Dialog.alert({ content: errorText(err) }); c.reload(); } finally { setBusy(false); }
  }
  return (
    <Page title={tr('个人信息授权', 'Data consent')}>
      <Async state={c}>
        {({ consent: x }) => (
          <>
            <Result status={x.granted ? 'success' : 'info'} title={x.granted ? tr('已授权', 'Granted') : tr('未授权', 'Not granted')}
              description={x.granted ? tr(`授权时间 ${formatDateTime(x.granted_ms)}`, `Since ${formatDateTime(x.granted_ms)}`) : tr('关注机构不会分享您的任何个人信息；仅在您单独授权后，机构才能看到下列信息。', 'Following shares nothing; only this separate consent does.')} />
            <section className="section pad" style={{ whiteSpace: 'pre-wrap', lineHeight: 1.6 }}>{x.text}<div className="muted">{tr('文本版本', 'Text version')} {x.text_version}</div></section>
            <div className="pad">
              {x.granted
                ? <Button block color="danger" fill="outline" loading={busy} onClick={() => act(() => api.del(`/api/v1/investor/consents/${id}`))}>{tr('撤回授权', 'Revoke')}</Button>
                : <Button block color="primary" loading={busy} onClick={() => act(() => api.post(`/api/v1/investor/consents/${id}`, { text_version: x.text_version }))}>{tr('同意授权', 'Grant')}</Button>}
            </div>
          </>
        )}
      </Async>
    </Page>
  );
}
