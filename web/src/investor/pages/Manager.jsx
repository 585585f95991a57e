import { Avatar, List } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { tr } from '../../lib/i18n.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, Empty, Page, RiskTag } from '../ui.jsx';

export default function Manager({ id }) {
  const m = useAsync(() => api.get(`/api/v1/public/managers/${id}`), [id]);
  return (
    <Page title={m.data?.manager?.name ?? tr('基金经理', 'Fund manager')}>
      <Async state={m}>
        {({ manager: x }) => (
          <>
            <section className="manager-hero">
              <Avatar src={x.photo_url ?? ''} alt={tr(`${x.name}的照片`, `Photo of ${x.name}`)} style={{ '--size': '72px', '--border-radius': '50%' }}
                fallback={<span className="avatar-text" style={{ fontSize: 28 }}>{x.name.slice(0, 1)}</span>} />
              <div>
                <h2>{x.name}</h2>
                <div>{x.title}</div>
                <div className="muted">{tr(`从业 ${x.years_experience} 年`, `${x.years_experience} years in the industry`)}</div>
              </div>
            </section>
            <section className="section" aria-labelledby="bio-title">
              <h2 className="section-title" id="bio-title">{tr('个人简介', 'Biography')}</h2>
              <p className="pad bio" style={{ margin: 0 }}>{x.bio}</p>
            </section>
            <section className="section" aria-labelledby="managed-title">
              <h2 className="section-title" id="managed-title">{tr('在管产品', 'Funds managed')}</h2>
              {x.products.length === 0 ? <Empty title={tr('暂无在管产品', 'No funds at the moment')} /> : (
                <List>
                  {x.products.map((p) => (
                    <List.Item key={p.id} onClick={() => navigate(`/product/${p.id}`)} description={p.code}
                      extra={<RiskTag level={p.risk_level} />}>{p.name}</List.Item>
                  ))}
                </List>
              )}
            </section>
            <p className="muted pad">{tr('基金经理过往管理业绩不代表其未来表现。基金有风险，投资需谨慎。', 'A manager\'s past results do not predict future ones. Funds carry risk.')}</p>
          </>
        )}
      </Async>
    </Page>
  );
}
