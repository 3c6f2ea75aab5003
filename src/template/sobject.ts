import type { Diagnostic } from '../formula/diagnostics.js';
import { defaultFormulaEngine, type CompiledFormula, type EvaluationContext, type EvaluationResult, type FieldsSpec, type FormulaEngine, type WireResult } from '../formula/formula.js';

export interface SObjectFormulaOptions {
  /** The record's object: its fields, as a record type (from the object catalog) or a field → type spec. */
  readonly object: FieldsSpec;
  /** Declared constants and parameters, which sObject formulas may also use. */
  readonly constants?: FieldsSpec;
  readonly parameters?: FieldsSpec;
  readonly returnType?: string;
  readonly engine?: FormulaEngine;
}

/** The data shared by every record of one evaluation. */
export type SObjectData = Omit<EvaluationContext, 'record' | 'listItem'>;

/**
 * An sObject formula (SPEC-EXTRACT.md §2): a bare formula such as `CaseNumber & " - " & Subject`
 * whose field names resolve against one record of the object, without an object prefix.
 */
export interface CompiledSObjectFormula {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly formula: CompiledFormula;
  /** Evaluates once per record, in order. */
  evaluateEach(records: readonly Readonly<Record<string, unknown>>[], data?: SObjectData): EvaluationResult[];
  /** Evaluates once per record, in the wire encoding. */
  evaluateEachToWire(records: readonly Readonly<Record<string, unknown>>[], data?: SObjectData): WireResult[];
}

export function compileSObjectFormula(source: string, options: SObjectFormulaOptions): CompiledSObjectFormula {
  const engine = options.engine ?? defaultFormulaEngine();
  const formula = engine.compile(source, {
    fields: options.object,
    ...(options.constants !== undefined ? { constants: options.constants } : {}),
    ...(options.parameters !== undefined ? { parameters: options.parameters } : {}),
    ...(options.returnType !== undefined ? { returnType: options.returnType } : {}),
  });
  return {
    ok: formula.ok,
    diagnostics: formula.diagnostics,
    formula,
    evaluateEach: (records, data = {}) => records.map((record) => formula.evaluate({ ...data, record })),
    evaluateEachToWire: (records, data = {}) => records.map((record) => formula.evaluateToWire({ ...data, record })),
  };
}
