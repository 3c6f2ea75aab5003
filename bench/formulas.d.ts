/** Types of formulas.js, for the tests that read the benchmark's formulas (test/formula/codegen.test.ts). */
export type Family = 'logic' | 'text' | 'math' | 'date' | 'mixed';
export interface BenchFormula {
  readonly id: string;
  readonly family: Family;
  readonly formula: string;
  readonly fields: Record<string, unknown>;
  readonly returnType?: string;
  readonly scale?: number;
  readonly records: Record<string, unknown>[];
}
export const FAMILIES: readonly Family[];
export const FORMULAS: readonly BenchFormula[];
