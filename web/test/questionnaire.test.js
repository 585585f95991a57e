import { describe, expect, test } from 'vitest';
import { move, newQuestion, problemField, reachableTotals, toDraft, toRequest, validateQuestionnaire } from '../src/lib/questionnaire.js';

// Two questions, scores 0/10/20 and 0/15/30 plus a disqualifying option.
function def() {
  return {
    questions: [
      { id: 'age', text: '您的年龄', options: [{ text: '60岁以上', score: 0, disqualifying: false }, { text: '40–60岁', score: 10, disqualifying: false }, { text: '40岁以下', score: 20, disqualifying: false }] },
      { id: 'loss', text: '可承受的亏损', options: [{ text: '不能承受任何损失', score: 0, disqualifying: true }, { text: '10%以内', score: 0, disqualifying: false }, { text: '10%–30%', score: 15, disqualifying: false }, { text: '30%以上', score: 30, disqualifying: false }] },
    ],
    thresholds: [10, 20, 30, 45],
    lowest_below: 5,
  };
}
const fields = (d) => validateQuestionnaire(d).map((e) => e.field);

describe('questionnaire validation', () => {
  test('a sound definition has no errors and round-trips to the request body', () => {
    const d = toDraft(def());
    expect(validateQuestionnaire(d)).toEqual([]);
    expect(toRequest(d)).toEqual(def());
  });

  test('ids: the pattern and uniqueness', () => {
    const d = toDraft(def());
    d.questions[0].id = 'Age';
    expect(fields(d)).toEqual(['questions[0].id']);
    d.questions[0].id = 'loss';
    expect(fields(d)).toEqual(['questions[1].id']);
    d.questions[0].id = 'x'.repeat(33);
    expect(fields(d)).toEqual(['questions[0].id']);
  });

  test('texts of 1 to 200 characters, counted as characters not bytes', () => {
    const d = toDraft(def());
    d.questions[1].text = '';
    d.questions[0].options[2].text = '字'.repeat(200);
    expect(fields(d)).toEqual(['questions[1].text']);
    d.questions[0].options[2].text = '字'.repeat(201);
    expect(fields(d)).toContain('questions[0].options[2].text');
  });

  test('2 to 6 options, scores 0 to 100 whole numbers, not all disqualifying', () => {
    const d = toDraft(def());
    d.questions[0].options = d.questions[0].options.slice(0, 1);
    d.questions[1].options[2].score = 101;
    d.questions[1].options[3].score = 2.5;
    expect(fields(d)).toEqual(['questions[0].options', 'questions[1].options[2].score', 'questions[1].options[3].score']);
    const e = toDraft(def());
    e.questions[0].options.forEach((o) => { o.disqualifying = true; });
    expect(fields(e)).toEqual(['questions[0].options']);
    const f = toDraft(def());
    f.questions[1].options[1].score = null;
    expect(fields(f)).toEqual(['questions[1].options[1].score']);
  });

  test('1 to 20 questions', () => {
    expect(fields({ ...toDraft(def()), questions: [] })).toContain('questions');
    const many = toDraft(def());
    while (many.questions.length < 21) many.questions.push({ ...newQuestion(many.questions), options: many.questions[0].options });
    expect(fields(many)).toContain('questions');
  });

  test('thresholds strictly ascending, lowest_below from 0 to the first', () => {
    const d = toDraft(def());
    d.thresholds = [10, 20, 20, 45];
    expect(fields(d)).toEqual(['thresholds[2]']);
    d.thresholds = [10, 20, 30, 45];
    d.lowest_below = 11;
    expect(fields(d)).toEqual(['lowest_below']);
    d.lowest_below = -1;
    expect(fields(d)).toEqual(['lowest_below']);
    d.lowest_below = 10;
    expect(fields(d)).toEqual([]);
    d.thresholds = [10, 20, 30, 2001];
    expect(fields(d)).toEqual(['thresholds[3]']);
  });

  test('every category reachable without a disqualifying option', () => {
    // Totals reachable: 0,10,15,20,25,30,35,40,45,50.
    const reach = reachableTotals(toDraft(def()).questions);
    expect([0, 10, 15, 50].every((s) => reach[s])).toBe(true);
    expect(reach[5] || reach[51]).toBe(false);
    const d = toDraft(def());
    d.thresholds = [10, 20, 30, 51]; // C5 needs 51 or more: out of reach
    expect(validateQuestionnaire(d)).toMatchObject([{ field: 'thresholds[3]', en: 'No answers give C5 (totals 51 to 2000)' }]);
    d.thresholds = [10, 11, 30, 45]; // C2 is 10 only... reachable; C3 [11,30) has 15
    expect(fields(d)).toEqual([]);
    d.thresholds = [11, 12, 30, 45]; // C2 covers 11 only: nothing totals 11
    expect(fields(d)).toEqual(['thresholds[0]']);
    // A disqualifying option's score does not count.
    const e = toDraft(def());
    e.questions[1].options[0].score = 100;
    e.thresholds = [10, 20, 30, 100];
    expect(fields(e)).toEqual(['thresholds[3]']);
  });
});

describe('the server\'s 422 on a field', () => {
  const at = (detail, field) => problemField({ code: 'questionnaire_invalid', detail, field });
  test('the detail names the question, option or threshold', () => {
    expect(at('questions[2].options[1]: text must be 1 to 200 characters of valid UTF-8')).toBe('questions[2].options[1].text');
    expect(at('questions[0].options[3]: score 120 is outside 0 to 100')).toBe('questions[0].options[3].score');
    expect(at('questions[1].options[0] needs text and an integer score')).toBe('questions[1].options[0].text');
    expect(at('questions[4]: id must be 1 to 32 bytes of a-z, 0-9 and _')).toBe('questions[4].id');
    expect(at('questions[3]: id "age" is already used by questions[0]')).toBe('questions[3].id');
    expect(at('questions[1]: text must be 1 to 200 characters of valid UTF-8')).toBe('questions[1].text');
    expect(at('questions[1]: must have 2 to 6 options')).toBe('questions[1].options');
    expect(at('questions[0]: at least one option must not be disqualifying')).toBe('questions[0].options');
    expect(at('questions[0] needs id, text and 2 to 6 options')).toBe('questions[0].options');
    expect(at('thresholds must be strictly ascending: 30 then 20')).toBe('thresholds');
    expect(at('thresholds[2] must be an integer from 0 to 2000')).toBe('thresholds[2]');
    expect(at('lowest_below must be 0 to 30 (the C2 threshold)')).toBe('lowest_below');
    expect(at('no answers give category C5 (totals 80 to 2000)')).toBe('thresholds[3]');
    expect(at('no answers give category C1 (totals 0 to 9)')).toBe('thresholds[0]');
    expect(at('a questionnaire needs at least one question')).toBe('questions');
    expect(at('something else')).toBe(null);
  });
  test('a problem that names its field keeps it', () => {
    expect(at('must hold 1 to 20 items', 'questions')).toBe('questions');
    expect(problemField(null)).toBe(null);
  });
});

test('move keeps the list when the item cannot go further', () => {
  expect(move([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
  expect(move([1, 2, 3], 0, 1)).toEqual([2, 1, 3]);
  expect(move([1, 2, 3], 2, -1)).toEqual([1, 3, 2]);
});
