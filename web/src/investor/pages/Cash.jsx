import { useState } from 'react';
import { Button, Dialog, Form, Input, Tabs, Toast } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { formatMoney, isMoneyInput } from '../../lib/money.js';
import { navigate, useLocation } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Loading, Page, requireLogin } from '../ui.jsx';

export default function Cash() {
  const { user, ready } = useSession();
  const { query } = useLocation();
  const [tab, setTab] = useState(query.get('action') === 'withdraw' ? 'withdraw' : 'topup');
  const cash = useAsync(() => (user ? api.get('/api/v1/investor/cash') : Promise.resolve(null)), [user?.id]);
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  async function submit() {
    if (!isMoneyInput(amount) || amount === '0') {
      Toast.show({ content: tr('请输入正确的金额（最多两位小数）', 'Enter an amount with at most two decimals') });
      return;
    }
    setBusy(true);
    try {
      const r = await api.post(`/api/v1/investor/cash/${tab}`, { amount });
      cash.setData(r);
      setAmount('');
      Toast.show({ icon: 'success', content: tab === 'topup' ? tr('充值成功', 'Topped up') : tr('提现成功', 'Withdrawn') });
    } catch (err) {
      if (err.code === 'conflict') {
        const go = await Dialog.confirm({ content: errorText(err), confirmText: tr('去实名认证', 'Verify identity') });
        if (go) navigate('/profile');
      } else {
        Dialog.alert({ content: errorText(err) });
      }
    } finally {
      setBusy(false);
    }
  }
  return (
    <Page title={tr('充值 / 提现', 'Cash')}>
      <Async state={cash}>
        {({ cash: c }) => (
          <>
            <section className="section pad">
              <div className="figure">{formatMoney(c.available)}</div>
              <div className="figure-label">{tr('可用现金（元）', 'Available (CNY)')} · {tr('冻结', 'held')} {formatMoney(c.held)} · {tr('在途', 'in transit')} {formatMoney(c.in_transit)}</div>
            </section>
            <Tabs activeKey={tab} onChange={setTab}>
              <Tabs.Tab key="topup" title={tr('充值', 'Top up')} />
              <Tabs.Tab key="withdraw" title={tr('提现', 'Withdraw')} />
            </Tabs>
            <Form layout="vertical">
              <Form.Item label={tab === 'topup' ? tr('充值金额（元）', 'Top-up amount (CNY)') : tr('提现金额（元）', 'Withdrawal amount (CNY)')}
                description={tr('单笔最高 1,000,000.00 元，从已绑定银行卡转入/转出', 'Up to 1,000,000.00 per transfer, to or from your bound card')}>
                <Input value={amount} onChange={setAmount} inputMode="decimal" clearable placeholder="0.00" aria-label={tr('金额', 'Amount')} />
              </Form.Item>
            </Form>
            <div className="pad"><Button block color="primary" size="large" loading={busy} onClick={submit}>{tab === 'topup' ? tr('确认充值', 'Top up') : tr('确认提现', 'Withdraw')}</Button></div>
          </>
        )}
      </Async>
    </Page>
  );
}
