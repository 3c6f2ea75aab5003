/** The renderer's public types: skip and error codes, results, options (src/render/render.ts renders). */
import type { ObjectCatalog } from '../catalog/catalog.js';
import type { Payload, RenderedContent } from '../channels/payload.js';
import type { ChannelProfiles } from '../channels/profiles.js';
import type { SmsSegments } from '../channels/sms.js';
import type { ComponentDefinition, FormatType } from '../component/model.js';
import type { FormulaEngine } from '../formula/formula.js';
import type { Budget, BudgetOptions } from '../formula/runtime/budget.js';
import type { RenderProblemDetail, RenderRequest } from './request.js';

/** Why a format was not used. Stable: the meaning of a code never changes; codes may be added. */
export const SkipCode = {
  /** The channel doesn't support the component type at all (only with `fallback: "text"`). */
  ChannelUnsupported: 'CHANNEL_UNSUPPORTED',
  /** The channel doesn't offer this format for this component type. */
  FormatNotSupported: 'FORMAT_NOT_SUPPORTED',
  TooManyOptions: 'TOO_MANY_OPTIONS',
  TooFewOptions: 'TOO_FEW_OPTIONS',
  /** A required value (title, URL, option title…) is blank. */
  MissingValue: 'MISSING_VALUE',
  /** An image the format needs is blank (Media, Rich Link, or a carousel option). */
  MissingImage: 'MISSING_IMAGE',
  /** Two carousel options share an image. */
  DuplicateImage: 'DUPLICATE_IMAGE',
  /** A value is longer than the platform allows. */
  FieldTooLong: 'FIELD_TOO_LONG',
  /** A binding's formula failed at run time (division by zero, bad input…). */
  EvaluationError: 'EVALUATION_ERROR',
} as const;
export type SkipCode = (typeof SkipCode)[keyof typeof SkipCode];

/** Stable codes of failed renders. */
export const RenderErrorCode = {
  InvalidComponent: 'E_INVALID_COMPONENT',
  InvalidRequest: 'E_INVALID_REQUEST',
  ChannelUnsupported: 'E_CHANNEL_UNSUPPORTED',
  /** The Text version could not be rendered (a runtime error in its template). */
  TextFailed: 'E_TEXT_FAILED',
  /** The Text version is longer than the channel sends, and the channel refuses rather than splits (SMS over 840 characters, G:2892; a short code over 160, G:3038). */
  TextTooLong: 'E_TEXT_TOO_LONG',
  /** The render used up its budget (operations or time): see docs/formula-language.md, "Limits". */
  BudgetExceeded: 'E_BUDGET_EXCEEDED',
  /** A defect: the renderer failed unexpectedly (reported, never thrown). */
  Internal: 'E_INTERNAL',
} as const;

/** A format the render did not use, and why. */
export interface SkippedFormat {
  readonly format: FormatType;
  readonly code: SkipCode;
  readonly message: string;
  /** Where the format is in the component (`/formats/0`); absent for the implicit Text. */
  readonly pointer?: string;
  /** The content field at fault (`option.title`), when there is one. */
  readonly field?: string;
  /** The option at fault (0-based), when there is one. */
  readonly option?: number;
}

export interface RenderWarning {
  readonly code: string;
  readonly message: string;
  readonly pointer?: string;
}

/** The render result of CONTRACT.md §3. */
export interface RenderResult {
  readonly channel: string;
  readonly format: FormatType;
  readonly skipped: readonly SkippedFormat[];
  readonly content: RenderedContent;
  /** The Text version, always. */
  readonly text: string;
  readonly payload: Payload;
  readonly warnings: readonly RenderWarning[];
  /** SMS channels: how the text is sent (encoding, segments, units left in the last segment; G:2902). */
  readonly sms?: SmsSegments;
}

export interface RenderError {
  readonly code: string;
  readonly message: string;
  readonly errors: readonly RenderProblemDetail[];
}

export type RenderOutcome = { readonly ok: true; readonly result: RenderResult } | { readonly ok: false; readonly error: RenderError };

export interface ComponentRenderOptions {
  /** The objects record parameters reference. Default: the built-in catalog. */
  readonly catalog?: ObjectCatalog;
  /** The channel profiles. Default: the built-in profiles. */
  readonly profiles?: ChannelProfiles;
  /** The formula engine (its function registry). Default: the built-in functions. */
  readonly engine?: FormulaEngine;
  /**
   * How the caller asks for the Text fallback, as quoted in messages. Default: the request
   * body's wording, `Send "fallback": "text"` (HTTP API, golden case files); the CLI passes
   * `{ ask: 'Use', spelling: '--fallback text' }`.
   */
  readonly fallbackWording?: FallbackWording;
  /** The default limits of each render (text length, operations, time). */
  readonly budget?: BudgetOptions;
}

/** Options of one render. */
export interface RenderCallOptions {
  /** Limits on this render: options, or a `Budget` shared with the rest of the request. */
  readonly budget?: Budget | BudgetOptions;
}

/** How a transport spells the request for the Text fallback: "<ask> <spelling> to get the Text version". */
export interface FallbackWording {
  readonly ask: string;
  readonly spelling: string;
}

/** @internal */
export const BODY_FALLBACK_WORDING: FallbackWording = { ask: 'Send', spelling: '"fallback": "text"' };

/** A component compiled for rendering: compile once, render for any channel and parameters, concurrently. */
export interface CompiledComponent {
  readonly ok: boolean;
  /** The component, when it is valid. */
  readonly component?: ComponentDefinition;
  /** Validation errors (pointers into the definition), when it is not. */
  readonly errors: readonly RenderProblemDetail[];
  /** Validation warnings. */
  readonly warnings: readonly RenderProblemDetail[];
  /** Renders for one channel. Never throws: every problem is in the outcome. */
  render(request: RenderRequest | unknown, options?: RenderCallOptions): RenderOutcome;
}
