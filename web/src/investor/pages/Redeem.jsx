import { useEffect, useRef, useState } from 'react';
import { Button, Dialog, Form, Input, Toast } from 'antd-mobile';
import { api, newClientOrderId } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { grossValue } from '../../lib/fees.js';
import { compareDecimal, formatMoney, formatNav, formatRate, formatShares } from '../../lib/money.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Empty, Loading, Page, requireLogin } from '../ui.jsx';
import { RedFeeTable } from './Product.jsx';

const SHARES = /^(0|[1-9]\d*)(\.\d{1,2})?$/;

export default function Redeem({ id }) {
  const { user, ready } = useSession();
  const state = useAsync(async () => {
    if (!user) return null;
    const [p, h] = await Promise.all([api.get(`/api/v1/public/products/${id}`), api.get('/api/v1/investor/holdings')]);
    return { product: p.product, holding: h.items.find((x) => x.product_id === id) ?? null };
  }, [id, user?.id]);
  const [shares, setShares] = useState('');
  const [busy, setBusy] = useState(false);
  // The server's FIFO quote for the shares typed: lot by lot, at the latest NAV.
  const [quote, setQuote] = useState(null);
  useEffect(() => {
    setQuote(null);
    if (!user || !SHARES.test(shares) || compareDecimal(shares, '0') <= 0) return undefined;
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const q = await api.get(`/api/v1/investor/redemption-quote?product_id=${encodeURIComponent(id)}&shares=${encodeURIComponent(shares)}`);
        if (live) setQuote({ ok: true, q });
      } catch (err) {
        if (live) setQuote({ ok: false, text: errorText(err) });
      }
    }, 300);
    return () => { live = false; clearTimeout(timer); };
  }, [id, shares, user?.id]);
  const clientId = useRef(newClientOrderId('red'));
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  async function submit(h) {
    if (!SHARES.test(shares) || compareDecimal(shares, '0') <= 0) {
      Toast.show({ content: tr('请输入正确的份额（最多两位小数）', 'Enter shares with at most two decimals') });
      return;
    }
    if (compareDecimal(shares, h.available_shares) > 0) {
      Toast.show({ content: tr('超过可赎回份额', 'More than your available shares') });
      return;
    }
    setBusy(true);
    try {
      const r = await api.post('/api/v1/investor/orders', { client_order_id: clientId.current, product_id: id, side: 'redeem', shares });
      clientId.current = newClientOrderId('red');
      navigate(`/orders/${r.order.id}?placed=1`, { replace: true });
    } catch (err) {
      Dialog.alert({ title: tr('赎回未成功', 'Not placed'), content: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Page title={tr('赎回', 'Redeem')}>
      <Async state={state}>
        {({ product: p, holding: h }) => (!h ? <Empty title={tr('您未持有该基金', 'You do not hold this fund')} /> : (
          <>
            <section className="section pad"><b>{p.name}</b> <span className="muted">{p.code}</span></section>
            <section className="section">
              <Form layout="vertical">
                <Form.Item label={tr('赎回份额', 'Shares to redeem')}
                  description={tr(`可赎回 ${formatShares(h.available_shares)} 份`, `${formatShares(h.available_shares)} available`)}
                  extra={<Button size="mini" fill="none" color="primary" onClick={() => setShares(h.available_shares)}>{tr('全部', 'All')}</Button>}>
                  <Input value={shares} onChange={setShares} inputMode="decimal" clearable aria-label={tr('赎回份额', 'Shares')} placeholder={tr('输入份额', 'Shares')} />
                </Form.Item>
              </Form>
            </section>
            <section className="preview" aria-live="polite" aria-label={tr('赎回预估', 'Redemption preview')}>
              <div className="row"><span>{tr('预估赎回总额', 'Est. gross')}</span><b>{quote?.ok ? `${formatMoney(quote.q.gross)} 元` : p.latest_nav && SHARES.test(shares) ? `${formatMoney(grossValue(shares, p.latest_nav.nav))} 元` : '--'}</b></div>
              {quote?.ok && (
                <>
                  <div className="row"><span>{tr('预估赎回费', 'Est. fee')}</span><b>{formatMoney(quote.q.fee)} 元</b></div>
                  <div className="row"><span>{tr('预估到账金额', 'Est. cash')}</span><b>{formatMoney(quote.q.net)} 元</b></div>
                  <table className="lots" aria-label={tr('逐笔赎回费（先进先出）', 'Fee lot by lot (FIFO)')}>
                    <thead><tr><th>{tr('确认日', 'Confirmed')}</th><th>{tr('份额', 'Shares')}</th><th>{tr('持有天数', 'Days')}</th><th>{tr('费率', 'Rate')}</th><th>{tr('赎回费', 'Fee')}</th></tr></thead>
                    <tbody>
                      {quote.q.lines.map((l, i) => (
                        <tr key={i}><td>{l.confirmed_date}</td><td>{formatShares(l.shares)}</td><td>{l.days_held}</td><td>{formatRate(l.rate)}</td><td>{formatMoney(l.fee)}</td></tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
              {quote && !quote.ok && <div className="muted" role="alert">{quote.text}</div>}
              <div className="muted">{p.latest_nav ? tr(`按最新净值 ${formatNav(p.latest_nav.nav)} 预估；赎回费按持有天数先进先出逐笔计算（见下表），下单后回单显示逐笔计算的费用预估；以 T 日净值确认，资金 T+${p.redeem_delay_days} 到账。`,
                `At the latest NAV ${formatNav(p.latest_nav.nav)}; the fee is charged lot by lot, first in first out, by days held (table below); the receipt shows the FIFO estimate. Confirms at NAV(T); cash on T+${p.redeem_delay_days}.`) : ''}</div>
            </section>
            <section className="section"><RedFeeTable tiers={p.fees.redemption} /></section>
            <div className="pad"><Button block color="primary" size="large" loading={busy} onClick={() => submit(h)}>{tr('确认赎回', 'Redeem')}</Button></div>
          </>
        ))}
      </Async>
    </Page>
  );
}
