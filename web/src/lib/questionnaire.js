// The risk questionnaire editor's rules: the checks the server makes before it publishes a
// version (src/core/questionnaire.c, POST /api/v1/ops/questionnaire), so that an operator sees
// every broken rule on its field before anything is sent, and the field that a server's 422
// detail names.

export const QUESTIONS_MAX = 20;
export const OPTIONS_MIN = 2;
export const OPTIONS_MAX = 6;
export const SCORE_MAX = 100;
export const TOTAL_MAX = QUESTIONS_MAX * SCORE_MAX; // 2000
export const TEXT_MAX = 200; // characters (code points)
export const ID_RE = /^[a-z0-9_]{1,32}$/;
export const CATEGORIES = ['C1', 'C2', 'C3', 'C4', 'C5'];

/** The editor's draft of a definition (keys let React keep rows while they move). */
let seq = 0;
const key = () => `k${++seq}`;
export function toDraft(def) {
  return {
    questions: def.questions.map((q) => ({ key: key(), id: q.id, text: q.text,
      options: q.options.map((o) => ({ key: key(), text: o.text, score: o.score, disqualifying: !!o.disqualifying })) })),
    thresholds: [...def.thresholds],
    lowest_below: def.lowest_below ?? 0,
  };
}

export function newOption() {
  return { key: key(), text: '', score: 0, disqualifying: false };
}

/** A new question with an id not yet used (q1, q2, …) and two empty options. */
export function newQuestion(questions) {
  const used = new Set(questions.map((q) => q.id));
  let n = questions.length + 1;
  while (used.has(`q${n}`)) n += 1;
  return { key: key(), id: `q${n}`, text: '', options: [newOption(), newOption()] };
}

/** The body of POST /api/v1/ops/questionnaire. */
export function toRequest(draft) {
  return {
    questions: draft.questions.map((q) => ({ id: q.id, text: q.text,
      options: q.options.map((o) => ({ text: o.text, score: o.score, disqualifying: !!o.disqualifying })) })),
    thresholds: [...draft.thresholds],
    lowest_below: draft.lowest_below,
  };
}

