/** The messaging error codes (issue 18 item 6): the catalog against the seed, the lookup, the generated docs. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { describeErrorCode, errorCodeCatalog, listErrorCodes } from '../../src/messaging/error-codes.js';
import { renderErrorCodeReference } from '../../src/messaging/error-codes-reference.js';
import { UPDATE_GOLDEN } from '../helpers/golden.js';

/** The guide seed, when a copy of shared/ is beside the checkout (or the worktree); the verbatim check is skipped without it. */
const seedPath = ['../../../shared/seeds/', '../../../../shared/seeds/'].map((d) => new URL(`${d}000_1da4f8ffd8faae6a.txt`, import.meta.url)).find((u) => existsSync(u));
const seed = seedPath === undefined ? [] : readFileSync(seedPath, 'utf8').split('\n');
const seedAvailable = seed.length >= 6569;

describe('the catalog', () => {
  it('validates against schemas/error-codes.schema.json', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/error-codes.schema.json', import.meta.url), 'utf8')) as object;
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
    expect(validate(errorCodeCatalog()), JSON.stringify(validate.errors)).toBe(true);
  });

  it('G:6525 has four categories, told apart by the first digit', () => {
    expect(errorCodeCatalog().categories.map((c) => c.id)).toEqual(['0xxx', '1xxx', '2xxx', '3xxx']);
    for (const e of errorCodeCatalog().codes) expect(e.category).toBe(`${e.code[0]}xxx`);
  });

  it('G:6532-6569 lists the seed\'s 20 codes (no 2003), with 3007 which SPEC-EXTRACT.md §12 omits', () => {
    expect(errorCodeCatalog().codes.map((e) => e.code)).toEqual([
      '0001', '0002', '0003', '0004', '0005', '0006', '1001', '1002', '1003', '1004', '2001', '2002', '2004', '3001', '3002', '3003', '3004', '3005', '3006', '3007',
    ]);
  });

  it.runIf(seedAvailable)('G:6532-6569 each message is the seed\'s, verbatim, on the line cited', () => {
    for (const e of errorCodeCatalog().codes) {
      const line = Number(e.source.slice(2));
      expect(seed[line - 1]?.trim(), e.code).toBe(`${e.code}\t${e.message}`);
    }
  });
});

describe('describeErrorCode', () => {
  it('G:6535 0004: category 0xxx, the timeout message, retry only after the customer writes', () => {
    const r = describeErrorCode('0004');
    expect(r.found).toBe(true);
    if (!r.found) return;
    expect(r.info.category).toMatchObject({ id: '0xxx', name: 'service' });
    expect(r.info.category.description).toContain('communicating with the OTT/MSC');
    expect(r.info.message).toBe("This message timed out. You can't contact this user until they contact you again.");
    expect(r.info.retry).toBe('after-customer-message');
    expect(r.info.action.length).toBeGreaterThan(0);
  });

  it('reads 4, "4" and " 0004 " as 0004', () => {
    for (const c of [4, '4', ' 0004 ']) expect(describeErrorCode(c)).toMatchObject({ found: true, info: { code: '0004' } });
  });

  it('G:6554-6556 2003 is not listed, but its first digit names 2xxx', () => {
    const r = describeErrorCode('2003');
    expect(r).toMatchObject({ found: false, code: 'E_UNKNOWN_ERROR_CODE', category: { id: '2xxx' } });
    expect(describeErrorCode('9001')).toMatchObject({ found: false, code: 'E_UNKNOWN_ERROR_CODE' });
    expect((describeErrorCode('9001') as { category?: unknown }).category).toBeUndefined();
  });

  it('refuses what isn\'t one to four digits', () => {
    for (const c of ['x', '12345', '', '-1', 1.5, -3]) expect(describeErrorCode(c)).toMatchObject({ found: false, code: 'E_INVALID_ERROR_CODE' });
  });

  it('every listed code is found with its category', () => {
    for (const info of listErrorCodes()) expect(describeErrorCode(info.code)).toEqual({ found: true, info });
  });
});

describe('docs/error-codes.md', () => {
  const path = new URL('../../docs/error-codes.md', import.meta.url).pathname;
  const rendered = renderErrorCodeReference(errorCodeCatalog());

  it('matches the catalog (regenerate with `npm run gen` or UPDATE_GOLDEN=1)', () => {
    if (UPDATE_GOLDEN) writeFileSync(path, rendered);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(rendered);
  });

  it('has a row per code with its seed line', () => {
    for (const e of errorCodeCatalog().codes) expect(rendered).toContain(`| ${e.code} | ${e.message.replace(/\|/g, '\\|')} |`);
  });
});
