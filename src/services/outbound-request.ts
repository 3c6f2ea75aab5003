/**
 * An outbound request, prepared for the outbound service (src/services/outbound.ts): the content's
 * shape checked, the channel read, a stored messaging template read and filled (G:5055), the
 * approved WhatsApp template read, the component read or validated and its dynamic parts found.
 *
 * A request problem is an `OutboundRequestError`, thrown at the first one found (the HTTP route
 * answers it as a 400, 404 or 422 problem); nothing is changed.
 */
import type { ObjectCatalog } from '../catalog/catalog.js';
import { validateComponent } from '../component/validate.js';
import { fillMessagingTemplate, type MessagingTemplate, type TemplateProblem, type WhatsAppTemplate } from '../messaging/templates.js';
import { dynamicParts, type DynamicPart } from '../outbound/dynamic.js';
import type { ChannelStore } from '../store/channels.js';
import type { ComponentStore } from '../store/components.js';
import type { TemplateStore } from '../store/templates.js';
import type { OutboundMessageInput } from './outbound.js';

/** The body of `POST /v1/outbound/check` and `/send` (CONTRACT.md §4). */
export interface OutboundRequest {
  readonly channelId: string;
  readonly platformKey: string;
  readonly repId: string;
  readonly content: OutboundRequestContent;
  readonly consentAttested?: boolean;
  readonly automatic?: boolean;
  readonly agentType?: 'Rep' | 'Bot';
}

export interface OutboundRequestContent {
  readonly kind: 'freeform' | 'component';
  readonly component?: string | Record<string, unknown>;
  readonly approvedTemplate?: string;
  readonly text?: string;
  readonly template?: { readonly name: string; readonly values?: Readonly<Record<string, string | null>> };
}

/** A located problem in the request: `pointer` into its body. */
export interface OutboundRequestProblem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * A request the outbound rules can't run on: `invalid` (the content's shape), `not-found` (a
 * channel, component or messaging template; `errors[0].pointer` says which) or
 * `invalid-component` (an inline component that fails validation).
 */
export class OutboundRequestError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not-found' | 'invalid-component',
    readonly detail: string,
    readonly errors: readonly OutboundRequestProblem[],
  ) {
    super(detail);
    this.name = 'OutboundRequestError';
  }
}

/** What preparing a request reads. */
export interface OutboundRequestDeps {
  readonly channels: ChannelStore;
  readonly components: ComponentStore;
  readonly templates: TemplateStore;
  readonly catalog?: ObjectCatalog;
}

interface FilledTemplate {
  readonly name: string;
  readonly version: number;
  readonly text?: string;
  readonly problems: readonly TemplateProblem[];
}

interface ResolvedComponent {
  readonly parts: DynamicPart[];
  readonly storedType?: unknown;
  readonly component?: Record<string, unknown>;
}

const COMPONENT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const invalid = (detail: string, pointer: string, code: string, message: string): OutboundRequestError => new OutboundRequestError('invalid', detail, [{ pointer, code, message }]);
const notFound = (detail: string, pointer: string): OutboundRequestError => new OutboundRequestError('not-found', detail, [{ pointer, code: 'E_NOT_FOUND', message: detail }]);

/** The content's kind and its properties agree. */
function checkContentShape(content: OutboundRequestContent): void {
  if (content.kind === 'freeform' && content.component !== undefined) {
    throw invalid('Freeform content has no component: send kind "component" to send one', '/content/component', 'E_UNEXPECTED_PROPERTY', 'Only for kind "component"');
  }
  if (content.kind === 'component' && content.text !== undefined) {
    throw invalid('Component content has no text: the component is the message', '/content/text', 'E_UNEXPECTED_PROPERTY', 'Only for kind "freeform"');
  }
  if (content.kind === 'component' && content.component === undefined) {
    throw invalid('Component content needs "component": a stored component\'s name or an inline definition', '/content/component', 'E_REQUIRED', '"component" is required for kind "component"');
  }
}

