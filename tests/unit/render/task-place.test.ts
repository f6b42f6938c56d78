import { describe, expect, it } from 'vitest';
import { taskPlaceLabel } from '../../../src/core/render/task-place.js';

describe('a task’s place in words', () => {
  it('names a decision’s article as 第N条, and by default when the kind is not given', () => {
    expect(taskPlaceLabel({ articleNo: 4, articleKind: 'decision' })).toBe('第4条');
    expect(taskPlaceLabel({ articleNo: 4 })).toBe('第4条');
    expect(taskPlaceLabel({ articleNo: 4 }, 'en-US')).toBe('Art. 4');
  });

  it('names a leader’s instruction as 批示N, so it is never read as the decision’s article N', () => {
    expect(taskPlaceLabel({ articleNo: 1, articleKind: 'instruction' })).toBe('批示1');
    expect(taskPlaceLabel({ articleNo: 1, articleKind: 'instruction' }, 'en-US')).toBe('Instruction 1');
    expect(taskPlaceLabel({ articleNo: 1, articleKind: 'instruction' })).not.toBe(
      taskPlaceLabel({ articleNo: 1, articleKind: 'decision' }),
    );
  });
});
