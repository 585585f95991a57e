import { Button, List, SwipeAction, Toast } from 'antd-mobile';
import { api } from '../../lib/api.js';
import { errorText, tr } from '../../lib/i18n.js';
import { formatDate } from '../../lib/time.js';
import { navigate } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../session.js';
import { Async, Empty, Loading, Page, requireLogin } from '../ui.jsx';

export default function Follows() {
  const { user, ready } = useSession();
  const state = useAsync(() => (user ? Promise.all([api.get('/api/v1/investor/follows'), api.get('/api/v1/investor/mutes')]) : Promise.resolve(null)), [user?.id]);
  if (!ready) return <Loading />;
  if (!user) {
    requireLogin();
    return null;
  }
  async function act(fn) {
    try {
      await fn();
      state.reload();
    } catch (err) {
      Toast.show({ content: errorText(err) });
    }
  }
  return (
    <Page title={tr('我的关注', 'Following')}>
      <Async state={state}>
        {([f, m]) => {
          const muted = new Set(m.items.map((x) => x.institution_id));
          if (f.items.length === 0) return <Empty title={tr('还没有关注机构', 'Not following anyone')} action={<Button size="small" onClick={() => navigate('/')}>{tr('去首页看看', 'Browse')}</Button>} />;
          return (
            <List>
              {f.items.map((x) => (
                <SwipeAction key={x.institution_id} rightActions={[{ key: 'unfollow', text: tr('取消关注', 'Unfollow'), color: 'danger', onClick: () => act(() => api.del(`/api/v1/investor/follows/${x.institution_id}`)) }]}>
                  <List.Item onClick={() => navigate(`/zone/${x.institution_id}`)} description={tr(`关注于 ${formatDate(x.since_ms)}`, `Since ${formatDate(x.since_ms)}`)}
                    extra={<Button size="mini" onClick={(e) => { e.stopPropagation(); act(() => (muted.has(x.institution_id) ? api.del(`/api/v1/investor/mutes/${x.institution_id}`) : api.post(`/api/v1/investor/mutes/${x.institution_id}`))); }}>
                      {muted.has(x.institution_id) ? tr('取消免打扰', 'Unmute') : tr('消息免打扰', 'Mute')}</Button>}>
                    {x.name}
                  </List.Item>
                </SwipeAction>
              ))}
            </List>
          );
        }}
      </Async>
    </Page>
  );
}
