import { useRef, useState } from 'react';
import { Button, Checkbox, Dialog, Form, Input, Radio, Space, Toast } from 'antd-mobile';
import { api, ApiError, newClientOrderId } from '../../lib/api.js';
import { track, useViewEvent } from '../../lib/events.js';
import { CATEGORY_NAMES, errorText, nameOf, tr } from '../../lib/i18n.js';
import { subscriptionQuote } from '../../lib/fees.js';
import { bestOffer, offerNote } from '../../lib/offers.js';
import { compareDecimal, formatMoney, formatNav, formatRate, formatShares, isMoneyInput } from '../../lib/money.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Loading, Page, requireLogin, RiskTag } from '../ui.jsx';
import { OfferTag, SubFeeTable, useOffers } from './Product.jsx';

async function loadAll(id) {
  const [product, cash, assessment] = await Promise.all([
    api.get(`/api/v1/public/products/${id}`),
    api.get('/api/v1/investor/cash'),
    api.get('/api/v1/investor/assessment').catch((e) => {
      if (e instanceof ApiError && e.status === 404) return { assessment: null };
      throw e;
    }),
  ]);
  return { product: product.product, cash: cash.cash, assessment: assessment.assessment };
}

function RiskWarning({ warning, onConfirm, onCancel }) {
  const [read, setRead] = useState(false);
  return (
    <Dialog
      visible
      title={tr('风险警示', 'Risk warning')}
      content={(
        <div>
          <div className="warning-text" role="document">{warning.warning_text}</div>
          <p className="muted">{tr(`您的风险类型 ${warning.category}，产品风险等级 ${warning.risk_level}`,
            `Your category ${warning.category}, product risk ${warning.risk_level}`)}</p>
          <Checkbox checked={read} onChange={setRead}>
            {tr('我已阅读并知悉上述风险，坚持购买', 'I have read this warning and still want to buy')}
          </Checkbox>
        </div>
      )}
      closeOnAction={false}
      actions={[[
        { key: 'cancel', text: tr('放弃购买', 'Cancel'), onClick: onCancel },
        { key: 'ok', text: tr('确认购买', 'Confirm purchase'), bold: true, disabled: !read, danger: true,
          onClick: () => read && onConfirm() },
      ]]}
    />
  );
}

