/** One evaluation budget per request on the server (ServerLimits.maxOperations, maxTextLength, evaluationBudgetMs). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/server/app.js';
import { startServer, type TestServer } from '../helpers/server.js';

const heavy = (n: number) => `{!LEN(SUBSTITUTE(SUBSTITUTE(LPAD("a",${n},"b"),"b","c"),"c","d"))}`;
const question = (formula: string) => ({
  name: 'Q',
  type: 'QuestionStaticOptions',
  constants: { Title: { type: 'Text', value: 'Pick one' }, Options: { type: 'List<Option>', value: [{ Name: 'A' }, { Name: 'B' }] } },
  formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Title' }, options: { source: '$Constants.Options', title: { type: 'Formula', formula } } }],
});

let server: TestServer;
beforeAll(async () => {
  // The operations budget is deterministic; the time budget stays generous (tests never depend on load).
  server = await startServer({ limits: { maxOperations: 200_000 } });
});
afterAll(async () => {
  await server.close();
});

describe('request budget', () => {
  it('has safe defaults: 250 ms, 20,000,000 operations, 131,072 characters', () => {
    expect(DEFAULT_LIMITS).toMatchObject({ evaluationBudgetMs: 250, maxOperations: 20_000_000, maxTextLength: 131_072 });
  });

  it('bounds a template with many heavy merge fields as a whole: 422 E_BUDGET_EXCEEDED, located', async () => {
    const r = await server.call('POST', '/v1/templates/render', { template: heavy(100_000).repeat(400) }, { key: 'service' });
    expect(r.status).toBe(422);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0]).toMatchObject({ pointer: '/template', code: 'E_BUDGET_EXCEEDED', line: 1 });
  });

  it('refuses text past the cap with E_TEXT_TOO_LONG at the expression', async () => {
    const r = await server.call('POST', '/v1/templates/render', { template: heavy(1_000_000) }, { key: 'service' });
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toMatchObject({ code: 'E_TEXT_TOO_LONG', line: 1, column: 29 });
  });

  it('shares one budget across the items of a batch: later items fail, earlier ones are kept', async () => {
    const formula = 'LEN(SUBSTITUTE(LPAD("a",100000,"b"),"b","c"))';
    const r = await server.call('POST', '/v1/formulas/evaluate', { items: Array.from({ length: 100 }, (_, i) => ({ id: i, formula })) }, { key: 'service' });
    expect(r.status).toBe(200);
    const codes = r.body.items.map((x: { ok: boolean; error?: { code: string } }) => (x.ok ? 'ok' : x.error?.code));
    expect(codes[0]).toBe('ok');
    expect(codes.at(-1)).toBe('E_BUDGET_EXCEEDED');
    expect(codes.indexOf('E_BUDGET_EXCEEDED')).toBe(codes.lastIndexOf('ok') + 1);
  });

  it('bounds an inline component render', async () => {
    const formula = `LEFT(${'SUBSTITUTE('.repeat(60)}LPAD("a",100000,"b")${',"b","c")'.repeat(60)}, 5)`;
    const r = await server.call('POST', '/v1/render', { component: question(formula), channel: 'EmbeddedWeb' }, { key: 'service' });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain('E_BUDGET_EXCEEDED');
  });

  it('refuses to store a component with an out-of-range number literal', async () => {
    const r = await server.call('PUT', '/v1/components/Q', question(`TEXT(${'9'.repeat(1002)})`));
    expect(r.status).toBe(422);
    expect(r.body.errors).toContainEqual(expect.objectContaining({ pointer: '/formats/0/options/title/formula', code: 'E_NUMBER_OUT_OF_RANGE' }));
    expect((await server.call('GET', '/v1/components/Q')).status).toBe(404);
  });
});
