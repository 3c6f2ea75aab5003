/** `POST /v1/formulas/evaluate` and `POST /v1/templates/render` (CONTRACT.md §4). */
import type { FastifyInstance } from 'fastify';
import { Evaluator, validateRequest, type WireError } from '../../services/evaluate.js';
import { listTemplateOf, renderTemplate, type TemplateJob } from '../../services/template.js';
import type { Budget } from '../../formula/runtime/budget.js';
import { requestBudget, type ServerContext } from '../context.js';
import { badRequest, unprocessable } from '../problem.js';
import { ref } from '../schemas.js';

type Line = Record<string, unknown>;

/** The line with the item's `id` first, when the item has one (the response mirrors the request). */
function withId(item: unknown, line: Line): Line {
  return item !== null && typeof item === 'object' && 'id' in item ? { id: (item as { id: unknown }).id, ...line } : line;
}

export function formulaRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerEvaluate(app, ctx);
  registerTemplateRender(app, ctx);
}

/** `POST /v1/formulas/evaluate`: one item or a batch, each item's failure its own. */
function registerEvaluate(app: FastifyInstance, ctx: ServerContext): void {
  // One compile cache per server: repeated formulas compile once.
  const evaluator = new Evaluator(1024);

  const evaluateOne = (item: unknown, pointer: string, budget: Budget): Line => {
    const { request, errors } = validateRequest(item);
    if (request === undefined) {
      const located = errors.map((e: WireError) => ({ ...e, pointer: `${pointer}${e.pointer ?? ''}` }));
      return withId(item, located.length > 1 ? { ok: false, error: located[0], errors: located } : { ok: false, error: located[0] });
    }
    const outcome = evaluator.evaluate(request, budget);
    if (outcome.ok) return withId(item, { ok: true, type: outcome.type, value: outcome.value });
    return withId(item, outcome.errors !== undefined && outcome.errors.length > 1 ? { ok: false, error: outcome.error, errors: outcome.errors } : { ok: false, error: outcome.error });
  };

  // One item's failure, whatever it is, is that item's E_INTERNAL result: the batch goes on.
  const failed = (e: unknown, item: unknown, pointer: string): Line => {
    app.log.error({ err: e, pointer }, 'evaluating a batch item failed');
    return withId(item, { ok: false, error: { code: 'E_INTERNAL', message: `This item failed unexpectedly (${e instanceof Error ? e.message : String(e)}); the other items are not affected`, pointer } });
  };
  const isolated = (item: unknown, pointer: string, budget: Budget): Line => {
    try {
      return evaluateOne(item, pointer, budget);
    } catch (e) {
      return failed(e, item, pointer);
    }
  };

  app.post(
    '/formulas/evaluate',
    {
      config: { scopes: ['service'] },
      schema: {
        summary: 'Evaluate formulas',
        description: 'One item, or `{items: [...]}` in the shape of `parlance eval --jsonl` lines. The response mirrors the request. A bad item gives `{ok: false, error}` and never stops the batch; items past the evaluation budget fail with E_BUDGET_EXCEEDED.',
        tags: ['formulas'],
        body: ref('evaluate-request'),
        response: { 200: ref('evaluate-response'), '4xx': ref('problem') },
      },
    },
    // Not async: nothing here waits, and a promise per request costs measurable time (bench/README.md "Server").
    (request) => {
      const body = request.body as Record<string, unknown>;
      const budget = requestBudget(ctx.limits);
      if (!Array.isArray(body.items)) return isolated(body, '', budget);
      const items = body.items as unknown[];
      if (items.length > ctx.limits.maxBatch) {
        throw badRequest(`A batch has at most ${ctx.limits.maxBatch} items; this one has ${items.length}`, [{ pointer: '/items', code: 'E_TOO_MANY_ITEMS', message: `At most ${ctx.limits.maxBatch} items` }]);
      }
      const out: Line[] = [];
      for (const [i, item] of items.entries()) {
        // One budget for the whole batch, charged inside the evaluator; compiling is checked here.
        if (budget.exhausted()) {
          out.push(withId(item, { ok: false, error: { code: 'E_BUDGET_EXCEEDED', message: `The request used its evaluation budget (${ctx.limits.evaluationBudgetMs} ms, ${ctx.limits.maxOperations.toLocaleString('en-US')} operations) before this item: send it again`, pointer: `/items/${i}` } }));
          continue;
        }
        out.push(isolated(item, `/items/${i}`, budget));
      }
      return { items: out };
    },
  );
}

/** `POST /v1/templates/render`. */
function registerTemplateRender(app: FastifyInstance, ctx: ServerContext): void {
  app.post(
    '/templates/render',
    {
      config: { scopes: ['service'] },
      schema: {
        summary: 'Render a formula template',
        description: 'Constant and parameter types are inferred from the values unless `constantTypes` / `parameterTypes` are given (docs/templates.md). Compile and runtime errors answer 422 with every problem located in the template.',
        tags: ['templates'],
        body: ref('template-render-request'),
        response: { 200: ref('template-render-response'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const b = request.body as TemplateJob;
      const result = renderTemplate(b, requestBudget(ctx.limits));
      const where = (origin: string | undefined): string => {
        const lt = listTemplateOf(origin, b.listTemplates ?? []);
        return lt === undefined ? '/template' : `/listTemplates/${lt.index}/${lt.part}`;
      };
      const located = (p: { code: string; message: string; span: { line: number; column: number }; origin?: string }) => ({ pointer: where(p.origin), code: p.code, message: p.message, line: p.span.line, column: p.span.column });
      if (!result.ok) throw unprocessable(`The template could not be rendered (${result.errors.length} ${result.errors.length === 1 ? 'problem' : 'problems'})`, result.errors.map(located), 'template-error');
      return { text: result.text, warnings: result.warnings.map((w) => ({ code: w.code, message: w.message, line: w.span.line, column: w.span.column, ...(w.origin !== undefined ? { origin: w.origin } : {}) })) };
    },
  );
}
