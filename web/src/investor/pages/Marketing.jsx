// The opt-out of personalised marketing (PIPL Art. 24): while opted out the investor is in no
// campaign segment; campaigns open to everyone and everything else work as before.
import { useState } from 'react';
import { Dialog, List, Switch } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Loading, Page, requireLogin } from '../ui.jsx';

export default function Marketing() {
  const { user, ready } = useSession();
  const state = useAsync(() => (user ? api.get('/api/v1/investor/marketing') : Promise.resolve(null)), [user?.id]);
  const [busy, setBusy] = useState(false);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  async function set(personalised) {
    setBusy(true);
    try {
      state.setData(await api.put('/api/v1/investor/marketing', { opted_out: !personalised }));
    } catch (err) {
      Dialog.alert({ title: tr('设置未保存', 'Not saved'), content: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Page title={tr('个性化营销', 'Personalised marketing')}>
      <Async state={state}>
        {({ marketing: m }) => (
          <>
            <List>
              <List.Item description={m.opted_out ? tr(`已于 ${formatDateTime(m.updated_ms)} 关闭`, `Off since ${formatDateTime(m.updated_ms)}`) : tr('已开启', 'On')}
                extra={<Switch checked={!m.opted_out} loading={busy} onChange={set}
                  aria-label={tr('接收个性化营销', 'Receive personalised marketing')} />}>
                {tr('接收个性化营销', 'Receive personalised marketing')}
              </List.Item>
            </List>
            <section className="section pad" style={{ lineHeight: 1.7, fontSize: 13 }}>
              <p style={{ marginTop: 0 }}>{tr('根据《个人信息保护法》第二十四条，您可以拒绝机构基于您的持仓、风险类型等信息向您定向推送营销活动。',
                'Under Article 24 of the Personal Information Protection Law you may refuse marketing aimed at you from your holdings, risk category or other data.')}</p>
              <p>{tr('关闭后：您不会收到定向活动消息，关注页不会置顶定向推广内容，下单时也不能参加面向特定人群的活动。',
                'Turned off: no segment messages, no promotion pinned for a segment, and orders cannot join a campaign for a segment.')}</p>
              <p style={{ marginBottom: 0 }}>{tr('面向全部投资者的活动、普通消息、关注、交易等其他功能不受影响；关闭前已参加活动的订单，确认时仍享受优惠。',
                'Campaigns open to everyone, ordinary messages, follows and trading work as before; an order that joined a campaign before keeps its discount.')}</p>
            </section>
          </>
        )}
      </Async>
    </Page>
  );
}
