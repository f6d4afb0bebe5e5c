import { expect } from 'chai';
import {
  comparePriority,
  PRIORITIES,
  PRIORITY_RULES,
  priorityOf,
  raisePriority,
  type Priority,
  type PriorityInput,
} from '../../src/inbox/priority.ts';

describe('inbox/priority', () => {
  // [influence, intent, sentiment, expected]
  const table: [PriorityInput['influence'], PriorityInput['intent'], PriorityInput['sentiment'], Priority][] =
    [
      // Urgent: a negative complaint from an influential author.
      [70, 'complaint', 'negative', 'Urgent'],
      [95, 'complaint', 'negative', 'Urgent'],
      // High: a complaint or negative post from anyone, a purchase intent, or an influential author.
      [69.99, 'complaint', 'negative', 'High'],
      [90, 'complaint', 'neutral', 'High'],
      [0, 'complaint', null, 'High'],
      [10, 'question', 'negative', 'High'],
      [10, 'other', 'negative', 'High'],
      [5, 'purchase_intent', 'positive', 'High'],
      [50, 'praise', 'positive', 'High'],
      [80, 'question', 'neutral', 'High'],
      // Normal: a question from a smaller author.
      [49, 'question', 'neutral', 'Normal'],
      [null, 'question', 'positive', 'Normal'],
      // Low: the rest.
      [49, 'praise', 'positive', 'Low'],
      [0, 'other', 'neutral', 'Low'],
      [null, null, null, 'Low'],
      [Number.NaN, undefined, undefined, 'Low'],
    ];
  for (const [influence, intent, sentiment, expected] of table) {
    it(`influence ${influence}, ${intent}, ${sentiment} → ${expected}`, () => {
      expect(priorityOf({ influence, intent, sentiment })).to.equal(expected);
    });
  }

  it('exports its thresholds', () => {
    expect(PRIORITY_RULES).to.deep.equal({ urgentInfluence: 70, highInfluence: 50 });
  });

  it('raises one level, and Urgent stays Urgent', () => {
    expect(PRIORITIES.map(raisePriority)).to.deep.equal(['Urgent', 'Urgent', 'High', 'Normal']);
    expect(() => raisePriority('Medium' as Priority)).to.throw(RangeError, /unknown priority: Medium/);
  });

  it('sorts the most urgent first', () => {
    expect((['Low', 'Urgent', 'Normal', 'High'] as Priority[]).sort(comparePriority)).to.deep.equal([
      'Urgent',
      'High',
      'Normal',
      'Low',
    ]);
  });
});
