import { describe, expect, it } from 'vitest';
import { formatCell, markdownTable, median, medianOf, percentile } from './figures';

describe('figures', () => {
  it('takes medians and percentiles, ignoring non-finite values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(median([1, NaN, 3])).toBe(2);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8);
  });

  it('takes the median of each numeric field across runs', () => {
    expect(medianOf([{ a: 1, b: 'x' }, { a: 3, b: 'y' }, { a: 2, b: 'z' }])).toEqual({ a: 2 });
  });

  it('formats cells and tables', () => {
    expect(formatCell(1234)).toBe('1,234');
    expect(formatCell(0.12345)).toBe('0.12');
    expect(formatCell(12.345)).toBe('12.3');
    expect(formatCell(null)).toBe('–');
    expect(formatCell(true)).toBe('yes');
    expect(markdownTable(['a', 'bb'], [[1, 'x']])).toBe('| a   | bb  |\n| --- | --- |\n| 1   | x   |');
  });
});
