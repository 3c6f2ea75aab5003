/** `parlance validate <component.json>...`: validates component definitions (CONTRACT.md §2) with the validation service (src/services/validate.ts). */
import { readFileSync } from 'node:fs';
import { formatCatalogError, ObjectCatalog } from '../catalog/catalog.js';
import { ComponentErrorCode } from '../component/model.js';
import type { ComponentProblem } from '../component/schema.js';
import { validateChannelSettings } from '../consent/settings.js';
import { findMetadataFiles, importMetadataFile, isMetadataPath, metadataFileKind } from '../metadata/files.js';
import type { MetadataProblem } from '../metadata/xml.js';
import { validateComponentText, validateDefinition } from '../services/validate.js';
import { parseCommand } from './args.js';
import { reportCommandError } from './options.js';

interface Output {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** One file's result, as printed by `--json`. */
export interface FileValidation {
  readonly file: string;
  readonly valid: boolean;
  readonly errors: readonly ComponentProblem[];
  readonly warnings: readonly ComponentProblem[];
}

export const VALIDATE_USAGE = `Usage: parlance validate <component.json|metadata file|DX project>... [--json] [--objects <dir>]

Validates component definitions: the JSON Schema (schemas/component.schema.json), then formats
per component type, references, and formulas and templates against the object catalog.
Prints every problem as "file: pointer: CODE message" (with the line and column inside a
formula or template), then a summary. Salesforce metadata files (ConversationMessageDefinition,
MessagingChannel), folders of them and DX projects are imported first (docs/salesforce-metadata.md):
their problems carry the file's line and column. Exit 0 when every file is valid (warnings allowed),
1 when any has an error, 2 on usage errors.

Options:
  --json            Print {"valid", "files": [{"file", "valid", "errors", "warnings"}]} instead
  --objects <dir>   Also load the object definitions (*.json) in <dir> into the catalog
  -h, --help        Show this help
`;

/** A metadata file: imported (its problems with line and column), then validated as a component or channel. */
function validateMetadataFile(file: string, catalog: ObjectCatalog): FileValidation {
  const imported = importMetadataFile(file);
  const asProblem = (p: MetadataProblem): ComponentProblem => ({ pointer: p.path ?? '', code: p.code, message: p.message, ...(p.line !== undefined ? { line: p.line, column: p.column ?? 1 } : {}) });
  const errors: ComponentProblem[] = imported.errors.map(asProblem);
  const warnings: ComponentProblem[] = imported.warnings.map(asProblem);
  if (imported.component !== undefined) {
    const r = validateDefinition(imported.component, { catalog });
    errors.push(...r.errors);
    warnings.push(...r.warnings);
  } else if (imported.channel !== undefined) {
    const { id: _id, ...settings } = imported.channel;
    const r = validateChannelSettings(settings);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
  }
  return { file, valid: errors.length === 0, errors, warnings };
}

/** Reads and validates one file; never throws. */
export function validateFile(file: string, catalog: ObjectCatalog): FileValidation {
  if (metadataFileKind(file) !== undefined) return validateMetadataFile(file, catalog);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { file, valid: false, errors: [{ pointer: '', code: ComponentErrorCode.ReadFile, message: `Cannot read the file: ${(e as Error).message}` }], warnings: [] };
  }
  return { file, ...validateComponentText(text, { catalog }) };
}

/** `file: pointer: CODE message`, with `(line L, column C)` for problems inside a formula or template. */
export function formatProblem(file: string, p: ComponentProblem): string {
  const where = p.line !== undefined ? ` (line ${p.line}, column ${p.column ?? 1})` : '';
  return `${file}: ${p.pointer === '' ? '(root)' : p.pointer}${where}: ${p.code} ${p.message}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Runs the command; returns the exit code. `usage` builds the error thrown for usage errors. */
export function runValidate(args: string[], io: Output, usage: (message: string) => Error): number {
  const { values, positionals } = parseCommand('validate', args, { json: { type: 'boolean' }, objects: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help === true) {
    io.stdout.write(VALIDATE_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw usage('validate needs at least one component file');
  const catalog = ObjectCatalog.builtin();
  if (values.objects !== undefined) {
    const loaded = catalog.loadDirectory(values.objects);
    if (loaded.errors.length > 0) {
      const message = `cannot load the objects in ${values.objects}: ${loaded.errors.map(formatCatalogError).join('; ')}`;
      return reportCommandError(io, values.json === true, { valid: false, files: [] }, { code: 'E_INVALID_OPTION', where: '--objects', message, pointer: '/objects' });
    }
  }
  // Folders and DX projects: every metadata file in them.
  const files = positionals.flatMap((p) => (metadataFileKind(p) === undefined && isMetadataPath(p) ? findMetadataFiles(p) : [p]));
  const results = files.map((file) => validateFile(file, catalog));
  const valid = results.every((r) => r.valid);
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify({ valid, files: results })}\n`);
    return valid ? 0 : 1;
  }
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const r of results) {
    for (const p of r.errors) lines.push(formatProblem(r.file, p));
    for (const p of r.warnings) lines.push(formatProblem(r.file, p));
    if (r.valid) lines.push(`${r.file}: valid${r.warnings.length > 0 ? ` (${plural(r.warnings.length, 'warning')})` : ''}`);
    errors += r.errors.length;
    warnings += r.warnings.length;
  }
  const invalid = results.filter((r) => !r.valid).length;
  lines.push(`${plural(results.length, 'file')}: ${results.length - invalid} valid, ${invalid} invalid (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return valid ? 0 : 1;
}
