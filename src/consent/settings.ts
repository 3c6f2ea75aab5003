/**
 * Channel consent settings: consent levels, the consent types each channel type allows, the
 * keywords and automated responses per language, and their validation. Validation collects every
 * problem, each with a JSON pointer into the settings, and never throws. The defaults follow
 * DECISIONS.md "Consent and keywords" and the seed's default texts (SPEC-EXTRACT §8.4).
 *
 * One name for the model (model.ts), its validation (validation.ts, with languages.ts,
 * channel-rules.ts, problems.ts and text.ts) and the defaults (defaults.ts).
 */
export * from './model.js';
export * from './problems.js';
export * from './text.js';
export * from './validation.js';
export * from './defaults.js';
