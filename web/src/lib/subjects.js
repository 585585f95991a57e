// A notification's subject (`content:12:3`, `manager:4:2`, `campaign:7`, `report:9` …) as the
// screen that shows what it is about, in the console or in the investor app; null when there
// is none.

const PATTERN = /^([a-z]+):(\d+)(?::(\d+|answer))?$/;

export function parseSubject(subject) {
  const m = PATTERN.exec(subject ?? '');
  if (!m) return null;
  return { kind: m[1], id: m[2], extra: m[3] ?? null };
}

const CONSOLE = {
  content: (s) => `/console/contents/${s.id}`,
  manager: (s) => `/console/managers/${s.id}`,
  campaign: (s) => `/console/campaigns/${s.id}`,
  message: () => '/console/messages',
  zone: () => '/console/zone',
  question: () => '/console/questions',
};

const APP = {
  comment: () => '/comments',
  report: () => '/reports',
  question: () => '/questions',
};

/** subjectPath('campaign:7', 'console') → '/console/campaigns/7'. */
export function subjectPath(subject, app = 'console') {
  const s = parseSubject(subject);
  if (!s) return null;
  const fn = (app === 'console' ? CONSOLE : APP)[s.kind];
  return fn ? fn(s) : null;
}
