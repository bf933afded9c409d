import { describe, expect, it } from 'vitest';
import { parsePartialJson } from './partial-json';

describe('parsePartialJson', () => {
  it('reads what a cut-off JSON text had reached', () => {
    expect(parsePartialJson('{"summary": "Mara st')).toEqual({ summary: 'Mara st' });
    expect(parsePartialJson('{"a": 1, "b": [1, 2')).toEqual({ a: 1, b: [1, 2] });
    expect(parsePartialJson('{"a": 1, "b')).toEqual({ a: 1 });
    expect(parsePartialJson('{"a": {"b": "x\\')).toEqual({ a: { b: 'x' } });
    expect(parsePartialJson('{"a": tr')).toEqual({});
    expect(parsePartialJson('')).toEqual({});
    expect(parsePartialJson('{"done": true}')).toEqual({ done: true });
  });
});
