/** The JSON syntax-error locator `parlance validate` uses for line and column (jsonc-parser). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from '../../src/services/validate.js';

const jsonErrorOffset = (s: string): number => jsonSyntaxError(s)?.offset ?? -1;

const parses = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

describe('jsonSyntaxError', () => {
  it('finds the first offending character', () => {
    expect(jsonErrorOffset('{\n  "name": "X",\n  "type": }\n')).toBe(27);
    expect(jsonErrorOffset('{"a": [1, 2,]}')).toBe(12);
    expect(jsonErrorOffset('{"a": 1')).toBe(7);
    expect(jsonErrorOffset('{"a": "x\\q"}')).toBe(6); // the string holding the bad escape
    expect(jsonErrorOffset('{"a": 01}')).toBe(7);
    expect(jsonErrorOffset('[] x')).toBe(3);
    expect(jsonErrorOffset(' {"a": [true, false, null, -1.5e3, "\\u00e9"]} ')).toBe(-1);
  });

  it('agrees with JSON.parse on valid JSON and on mutated JSON', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\\', '\n', '0'))
      .map(([json, at, insert]) => {
        const i = at % (json.length + 1);
        return json.slice(0, i) + insert + json.slice(i + (insert === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated), (s) => {
        expect(jsonErrorOffset(s) === -1).toBe(parses(s));
      }),
      { numRuns: 2000 },
    );
  });
});
