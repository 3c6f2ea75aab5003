/**
 * Engine adapters: how each engine compiles and evaluates a benchmark formula, and how its
 * result is normalised so the three engines can be compared.
 *
 * - Parlance: `compileFormula(source, {fields, returnType, scale})`, then
 *   `evaluateToWire({record, now, timezone})` (the public, JSON-ready output).
 * - sformula: `parseSync(source, {inputTypes, returnType, scale})`, then `evaluate(record)`.
 * - formulon: `parse(source, identifiers)` parses and evaluates in one call; it is its only mode.
 */
import { createRequire } from 'node:module';
import { compileFormula } from '../dist/src/index.js';
import { parseSync } from 'sformula';
import * as formulon from 'formulon';

const require = createRequire(import.meta.url);

/** Installed versions, for the report header. */
export function engineVersions() {
  const version = (name) => {
    try {
      return require(`${name}/package.json`).version;
    } catch {
      return 'unknown';
    }
  };
  return { parlance: require('../package.json').version, sformula: version('sformula'), formulon: version('formulon'), node: process.versions.node };
}

/** A fixed evaluation instant, so results never depend on the clock. */
export const NOW = '2026-03-16T10:00:00.000Z';

// ------------------------------------------------------------------ Parlance

export function parlanceOptions(f) {
  return { fields: f.fields, ...(f.returnType !== undefined ? { returnType: f.returnType } : {}), ...(f.scale !== undefined ? { scale: f.scale } : {}) };
}

export function parlanceCompile(f) {
  return compileFormula(f.formula, parlanceOptions(f));
}

/**
 * The instant of the `i`th evaluation: a server passes the current time with every request, so
 * consecutive evaluations never share one `now` (one second apart here; the formulas' results do
 * not depend on it).
 */
export function nowAt(i) {
  return new Date(Date.parse(NOW) + i * 1000).toISOString();
}

/**
 * Contexts are built once, outside the timed loop, as a caller reusing its records would; each
 * has its own `now` (see `nowAt`), so no two consecutive evaluations share one (`constantNow`:
 * all share one, for comparison: `npm run bench -- --constant-now`).
 */
export function parlanceContexts(f, constantNow = false) {
  return f.records.map((record, i) => ({ record, now: constantNow ? NOW : nowAt(i), timezone: 'UTC' }));
}

/** A fresh copy of a JSON-shaped options object: what a server or a batch builds per request. */
export function fresh(o) {
  const out = {};
  for (const k in o) {
    const v = o[k];
    out[k] = v !== null && typeof v === 'object' ? fresh(v) : v;
  }
  return out;
}

// ------------------------------------------------------------------ sformula

const SFORMULA_TYPES = {
  Number: 'number',
  Currency: 'currency',
  Percent: 'percent',
  Text: 'string',
  Id: 'id',
  Picklist: 'picklist',
  MultiPicklist: 'multipicklist',
  Boolean: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Time: 'time',
};

function sformulaTypes(fields) {
  const out = {};
  for (const [name, spec] of Object.entries(fields)) {
    out[name] = typeof spec === 'string' ? { type: SFORMULA_TYPES[spec] } : { type: 'object', properties: sformulaTypes(spec) };
  }
  return out;
}

export function sformulaOptions(f) {
  return {
    inputTypes: sformulaTypes(f.fields),
    ...(f.returnType !== undefined ? { returnType: SFORMULA_TYPES[f.returnType] } : {}),
    ...(f.scale !== undefined ? { scale: f.scale } : {}),
  };
}

export function sformulaCompile(f) {
  return parseSync(f.formula, sformulaOptions(f));
}

// ------------------------------------------------------------------ formulon

const FORMULON_TYPES = {
  Number: 'number',
  Currency: 'number',
  Percent: 'number',
  Text: 'text',
  Picklist: 'picklist',
  Boolean: 'checkbox',
  Date: 'date',
  DateTime: 'datetime',
};

/** formulon identifiers for a record, or `undefined` when formulon cannot express the fields (relationships, Time, ...). */
export function formulonIdentifiers(f, record) {
  const out = {};
  for (const [name, spec] of Object.entries(f.fields)) {
    if (typeof spec !== 'string' || FORMULON_TYPES[spec] === undefined) return undefined;
    const dataType = FORMULON_TYPES[spec];
    let value = record[name] ?? null;
    if (value !== null && (dataType === 'date' || dataType === 'datetime')) value = new Date(dataType === 'date' ? `${value}T00:00:00.000Z` : value);
    // Salesforce reads a percent field of 15 as 0.15 in formulas.
    if (value !== null && spec === 'Percent') value = value / 100;
    const options = dataType === 'number' ? { length: 18, scale: numberScale(value) } : dataType === 'text' ? { length: 255 } : {};
    out[name] = { type: 'literal', dataType, value, options };
  }
  return out;
}

function numberScale(v) {
  if (typeof v !== 'number' || Number.isInteger(v)) return 0;
  const s = String(v);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

export function formulonEvaluate(source, identifiers) {
  return formulon.parse(source, identifiers);
}

// ------------------------------------------------------------------ normalisation

const NUMERIC = new Set(['Number', 'Currency', 'Percent']);

/**
 * A canonical comparison key for a result. Numbers compare by value (at the formula's scale
 * when it has one), empty text equals blank, dates are `YYYY-MM-DD`, date-times ISO 8601 UTC.
 */
export function canonical(type, value, scale) {
  if (value === null || value === undefined || value === '') return 'null';
  if (NUMERIC.has(type)) {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return `NaN(${String(value)})`;
    return scale !== undefined ? n.toFixed(scale) : String(n);
  }
  if (type === 'Boolean') return String(value === true || value === 'true');
  if (type === 'Date') return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
  if (type === 'DateTime') return new Date(value).toISOString();
  return String(value);
}

/** Parlance's wire result → canonical key (or an error marker). */
export function parlanceKey(wire, scale) {
  if ('error' in wire) return `error:${wire.error.code}`;
  return canonical(wire.type, wire.value, scale);
}

/** formulon's literal → canonical key, in terms of Parlance's result type. */
export function formulonKey(result, type, scale) {
  if (result === null || typeof result !== 'object') return 'error:formulon';
  if (result.type === 'error') return `error:${result.errorType}`;
  let value = result.value;
  if (type === 'Percent' && typeof value === 'number') value *= 100;
  return canonical(type, value, scale);
}