/** A freeform message from a stored messaging template: read it (not found when absent) and fill its merge fields (G:5055). */
async function fillTemplate(templates: TemplateStore, content: OutboundRequestContent): Promise<FilledTemplate | undefined> {
  if (content.template === undefined) return undefined;
  if (content.kind !== 'freeform') throw invalid('A messaging template is sent as a freeform message', '/content/template', 'E_UNEXPECTED_PROPERTY', 'Only for kind "freeform"');
  if (content.text !== undefined) throw invalid('Send a template or a text, not both: the filled template is the text', '/content/text', 'E_UNEXPECTED_PROPERTY', 'Not with "template"');
  const stored = await templates.get<MessagingTemplate>('messaging', content.template.name);
  if (stored === undefined) throw notFound(`No messaging template named ${content.template.name}`, '/content/template/name');
  const r = fillMessagingTemplate(stored.definition, content.template.values ?? {});
  return { name: stored.name, version: stored.version, ...(r.text !== undefined ? { text: r.text } : {}), problems: r.problems };
}

/** The component: a stored one read by name, or an inline one validated; its dynamic parts found. */
async function resolveComponent(deps: OutboundRequestDeps, component: OutboundRequestContent['component']): Promise<ResolvedComponent> {
  if (typeof component === 'string') {
    if (!COMPONENT_NAME.test(component)) {
      throw invalid(`${JSON.stringify(component)} is not a component name`, '/content/component', 'E_INVALID_VALUE', 'A component name starts with a letter and has only letters, digits and underscores');
    }
    const stored = await deps.components.get(component);
    if (stored === undefined) throw notFound(`No component named ${component}`, '/content/component');
    return { parts: dynamicParts(stored.definition), storedType: stored.definition.type, component: { name: stored.name, version: stored.version } };
  }
  if (component === undefined) return { parts: [] };
  const v = validateComponent(component, deps.catalog !== undefined ? { catalog: deps.catalog } : {});
  if (!v.valid) {
    throw new OutboundRequestError(
      'invalid-component',
      `The inline component is invalid (${v.errors.length} ${v.errors.length === 1 ? 'problem' : 'problems'})`,
      v.errors.map((e) => ({ pointer: `/content/component${e.pointer}`, code: e.code, message: e.message, ...(e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : {}) })),
    );
  }
  return { parts: dynamicParts(component).map((p) => ({ pointer: `/content/component${p.pointer}`, message: p.message })), component: { inline: component } };
}

/**
 * The request, prepared: the channel read, a messaging template filled, the approved template
 * read, the component read or validated, its dynamic parts found. Throws `OutboundRequestError`.
 */
export async function prepareOutbound(deps: OutboundRequestDeps, body: OutboundRequest, keyLabel: string | undefined): Promise<OutboundMessageInput> {
  const content = body.content;
  checkContentShape(content);
  const channel = await deps.channels.get(body.channelId);
  if (channel === undefined) throw notFound(`No channel ${body.channelId}`, '/channelId');
  const filled = await fillTemplate(deps.templates, content);
  const text = filled?.text ?? content.text ?? '';
  const approved = content.approvedTemplate === undefined || content.kind !== 'freeform' ? undefined : await deps.templates.get<WhatsAppTemplate>('whatsapp', content.approvedTemplate);
  const { parts, storedType, component } = await resolveComponent(deps, content.component);
  return {
    channel,
    platformKey: body.platformKey,
    repId: body.repId,
    content: {
      kind: content.kind,
      ...(content.approvedTemplate !== undefined ? { approvedTemplate: content.approvedTemplate } : {}),
      ...(content.kind === 'component' ? { dynamicParts: parts, componentType: String((typeof content.component === 'string' ? storedType : (content.component as Record<string, unknown>).type) ?? '') } : { text }),
      ...(content.kind === 'freeform' && content.approvedTemplate !== undefined ? { approved: approved === undefined ? null : { name: approved.name, text: approved.definition.text } } : {}),
      ...(filled !== undefined ? { templateProblems: filled.problems } : {}),
    },
    record: {
      kind: content.kind,
      ...(component !== undefined ? { component } : {}),
      ...(content.approvedTemplate !== undefined ? { approvedTemplate: content.approvedTemplate } : {}),
      ...(filled !== undefined ? { template: { name: filled.name, version: filled.version } } : {}),
    },
    text,
    consentAttested: body.consentAttested === true,
    automatic: body.automatic === true,
    ...(body.agentType === 'Bot' ? { agentType: 'Bot' as const } : {}),
    ...(keyLabel !== undefined ? { keyLabel } : {}),
  };
}
