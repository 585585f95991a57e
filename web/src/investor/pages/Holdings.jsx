import { Button, List } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { tr } from '../../lib/i18n.js';
import { formatMoney, formatNav, formatShares } from '../../lib/money.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Empty, Loading, Page, Signed } from '../ui.jsx';

export default function Holdings() {
  const { user, ready } = useSession();
  const h = useAsync(() => (user ? Promise.all([api.get('/api/v1/investor/holdings'), api.get('/api/v1/investor/cash')])
    : Promise.resolve(null)), [user?.id]);
  if (!ready) return <Loading />;
  return (
    <Page title={tr('我的持仓', 'Holdings')} noBack>
      {!user ? (
        <Empty title={tr('登录后查看持仓', 'Sign in to see your holdings')}
          action={<Button color="primary" onClick={() => navigate('/login?next=/holdings')}>{tr('登录', 'Sign in')}</Button>} />
      ) : (
        <Async state={h}>
          {([d, c]) => (
            <>
              <section className="hero" aria-label={tr('资产概览', 'Summary')}>
                <div className="figure-label" style={{ color: '#fff', opacity: 0.8 }}>{tr('基金市值（元）', 'Fund value (CNY)')}</div>
                <div className="figure">{formatMoney(d.market_value)}</div>
                <div className="row" style={{ marginTop: 8, fontSize: 13 }}>
                  <span>{tr('昨日收益', 'Daily gain')} {d.daily_gain === null ? '--' : `${d.daily_gain.startsWith('-') ? '' : '+'}${formatMoney(d.daily_gain)}`}</span>
                  <span>{tr('持有收益', 'Gain')} {d.gain.startsWith('-') ? '' : '+'}{formatMoney(d.gain)}</span>
                  <span>{tr('可用现金', 'Cash')} {formatMoney(c.cash.available)}</span>
                </div>
              </section>
              {d.items.length === 0 ? (
                <Empty title={tr('暂无持仓', 'No holdings yet')} description={tr('买入的基金确认后会显示在这里', 'Funds show here once your purchase is confirmed')}
                  action={<Button size="small" onClick={() => navigate('/orders')}>{tr('查看订单', 'See orders')}</Button>} />
              ) : (
                <section className="section" aria-label={tr('持仓列表', 'Holdings')}>
                  <List>
                    {d.items.map((x) => (
                      <List.Item key={x.product_id} onClick={() => navigate(`/product/${x.product_id}`)}
                        description={(
                          <span>{tr('份额', 'Shares')} {formatShares(x.shares)}{x.held_shares !== '0.00' ? tr(`（冻结 ${formatShares(x.held_shares)}）`, ` (${formatShares(x.held_shares)} held)`) : ''} · {x.type === 'money_market'
                            ? <>{tr('七日年化', '7-day yield')} {x.yield_7d === null ? '--' : `${x.yield_7d}%`} · {tr('万份收益', 'Per 10k')} {x.income_per_10k ?? '--'}</>
                            : <>{tr('净值', 'NAV')} {formatNav(x.nav)} {x.nav_date ?? ''}</>}</span>
                        )}
                        extra={(
                          <div style={{ textAlign: 'right' }}>
                            <div>{formatMoney(x.market_value)}</div>
                            <div><Signed value={x.gain} /></div>
                            <div className="muted" style={{ fontSize: 12 }} title={x.type === 'money_market' && x.income_date ? tr(`${x.income_date} 的收益`, `Income of ${x.income_date}`) : undefined}>
                              {tr('昨日', 'Day')} <Signed value={x.daily_gain} />
                            </div>
                          </div>
                        )}>
                        {x.product_name}
                      </List.Item>
                    ))}
                  </List>
                </section>
              )}
              <div className="pad" style={{ display: 'flex', gap: 12 }}>
                <Button block onClick={() => navigate('/orders')}>{tr('交易记录', 'Orders')}</Button>
                <Button block onClick={() => navigate('/cash')}>{tr('充值 / 提现', 'Top up / withdraw')}</Button>
              </div>
            </>
          )}
        </Async>
      )}
    </Page>
  );
}