/** Moves item i of a list by d places (-1 up, +1 down); the same list when it cannot. */
export function move(list, i, d) {
  const j = i + d;
  if (j < 0 || j >= list.length) return list;
  const out = [...list];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

const chars = (s) => [...(s ?? '')].length;
const isInt = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;

/**
 * Every total that answers choosing no disqualifying option can give (subset sum, as the
 * server computes it): reach[s] is true when some answers total s.
 */
export function reachableTotals(questions) {
  let reach = new Array(TOTAL_MAX + 1).fill(false);
  reach[0] = true;
  for (const q of questions) {
    const next = new Array(TOTAL_MAX + 1).fill(false);
    for (const o of q.options) {
      if (o.disqualifying || !isInt(o.score, 0, SCORE_MAX)) continue;
      for (let s = 0; s + o.score <= TOTAL_MAX; s++) if (reach[s]) next[s + o.score] = true;
    }
    reach = next;
  }
  return reach;
}

/**
 * The rules the server checks, each broken one as {field, zh, en}; `field` is a path like
 * `questions[1].options[0].text`, `thresholds[2]`, `lowest_below` (empty: the definition is
 * publishable). Unlike the server, which stops at the first, every field at fault is named once.
 */
export function validateQuestionnaire(draft) {
  const errors = [];
  const seen = new Set();
  const add = (field, zh, en) => {
    if (seen.has(field)) return;
    seen.add(field);
    errors.push({ field, zh, en });
  };
  const qs = draft.questions ?? [];
  if (qs.length < 1) add('questions', '至少需要一道题', 'A questionnaire needs at least one question');
  if (qs.length > QUESTIONS_MAX) add('questions', `最多 ${QUESTIONS_MAX} 道题`, `At most ${QUESTIONS_MAX} questions`);
  const ids = new Map();
  qs.forEach((q, i) => {
    const at = `questions[${i}]`;
    if (!ID_RE.test(q.id ?? '')) {
      add(`${at}.id`, '编号须为 1–32 个小写字母、数字或下划线', 'The id must be 1 to 32 of a-z, 0-9 and _');
    } else if (ids.has(q.id)) {
      add(`${at}.id`, `编号“${q.id}”已被第 ${ids.get(q.id) + 1} 题使用`, `The id "${q.id}" is already used by question ${ids.get(q.id) + 1}`);
    } else {
      ids.set(q.id, i);
    }
    if (!(q.text ?? '').trim() || chars(q.text) > TEXT_MAX) add(`${at}.text`, `题目须为 1–${TEXT_MAX} 个字`, `The text must be 1 to ${TEXT_MAX} characters`);
    const opts = q.options ?? [];
    if (opts.length < OPTIONS_MIN || opts.length > OPTIONS_MAX) {
      add(`${at}.options`, `每题须有 ${OPTIONS_MIN}–${OPTIONS_MAX} 个选项`, `Each question needs ${OPTIONS_MIN} to ${OPTIONS_MAX} options`);
    }
    opts.forEach((o, j) => {
      const ot = `${at}.options[${j}]`;
      if (!(o.text ?? '').trim() || chars(o.text) > TEXT_MAX) add(`${ot}.text`, `选项须为 1–${TEXT_MAX} 个字`, `An option must be 1 to ${TEXT_MAX} characters`);
      if (!isInt(o.score, 0, SCORE_MAX)) add(`${ot}.score`, `分值须为 0–${SCORE_MAX} 的整数`, `The score must be a whole number from 0 to ${SCORE_MAX}`);
    });
    if (opts.length > 0 && opts.every((o) => o.disqualifying)) {
      add(`${at}.options`, '至少一个选项不能是“最低类别”', 'At least one option must not be disqualifying');
    }
  });

  const t = draft.thresholds ?? [];
  let thresholdsOk = t.length === 4;
  t.forEach((v, i) => {
    if (!isInt(v, 0, TOTAL_MAX)) {
      thresholdsOk = false;
      add(`thresholds[${i}]`, `须为 0–${TOTAL_MAX} 的整数`, `Must be a whole number from 0 to ${TOTAL_MAX}`);
    }
  });
  if (thresholdsOk) {
    for (let i = 1; i < 4; i++) {
      if (t[i] <= t[i - 1]) {
        thresholdsOk = false;
        add(`thresholds[${i}]`, `须大于 ${CATEGORIES[i]} 的分数线 ${t[i - 1]}`, `Must be above the ${CATEGORIES[i]} threshold ${t[i - 1]}`);
      }
    }
  }
  const lb = draft.lowest_below;
  if (!Number.isInteger(lb) || lb < 0 || (thresholdsOk && lb > t[0])) {
    add('lowest_below', `须为 0 至 C2 分数线${thresholdsOk ? `（${t[0]}）` : ''}的整数`, `Must be a whole number from 0 to the C2 threshold${thresholdsOk ? ` (${t[0]})` : ''}`);
  }
  // Whether every category can be reached is only asked of a definition otherwise sound.
  if (thresholdsOk && errors.length === 0) {
    const reach = reachableTotals(qs);
    for (let c = 0; c < 5; c++) {
      const lo = c === 0 ? 0 : Math.min(t[c - 1], TOTAL_MAX + 1);
      const hi = c === 4 ? TOTAL_MAX + 1 : Math.min(t[c], TOTAL_MAX + 1);
      let found = false;
      for (let s = lo; s < hi && !found; s++) found = reach[s];
      if (!found) {
        const field = c === 0 ? 'thresholds[0]' : `thresholds[${c - 1}]`;
        add(field, `没有任何作答能得到 ${CATEGORIES[c]}（总分 ${lo}–${hi - 1}）`, `No answers give ${CATEGORIES[c]} (totals ${lo} to ${hi - 1})`);
      }
    }
  }
  return errors;
}

/**
 * The field a 422 from the server is about: the problem's `field` (invalid_field and the like
 * name a top-level member), else the place the `questionnaire_invalid` detail starts with
 * ("questions[1].options[0]: text must be …", "thresholds must be strictly ascending …").
 * null when it names none.
 */
export function problemField(problem) {
  if (!problem) return null;
  if (problem.field) return String(problem.field);
  const d = String(problem.detail ?? '');
  let m = /^questions\[(\d+)\]\.options\[(\d+)\](?::\s*(text|score)\b)?/.exec(d);
  if (m) return `questions[${m[1]}].options[${m[2]}]${m[3] ? `.${m[3]}` : '.text'}`;
  m = /^questions\[(\d+)\](?::\s*(id|text)\b|: id "|)/.exec(d);
  if (m) {
    if (/^questions\[\d+\]: (id\b|id ")/.test(d)) return `questions[${m[1]}].id`;
    if (/^questions\[\d+\]: text\b/.test(d)) return `questions[${m[1]}].text`;
    return `questions[${m[1]}].options`;
  }
  m = /^thresholds\[(\d+)\]/.exec(d);
  if (m) return `thresholds[${m[1]}]`;
  if (/^thresholds\b/.test(d)) return 'thresholds';
  if (/^lowest_below\b/.test(d)) return 'lowest_below';
  m = /^no answers give category C(\d)/.exec(d);
  if (m) return Number(m[1]) === 1 ? 'thresholds[0]' : `thresholds[${Number(m[1]) - 2}]`;
  if (/^a questionnaire (needs at least one question|has at most)/.test(d)) return 'questions';
  return null;
}
