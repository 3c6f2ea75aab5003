/**
 * API keys and scopes. Keys come from configuration (`PARLANCE_API_KEYS` or a key file) and are
 * kept only as SHA-256 hashes: the keys are long random secrets, so a fast hash is safe and
 * checking a request costs microseconds. A key file may hold the hashes themselves
 * (`sha256:<hex>`), so no plaintext key needs to sit on disk. Keys never reach the logs.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `admin`: channels, components, rules, users (and everything else). `service`: evaluate, render, inbound, outbound check. `preview`: read components, render. */
export const SCOPES = ['admin', 'service', 'preview'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  readonly label: string;
  readonly scopes: readonly Scope[];
  /** SHA-256 of the key, hex. */
  readonly hash: string;
}

export class KeyConfigError extends Error {}

export function hashKey(key: string): string {
  // The one-shot hash (Node 20.12+): no Hash object per call, a third of createHash's cost.
  return hash('sha256', key, 'hex');
}

/** A new random key: `pk_` and 32 random bytes in base64url. */
export function generateKey(): string {
  return `pk_${randomBytes(32).toString('base64url')}`;
}

/**
 * Parses key entries, one per line (or separated by `;` in an environment variable):
 * `<label> <scope>[,<scope>…] <key | sha256:<hex>>`. Blank lines and `#` comments are skipped.
 * Throws {@link KeyConfigError} naming the entry (never echoing the key).
 */
export function parseKeys(text: string, source: string): ApiKey[] {
  const keys: ApiKey[] = [];
  const entries = text.split(/[\n;]/);
  entries.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    if (parts.length !== 3) throw new KeyConfigError(`${source}, entry ${i + 1}: expected "<label> <scopes> <key>", with scopes separated by commas (the key is not shown)`);
    const [label, scopeText, secret] = parts as [string, string, string];
    const scopes = scopeText.split(',').map((s) => s.trim());
    const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (bad.length > 0) throw new KeyConfigError(`${source}, entry ${i + 1} (${label}): unknown scope ${bad.map((s) => `"${s}"`).join(', ')}; scopes are ${SCOPES.join(', ')}`);
    let hash: string;
    if (secret.startsWith('sha256:')) {
      hash = secret.slice(7).toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(hash)) throw new KeyConfigError(`${source}, entry ${i + 1} (${label}): a sha256: hash is 64 hexadecimal digits`);
    } else {
      if (secret.length < 16) throw new KeyConfigError(`${source}, entry ${i + 1} (${label}): a key must have at least 16 characters`);
      hash = hashKey(secret);
    }
    keys.push({ label, scopes: scopes as Scope[], hash });
  });
  return keys;
}

/**
 * Looks keys up by hash, in constant time per comparison. Checking a key costs one SHA-256 of the
 * presented secret and a map lookup: there is no cache of presented secrets, which would keep
 * plaintext keys in memory (bench/README.md "Server").
 */
export class KeyRing {
  private readonly byHash: ReadonlyMap<string, { readonly key: ApiKey; readonly digest: Buffer }>;
  /** Where a presented secret's digest is copied for the constant-time comparison: one buffer, reused (the check is synchronous). */
  private readonly presented = Buffer.alloc(32);

  constructor(keys: readonly ApiKey[]) {
    const seen = new Map<string, { key: ApiKey; digest: Buffer }>();
    for (const k of keys) {
      const digest = Buffer.from(k.hash, 'hex');
      // Keyed by the digest's bytes as latin1 text (32 characters): the text `hash` gives cheapest.
      const id = digest.toString('latin1');
      const other = seen.get(id);
      if (other !== undefined) throw new KeyConfigError(`The keys "${other.key.label}" and "${k.label}" are the same key`);
      seen.set(id, { key: k, digest });
    }
    this.byHash = seen;
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The key a presented secret belongs to. */
  find(secret: string): ApiKey | undefined {
    // The digest as latin1 ('binary') text, one character per byte: a digest as a new Buffer costs twice as much
    // (an ArrayBuffer per call), and hex text twice the characters to hash into the map.
    const digest = hash('sha256', secret, 'binary');
    const entry = this.byHash.get(digest);
    if (entry === undefined) return undefined;
    // The map lookup already matched; compare again in constant time so timing says nothing more.
    this.presented.write(digest, 'latin1');
    return timingSafeEqual(entry.digest, this.presented) ? entry.key : undefined;
  }
}

/** True when a key with `scopes` may call a route that needs one of `needed`. `admin` may call every route. */
export function allowed(scopes: readonly Scope[], needed: readonly Scope[]): boolean {
  return scopes.includes('admin') || needed.some((s) => scopes.includes(s));
}
