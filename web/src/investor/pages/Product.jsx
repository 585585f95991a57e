import { lazy, Suspense, useState } from 'react';
import { Button, List, Tag } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { useViewEvent } from '../../lib/events.js';
import { nameOf, PRODUCT_STATUS, PRODUCT_TYPES, tr } from '../../lib/i18n.js';
import { formatMoney, formatNav, formatRate, formatShares } from '../../lib/money.js';
import { offerNote, offerTag } from '../../lib/offers.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { ShareButton } from '../components.jsx';
import { Async, Loading, Page, RiskTag, Signed } from '../ui.jsx';

const NavChart = lazy(() => import('../../shared/NavChart.jsx'));

function RangePicker({ value, onChange, options }) {
  return (
    <div className="ranges" role="radiogroup" aria-label={tr('区间', 'Range')}>
      {options.map((o) => (
        <button type="button" key={o.value} role="radio" aria-checked={value === o.value}
          className={value === o.value ? 'range on' : 'range'} onClick={() => onChange(o.value)}>{o.label}</button>
      ))}
    </div>
  );
}

export function SubFeeTable({ tiers, discount }) {
  return (
    <table className="fee-table">
      <caption className="sr-only">{tr('申购费率', 'Subscription fees')}</caption>
      <thead><tr><th scope="col">{tr('申购金额', 'Amount')}</th><th scope="col">{tr('原费率', 'List rate')}</th><th scope="col">{tr('优惠后', 'You pay')}</th></tr></thead>
      <tbody>
        {tiers.map((t) => (
          <tr key={t.min_amount}>
            <td>{formatMoney(t.min_amount)} ≤ M{t.max_amount ? ` < ${formatMoney(t.max_amount)}` : ''}</td>
            <td>{t.fixed ? `${formatMoney(t.fixed)} ${tr('元/笔', 'per order')}` : formatRate(t.rate)}</td>
            <td>{t.fixed ? `${formatMoney(t.fixed)} ${tr('元/笔', 'per order')}` : formatRate(discountedRate(t.rate, discount))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function discountedRate(rate, discount) {
  // rate × discount at 6 decimals, half-up: both are 6-decimal strings
  const r = BigInt(rate.replace('.', ''));
  const d = BigInt((discount ?? '1.000000').replace('.', ''));
  const n = r * d;
  const q = n / 1000000n + ((n % 1000000n) * 2n >= 1000000n ? 1n : 0n);
  const s = q.toString().padStart(7, '0');
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}

export function RedFeeTable({ tiers }) {
  return (
    <table className="fee-table">
      <caption className="sr-only">{tr('赎回费率', 'Redemption fees')}</caption>
      <thead><tr><th scope="col">{tr('持有天数', 'Days held')}</th><th scope="col">{tr('费率', 'Rate')}</th></tr></thead>
      <tbody>
        {tiers.map((t) => (
          <tr key={t.min_days}>
            <td>{t.min_days} ≤ N{t.max_days !== null ? ` < ${t.max_days}` : ''} {tr('天', 'days')}</td>
            <td>{formatRate(t.rate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The fee discounts the signed-in investor may buy the product through now, best first
 * ({items}, empty for nobody signed in). They only add to the page: a failure shows none.
 */
export function useOffers(id) {
  const { user } = useSession();
  return useAsync(() => (user
    ? api.get(`/api/v1/investor/products/${id}/campaigns`).catch((err) => {
      console.debug('offers not loaded', err);
      return { items: [] };
    })
    : Promise.resolve({ items: [] })), [id, user?.id]);
}

export function OfferTag({ offer }) {
  return <Tag color="danger" fill="outline" className="offer-tag">{offerTag(offer.discount)}</Tag>;
}

/** The running offers on the product: what each takes off, until when, and that it may run out. */
function Offers({ id }) {
  const offers = useOffers(id);
  const items = offers.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="section" aria-labelledby="offers-title">
      <h2 className="section-title" id="offers-title">{tr('费率优惠', 'Fee offers')}</h2>
      <List>
        {items.map((k) => (
          <List.Item key={k.id} description={<>{k.text}<br />{offerNote(k)}</>}>
            <OfferTag offer={k} /> {k.name}
            <span className="muted" style={{ fontSize: 12 }}> · {k.institution_name}</span>
          </List.Item>
        ))}
      </List>
    </section>
  );
}

function MyHolding({ id }) {
  const { user } = useSession();
  const h = useAsync(() => (user ? api.get('/api/v1/investor/holdings') : Promise.resolve(null)),
    [user?.id]);
  const mine = h.data?.items?.find((x) => x.product_id === id);
  if (!mine) return null;
  return (
    <section className="section" aria-labelledby="mine-title">
      <h2 className="section-title" id="mine-title">{tr('我的持有', 'My holding')}</h2>
      <dl className="kv">
        <div><dt>{tr('持有份额', 'Shares')}</dt><dd>{formatShares(mine.shares)}</dd></div>
        <div><dt>{tr('参考市值', 'Market value')}</dt><dd>{formatMoney(mine.market_value)}</dd></div>
        <div><dt>{tr('持有收益', 'Gain')}</dt><dd><Signed value={mine.gain} /></dd></div>
        <div><dt>{tr('昨日收益', 'Daily gain')}</dt><dd><Signed value={mine.daily_gain} /></dd></div>
        {mine.type === 'money_market' && (
          <>
            <div><dt>{tr('七日年化', '7-day yield')}</dt><dd>{mine.yield_7d === null ? '--' : `${mine.yield_7d}%`}</dd></div>
            <div><dt>{tr('万份收益', 'Per 10k shares')}</dt><dd>{mine.income_per_10k ?? '--'}</dd></div>
          </>
        )}
      </dl>
      {mine.type === 'money_market' && <IncomeByDay id={id} />}
    </section>
  );
}

const INCOME_SHOWN = 7;

/** 收益明细: a money-market fund's income credited to the investor, day by day (30 days). */
function IncomeByDay({ id }) {
  const [all, setAll] = useState(false);
  const inc = useAsync(() => api.get(`/api/v1/investor/holdings/${id}/income`), [id]);
  return (
    <section aria-labelledby="income-title" style={{ marginTop: 12 }}>
      <h3 className="section-title" id="income-title" style={{ fontSize: 15 }}>{tr('收益明细', 'Income by day')}</h3>
      <Async state={inc}>
        {(d) => (d.items.length === 0 ? (
          <p className="muted">{tr('近 30 天暂无收益：收益从份额确认日起按自然日计算，次日入账', 'No income in the last 30 days yet: it accrues every calendar day from the confirmation date, credited the next day')}</p>
        ) : (
          <>
            <List>
              {(all ? d.items : d.items.slice(0, INCOME_SHOWN)).map((x) => (
                <List.Item key={x.date} extra={<Signed value={x.amount} />}
                  description={tr(`万份收益 ${x.income_per_10k} · 计息份额 ${formatShares(x.base_shares)}`, `${x.income_per_10k} per 10k · on ${formatShares(x.base_shares)} shares`)}>
                  {x.date}
                </List.Item>
              ))}
            </List>
            <div className="row" style={{ marginTop: 6, fontSize: 13 }}>
              <span className="muted">{tr(`${d.from} 至 ${d.to} 共 `, `${d.from} to ${d.to}: `)}<Signed value={d.amount} /></span>
              {d.items.length > INCOME_SHOWN && (
                <Button size="mini" fill="none" onClick={() => setAll(!all)}>
                  {all ? tr('收起', 'Fewer') : tr(`全部 ${d.items.length} 天`, `All ${d.items.length} days`)}
                </Button>
              )}
            </div>
          </>
        ))}
      </Async>
    </section>
  );
}

export default function Product({ id }) {
  const product = useAsync(() => api.get(`/api/v1/public/products/${id}`), [id]);
  const navs = useAsync(() => api.get(`/api/v1/public/products/${id}/navs`), [id]);
  useViewEvent('product_view', { product_id: id }, !!product.data);
  return (
    <Page title={product.data?.product?.name ?? tr('基金详情', 'Fund')}
      right={product.data ? <ShareButton title={product.data.product.name} subject={{ product_id: id }} /> : null}>
      <Async state={product}>
        {({ product: p }) => (
          <>
            <section className="section pad">
              <div className="row">
                <div>
                  <h2 style={{ margin: 0, fontSize: 18 }}>{p.name}</h2>
                  <div className="muted">{p.code} · {nameOf(PRODUCT_TYPES, p.type)}{p.equity_leaning ? tr('（偏股）', ' (equity-leaning)') : ''}</div>
                </div>
                <RiskTag level={p.risk_level} />
              </div>
              <div className="row" style={{ marginTop: 12 }}>
                <div>
                  <div className="figure">{p.latest_nav ? formatNav(p.latest_nav.nav) : '--'}</div>
                  <div className="figure-label">{tr('单位净值', 'Unit NAV')} {p.latest_nav?.date ?? ''}</div>
                </div>
                <div style={{ textAlign: 'right' }}>
                  <div>{nameOf(PRODUCT_STATUS, p.status)}</div>
                  <div className="figure-label">{tr('交易状态', 'Status')}</div>
                </div>
              </div>
            </section>
            <Offers id={id} />
            <section className="section" aria-labelledby="chart-title">
              <h2 className="section-title" id="chart-title">{p.type === 'money_market' ? tr('七日年化走势', '7-day yield') : tr('净值走势', 'NAV history')}</h2>
              <div className="chart-box">
                <Async state={navs} empty={(d) => d.items.length === 0}>
                  {(d) => (
                    <Suspense fallback={<Loading label={tr('图表加载中', 'Loading chart')} />}>
                      <NavChart items={d.items} benchmark={p.benchmark} RangePicker={RangePicker} moneyMarket={p.type === 'money_market'} />
                    </Suspense>
                  )}
                </Async>
              </div>
            </section>
            <MyHolding id={id} />
            <section className="section" aria-labelledby="facts-title">
              <h2 className="section-title" id="facts-title">{tr('基本信息', 'Key facts')}</h2>
              <dl className="kv">
                <div><dt>{tr('风险等级', 'Risk level')}</dt><dd>{p.risk_level} {p.risk_name}</dd></div>
                <div><dt>{tr('成立日期', 'Inception')}</dt><dd>{p.inception_date}</dd></div>
                <div><dt>{tr('起购金额', 'Minimum purchase')}</dt><dd>{formatMoney(p.min_purchase)} {tr('元', 'CNY')}</dd></div>
                <div><dt>{tr('单日限额', 'Daily limit')}</dt><dd>{formatMoney(p.daily_limit)} {tr('元', 'CNY')}</dd></div>
                <div><dt>{tr('赎回到账', 'Redemption cash')}</dt><dd>T+{p.redeem_delay_days}</dd></div>
                <div><dt>{tr('申购费折扣', 'Fee discount')}</dt><dd>{formatRate(p.fee_discount, 0)}</dd></div>
              </dl>
              {p.benchmark && <p className="pad muted" style={{ paddingTop: 0 }}>{tr('业绩比较基准', 'Benchmark')}：{p.benchmark}</p>}
            </section>
            <section className="section" aria-labelledby="fees-title">
              <h2 className="section-title" id="fees-title">{tr('交易费率', 'Fees')}</h2>
              <h3 className="pad muted" style={{ margin: 0, paddingBottom: 0 }}>{tr('申购费（外扣法）', 'Subscription fee')}</h3>
              <SubFeeTable tiers={p.fees.subscription} discount={p.fee_discount} />
              <h3 className="pad muted" style={{ margin: 0, paddingBottom: 0 }}>{tr('赎回费（按持有天数，先进先出）', 'Redemption fee (by days held, FIFO)')}</h3>
              <RedFeeTable tiers={p.fees.redemption} />
            </section>
            <section className="section" aria-labelledby="docs-title">
              <h2 className="section-title" id="docs-title">{tr('产品文件', 'Documents')}</h2>
              <List>
                <List.Item onClick={() => window.open(p.prospectus_url, '_blank', 'noopener')}>{tr('招募说明书', 'Prospectus')}</List.Item>
                <List.Item onClick={() => window.open(p.key_facts_url, '_blank', 'noopener')}>{tr('产品资料概要', 'Key facts document')}</List.Item>
                <List.Item onClick={() => navigate(`/zone/${p.institution_id}`)}>{tr('进入机构财富号', 'Institution zone')}</List.Item>
              </List>
            </section>
            <p className="muted pad">{tr('基金有风险，投资需谨慎。过往业绩不代表未来表现。', 'Funds carry risk. Past performance does not predict future returns.')}</p>
            <div className="action-bar">
              <Button block fill="outline" color="primary" onClick={() => navigate(`/redeem/${p.id}`)}>{tr('赎回', 'Redeem')}</Button>
              <Button block color="primary" disabled={p.status === 'subscriptions_paused' || p.status === 'closed'}
                onClick={() => navigate(`/buy/${p.id}`)}>{tr('买入', 'Buy')}</Button>
            </div>
          </>
        )}
      </Async>
    </Page>
  );
}
