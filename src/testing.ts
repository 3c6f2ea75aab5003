/**
 * `parlance/testing`: golden-file cases for components (`parlance test` in a library), kept out
 * of the `parlance` entry point because it reads and writes files and reads Salesforce metadata
 * (docs/testing.md, docs/architecture.md "Entry points").
 */
export { findCases, runCase, runCases, renderCase, renderOutput, expectedPath, type CaseOutcome, type CaseStatus, type GoldenOptions, type RenderCase } from './services/golden.js';
