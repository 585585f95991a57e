import { api } from '../../lib/api.js';
import { CONTENT_KINDS, nameOf, tr } from '../../lib/i18n.js';
import { formatDateTime } from '../../lib/time.js';
import { linkProps } from '../../lib/router.js';
import { useAsync } from '../../lib/useAsync.js';
import { Async, Page } from '../ui.jsx';

export default function Article({ id }) {
  const c = useAsync(() => api.get(`/api/v1/public/contents/${id}`), [id]);
  return (
    <Page title={nameOf(CONTENT_KINDS, c.data?.content?.kind ?? 'article')}>
      <Async state={c}>
        {({ content: x }) => (
          <article className="article">
            <h2 style={{ marginTop: 0 }}>{x.title}</h2>
            <div className="muted">{formatDateTime(x.published_ms)} · <a {...linkProps(`/zone/${x.institution_id}`)}>{tr('机构财富号', 'Zone')}</a></div>
            {/* The server renders the Markdown subset to safe HTML: every text is escaped. */}
            <div dangerouslySetInnerHTML={{ __html: x.html }} />
          </article>
        )}
      </Async>
    </Page>
  );
}
