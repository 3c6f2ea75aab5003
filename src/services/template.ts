/**
 * The template service: renders a formula template (docs/templates.md) for `parlance template`
 * and `POST /v1/templates/render`, the same job on both: the constant and parameter types are
 * inferred from the values unless given, the template is compiled (strict unless lenient) and
 * rendered. Each transport shapes the result (the CLI's text or `--json`, the HTTP response or
 * its 422 problem) and locates problems with {@link listTemplateOf}.
 */
import type { Budget, BudgetOptions } from '../formula/runtime/budget.js';
import { compileTemplate, type ListTemplateDefinition, type TemplateRenderResult } from '../template/template.js';
import { inferTypes } from './evaluate.js';

/** One template render, as both transports take it (CONTRACT.md §2 `parlance template`, §4 `POST /v1/templates/render`). */
export interface TemplateJob {
  readonly template: string;
  readonly constants?: Record<string, unknown>;
  readonly parameters?: Record<string, unknown>;
  /** Declared types; inferred from `constants` / `parameters` when absent. */
  readonly constantTypes?: Record<string, unknown>;
  readonly parameterTypes?: Record<string, unknown>;
  readonly listTemplates?: readonly ListTemplateDefinition[];
  readonly lineBreaks?: 'br' | 'preserve';
  /** Unknown references render as blank, with a warning. */
  readonly lenient?: boolean;
  readonly now?: string;
  readonly timezone?: string;
}

/** Compiles and renders the job's template, within `budget` (a request's shared one, or limits). */
export function renderTemplate(job: TemplateJob, budget?: Budget | BudgetOptions): TemplateRenderResult {
  const constantTypes = job.constantTypes ?? (job.constants !== undefined ? inferTypes(job.constants) : undefined);
  const parameterTypes = job.parameterTypes ?? (job.parameters !== undefined ? inferTypes(job.parameters) : undefined);
  const compiled = compileTemplate(job.template, {
    ...(constantTypes !== undefined ? { constants: constantTypes } : {}),
    ...(parameterTypes !== undefined ? { parameters: parameterTypes } : {}),
    ...(job.listTemplates !== undefined ? { listTemplates: job.listTemplates } : {}),
    ...(job.lineBreaks !== undefined ? { lineBreaks: job.lineBreaks } : {}),
    strict: job.lenient !== true,
  });
  return compiled.render({
    ...(job.constants !== undefined ? { constants: job.constants } : {}),
    ...(job.parameters !== undefined ? { parameters: job.parameters } : {}),
    ...(job.now !== undefined ? { now: job.now } : {}),
    ...(job.timezone !== undefined ? { timezone: job.timezone } : {}),
    ...(budget !== undefined ? { budget } : {}),
  });
}

/**
 * The list template a problem is in, from its `origin` (`$ListTemplates.Name` or
 * `$ListTemplates.Name.source`): its index in `listTemplates` and the part (`template` or
 * `source`); undefined for a problem in the template itself (or an origin no list template has).
 */
export function listTemplateOf(origin: string | undefined, listTemplates: readonly ListTemplateDefinition[]): { readonly index: number; readonly part: 'source' | 'template' } | undefined {
  const m = origin === undefined ? null : /^\$ListTemplates\.(.+?)(\.source)?$/.exec(origin);
  if (m === null) return undefined;
  const index = listTemplates.findIndex((lt) => lt.name.toLowerCase() === (m[1] as string).toLowerCase());
  return index < 0 ? undefined : { index, part: m[2] !== undefined ? 'source' : 'template' };
}