export default function Buy({ id }) {
  const { user, ready } = useSession();
  const state = useAsync(() => (user ? loadAll(id) : Promise.resolve(null)), [id, user?.id]);
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [warning, setWarning] = useState(null);
  const clientId = useRef(newClientOrderId('buy'));
  const offers = useOffers(id);
  // The campaign chosen: undefined until the investor picks (then the best offer), '' for none.
  const [picked, setPicked] = useState(undefined);
  useViewEvent('order_started', { product_id: id }, !!state.data);
  const offerItems = offers.data?.items ?? [];
  const chosen = picked === undefined ? bestOffer(offerItems)
    : offerItems.find((k) => k.id === picked) ?? null;

  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }

  async function place(extra = {}) {
    setBusy(true);
    try {
      const through = chosen ? { campaign_id: chosen.id } : {};
      const r = await api.post('/api/v1/investor/orders', {
        client_order_id: clientId.current, product_id: id, side: 'subscribe', amount, ...through,
        ...extra,
      });
      clientId.current = newClientOrderId('buy');
      track('order_placed', { product_id: id });
      setWarning(null);
      navigate(`/orders/${r.order.id}?placed=1`, { replace: true });
    } catch (err) {
      const code = err?.code;
      if (code === 'risk_warning_required') {
        setWarning(err.problem);
      } else if (code === 'suitability_refused') {
        setWarning(null);
        const go = await Dialog.confirm({ title: tr('暂不能购买', 'Cannot buy'), content: errorText(err),
          confirmText: tr('去做风险测评', 'Take the assessment'), cancelText: tr('取消', 'Cancel') });
        if (go) navigate('/risk');
      } else if (code === 'campaign_not_applicable') {
        // The offer ended, was stopped or ran out since the page was loaded: show what is left.
        setWarning(null);
        setPicked(undefined);
        offers.reload();
        Dialog.alert({ title: tr('优惠已不可用', 'Offer no longer available'),
          content: tr('该优惠活动已结束或预算已用完，请重新选择后再下单。', 'The offer has ended or its budget is spent; choose again and place the order.') });
      } else if (code === 'insufficient_funds') {
        setWarning(null);
        const go = await Dialog.confirm({ title: tr('余额不足', 'Not enough cash'), content: errorText(err),
          confirmText: tr('去充值', 'Top up'), cancelText: tr('取消', 'Cancel') });
        if (go) navigate('/cash');
      } else {
        setWarning(null);
        Dialog.alert({ title: tr('下单未成功', 'Order not placed'), content: errorText(err) });
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(p) {
    if (!isMoneyInput(amount) || compareDecimal(amount, '0') <= 0) {
      Toast.show({ content: tr('请输入正确的金额（最多两位小数）', 'Enter an amount with at most two decimals') });
      return;
    }
    if (compareDecimal(amount, p.min_purchase) < 0) {
      Toast.show({ content: tr(`起购金额 ${formatMoney(p.min_purchase)} 元`, `Minimum ${formatMoney(p.min_purchase)} CNY`) });
      return;
    }
    place();
  }

  return (
    <Page title={tr('买入', 'Buy')}>
      <Async state={state}>
        {(d) => {
          const p = d.product;
          const quote = isMoneyInput(amount)
            ? subscriptionQuote(p, amount, chosen ? { discount: chosen.discount } : null) : null;
          const a = d.assessment;
          const mismatch = a && a.valid && a.max_risk_level < p.risk_level;
          return (
            <>
              <section className="section pad">
                <div className="row">
                  <div><b>{p.name}</b><div className="muted">{p.code}</div></div>
                  <RiskTag level={p.risk_level} />
                </div>
              </section>
              {!a || !a.valid ? (
                <div className="notice" role="note">
                  {tr('购买前需完成风险测评。', 'Take the risk assessment before buying.')}{' '}
                  <a href="/risk" onClick={(e) => { e.preventDefault(); navigate('/risk'); }}>{tr('去测评', 'Start')}</a>
                </div>
              ) : mismatch ? (
                <div className="notice" role="note">
                  {tr(`您的风险承受能力为 ${a.category} ${nameOf(CATEGORY_NAMES, a.category)}，该产品风险等级 ${p.risk_level} 高于您的风险承受能力，平台不向您推荐。如坚持购买，需阅读并确认风险警示。`,
                    `Your category ${a.category} is below this fund's risk ${p.risk_level}; the platform does not recommend it. To buy anyway you must read and confirm a risk warning.`)}
                </div>
              ) : null}
              <section className="section">
                <Form layout="vertical">
                  <Form.Item label={tr('买入金额（元）', 'Amount (CNY)')}
                    description={tr(`可用余额 ${formatMoney(d.cash.available)} 元 · 起购 ${formatMoney(p.min_purchase)} 元`,
                      `Available ${formatMoney(d.cash.available)} · minimum ${formatMoney(p.min_purchase)}`)}>
                    <Input value={amount} onChange={setAmount} inputMode="decimal" clearable
                      placeholder={tr(`最低 ${formatMoney(p.min_purchase)}`, `At least ${formatMoney(p.min_purchase)}`)}
                      aria-label={tr('买入金额', 'Amount')} />
                  </Form.Item>
                </Form>
              </section>
              {offerItems.length > 0 && (
                <section className="section pad" aria-labelledby="offer-pick">
                  <div className="section-title" id="offer-pick" style={{ padding: '0 0 8px' }}>{tr('费率优惠', 'Fee offer')}</div>
                  <Radio.Group value={chosen ? chosen.id : ''} onChange={(v) => setPicked(v)}>
                    <Space direction="vertical" block>
                      {offerItems.map((k) => (
                        <Radio key={k.id} value={k.id}>
                          <OfferTag offer={k} /> {k.name}
                          <div className="muted" style={{ fontSize: 12 }}>{offerNote(k)}</div>
                        </Radio>
                      ))}
                      <Radio value="">{tr('不使用优惠', 'No offer')}</Radio>
                    </Space>
                  </Radio.Group>
                </section>
              )}
              <section className="preview" aria-live="polite" aria-label={tr('费用预估', 'Fee preview')}>
                <div className="row"><span>{tr('申购费', 'Fee')}</span><b>{quote ? `${formatMoney(quote.fee)} 元` : '--'}</b></div>
                {chosen && (
                  <div className="row"><span>{tr('活动减免', 'Offer discount')}</span><span className="up">{quote?.campaignOff ? `-${formatMoney(quote.campaignOff)} 元` : '--'}</span></div>
                )}
                <div className="row"><span>{tr('费率', 'Rate')}</span><span>{quote ? (quote.fixed ? tr(`固定 ${formatMoney(quote.fixed)} 元/笔`, `fixed ${formatMoney(quote.fixed)}`) : `${formatRate(quote.rate)}（${tr('原费率', 'list')} ${formatRate(quote.listRate)}）`) : '--'}</span></div>
                <div className="row"><span>{tr('净申购金额', 'Net amount')}</span><span>{quote ? `${formatMoney(quote.net)} 元` : '--'}</span></div>
                <div className="row"><span>{tr('预估份额', 'Est. shares')}</span><span>{quote?.shares ? formatShares(quote.shares) : '--'}</span></div>
                {chosen && quote && (
                  <div className="muted">{tr(`活动减免按全额预估（未用优惠时申购费 ${formatMoney(quote.feeBeforeCampaign)} 元）；优惠在份额确认时从活动剩余预算中扣减，预算用完即止。`,
                    `The discount is previewed in full (${formatMoney(quote.feeBeforeCampaign)} without the offer); it is taken at confirmation from the offer's remaining budget, while it lasts.`)}</div>
                )}
                <div className="muted">
                  {p.latest_nav ? tr(`按最新净值 ${formatNav(p.latest_nav.nav)}（${p.latest_nav.date}）预估；未知价交易，实际以 T 日净值确认为准。`,
                    `Estimated at the latest NAV ${formatNav(p.latest_nav.nav)} (${p.latest_nav.date}); the order confirms at NAV(T).`)
                    : tr('暂无净值，份额以 T 日净值确认为准。', 'No NAV yet; shares confirm at NAV(T).')}
                </div>
              </section>
              <details className="section pad">
                <summary>{tr('费率表', 'Fee table')}</summary>
                <SubFeeTable tiers={p.fees.subscription} discount={p.fee_discount} />
              </details>
              <p className="muted pad">{tr('15:00 前下单按当日为 T 日，之后或非交易日顺延至下一交易日；T+1 日按 T 日净值确认份额。', 'Orders before 15:00 on a trading day trade that day (T), later ones the next trading day; shares confirm on T+1 at NAV(T).')}</p>
              <div className="pad">
                <Button block color="primary" size="large" loading={busy} onClick={() => submit(p)}>
                  {tr('确认买入', 'Place order')}
                </Button>
              </div>
              {warning && (
                <RiskWarning warning={warning} onCancel={() => setWarning(null)}
                  onConfirm={() => place({ confirm_risk_warning: true, risk_warning_version: warning.warning_version })} />
              )}
            </>
          );
        }}
      </Async>
    </Page>
  );
}
