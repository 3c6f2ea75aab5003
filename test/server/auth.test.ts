/** API keys (src/server/auth.ts): plaintext and `sha256:` entries find the same key, and nothing else does. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashKey, KeyConfigError, KeyRing, parseKeys } from '../../src/server/auth.js';

const SECRET = 'pk_test_0123456789abcdefghij';

describe('KeyRing', () => {
  it('hashes keys with SHA-256, hex', () => {
    expect(hashKey(SECRET)).toBe(createHash('sha256').update(SECRET, 'utf8').digest('hex'));
    expect(hashKey('é€𝄞')).toBe(createHash('sha256').update('é€𝄞', 'utf8').digest('hex'));
  });

  it('finds a key given as plaintext or as its hash, and no other secret', () => {
    for (const entry of [SECRET, `sha256:${hashKey(SECRET).toUpperCase()}`]) {
      const ring = new KeyRing(parseKeys(`ops service,preview ${entry}`, 'test'));
      expect(ring.find(SECRET)).toEqual({ label: 'ops', scopes: ['service', 'preview'], hash: hashKey(SECRET) });
      expect(ring.find(`${SECRET}x`)).toBeUndefined();
      expect(ring.find(SECRET.slice(0, -1))).toBeUndefined();
      expect(ring.find('')).toBeUndefined();
      expect(ring.find(hashKey(SECRET))).toBeUndefined();
    }
  });

  it('refuses the same key twice', () => {
    expect(() => new KeyRing(parseKeys(`a admin ${SECRET}\nb service sha256:${hashKey(SECRET)}`, 'test'))).toThrow(KeyConfigError);
  });
});
