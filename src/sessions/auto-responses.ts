/**
 * Automated responses at session events (SPEC-EXTRACT §8.4, §14.1; G:4505-4520): which
 * responses a transition triggers, and how a response is sent: its text, or its auto-response
 * component rendered for the channel, with what agents see in the transcript. Pure functions;
 * the caller (src/services/auto-responses.ts) reads the stored components and compiles them.
 * docs/auto-responses.md.
 */
import type { ChannelType } from '../channels/profiles.js';
import { findAutomatedResponse } from '../consent/automated.js';
import { autoResponseOf, type AutoResponse } from '../consent/engine.js';
import type { AutomatedResponseType, ChannelSettings } from '../consent/settings.js';
import type { CompiledComponent, RenderResult } from '../render/render.js';
import type { SessionAction } from './lifecycle.js';

/** What set a response off: an inbound message, or a session transition. */
export type AutoResponseTrigger = 'inbound' | SessionAction;

/** The placeholder agents see in the transcript instead of an auto-response component's content (G:4520). */
export const TRANSCRIPT_PLACEHOLDER = '[Auto-response]';

/** Stable codes of automated responses that can't be sent. */
export const AutoResponseErrorCode = {
  /** The component the response names is no longer stored. */
  ComponentNotFound: 'E_COMPONENT_NOT_FOUND',
  /** The stored component is not an auto-response component, or is invalid. */
  InvalidComponent: 'E_INVALID_COMPONENT',
  /** The component failed to render for the channel. */
  RenderFailed: 'E_RENDER_FAILED',
  /** The component declares a global member with another type than the channel (docs/auto-responses.md#globals). */
  GlobalTypeConflict: 'E_GLOBAL_TYPE_CONFLICT',
} as const;

/** An automated response ready to send, in order. */
export interface SentAutoResponse extends AutoResponse {
  /** The event that triggered it. */
  readonly trigger: AutoResponseTrigger;
  /** For a component: the stored component's name and the version that was rendered. */
  readonly componentVersion?: number;
  /** For a component: the render for the channel (the customer sees this). */
  readonly render?: RenderResult;
  /** What agents see in the transcript: the text, or a generic placeholder for a component (G:4520). */
  readonly transcript: string;
  /** Why the response can't be sent, when it can't (a component deleted since the channel was saved, a failed render). */
  readonly error?: { readonly code: string; readonly message: string };
}

/** What a transition's responses depend on. */
export interface SessionEventInput {
  readonly settings: ChannelSettings;
  readonly action: SessionAction;
  /** The messaging user's language, when known. */
  readonly language?: string;
  /** Who accepted (accept only): a start-conversation message greets an agent joining, not a bot. */
  readonly agentType?: 'Rep' | 'Bot';
}

/** The response each transition triggers. */
const TRIGGERED: Readonly<Record<SessionAction, AutomatedResponseType>> = {
  accept: 'AgentEngagedResponse',
  end: 'AgentEndEngagementResponse',
  markInactive: 'EndUserInactiveResponse',
  transfer: 'RerouteResponse',
};

/**
 * The automated responses a session transition sends, in order (at most one):
 * - accept by a rep: Start Conversation, `AgentEngagedResponse` ("when an agent joins the
 *   conversation", G:5212); not when a bot accepts (a bot is not an agent joining);
 * - end, by the rep or the customer: End Conversation, `AgentEndEngagementResponse` ("when the
 *   agent or customer ends the conversation", G:5213);
 * - mark inactive (No Customer Response, G:6481-6489): `EndUserInactiveResponse`;
 * - transfer (the session is rerouted, G:6448): `RerouteResponse`.
 * In the user's language when configured, else the default language (docs/auto-responses.md).
 */
export function sessionEventResponses(input: SessionEventInput): AutoResponse[] {
  if (input.action === 'accept' && input.agentType === 'Bot') return [];
  const r = findAutomatedResponse(input.settings, TRIGGERED[input.action], input.language);
  return r === undefined ? [] : [autoResponseOf(r)];
}

/** The stored component a response names: compiled, with its version; undefined when it isn't stored. */
export interface ResolvedComponent {
  readonly version: number;
  readonly compiled: CompiledComponent;
}

/**
 * A component response that can't be sent: its component's declared globals disagree with the
 * channel's (a component edited since the channel was saved). Nothing is sent; the response
 * carries the error.
 */
export function globalsConflictResponse(response: AutoResponse, trigger: AutoResponseTrigger, version: number, message: string): SentAutoResponse {
  return { ...response, trigger, transcript: TRANSCRIPT_PLACEHOLDER, componentVersion: version, error: { code: AutoResponseErrorCode.GlobalTypeConflict, message: `${message} Nothing was sent.` } };
}

/**
 * A response as sent: a text response as is; a component response rendered for the channel
 * (`now` is the render's `now`), its text the render's Text version, and the transcript a
 * placeholder (G:4520); `globals` are the values of the globals the component reads (the
 * channel's `globalValues`). A component that is gone, isn't an auto-response or fails to render gives
 * a response with an `error` and no render, never an exception.
 */
export function sendAutoResponse(response: AutoResponse, trigger: AutoResponseTrigger, channel: ChannelType, component: ResolvedComponent | undefined, now: number, globals?: Readonly<Record<string, unknown>>): SentAutoResponse {
  if (response.component === undefined) return { ...response, trigger, transcript: response.text };
  const base = { ...response, trigger, transcript: TRANSCRIPT_PLACEHOLDER };
  if (component === undefined) {
    return { ...base, error: { code: AutoResponseErrorCode.ComponentNotFound, message: `The auto-response component ${response.component} is no longer stored: nothing was sent` } };
  }
  const type = component.compiled.component?.type;
  if (!component.compiled.ok || type !== 'AutoResponse') {
    const why = component.compiled.ok ? `is ${type ?? 'not a component'}, not an auto-response component` : 'is invalid';
    return { ...base, componentVersion: component.version, error: { code: AutoResponseErrorCode.InvalidComponent, message: `The component ${response.component} (version ${component.version}) ${why}: nothing was sent` } };
  }
  const outcome = component.compiled.render({ channel, now, ...(globals !== undefined ? { globals } : {}) });
  if (!outcome.ok) return { ...base, componentVersion: component.version, error: { code: AutoResponseErrorCode.RenderFailed, message: `${response.component}: ${outcome.error.message}` } };
  return { ...base, text: outcome.result.text, componentVersion: component.version, render: outcome.result };
}
