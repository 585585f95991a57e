import { expect, test } from 'vitest';
import { parseSubject, subjectPath } from '../src/lib/subjects.js';

test('a notification subject opens the screen it is about', () => {
  expect(subjectPath('content:12:3')).toBe('/console/contents/12');
  expect(subjectPath('manager:4:2')).toBe('/console/managers/4');
  expect(subjectPath('campaign:7')).toBe('/console/campaigns/7');
  expect(subjectPath('question:5:answer')).toBe('/console/questions');
  expect(subjectPath('comment:8', 'app')).toBe('/comments');
  expect(subjectPath('report:9', 'app')).toBe('/reports');
});
test('an unknown or malformed subject opens nothing', () => {
  expect(subjectPath('comment:8')).toBe(null);
  expect(subjectPath('campaign:x')).toBe(null);
  expect(subjectPath('')).toBe(null);
  expect(parseSubject('manager:4:2')).toEqual({ kind: 'manager', id: '4', extra: '2' });
});
