/**
 * `parlance import` and `parlance export`: Salesforce metadata (ConversationMessageDefinition,
 * MessagingChannel) in and out. See docs/salesforce-metadata.md.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { validateComponent } from '../component/validate.js';
import { isChannelType, validateChannelSettings } from '../consent/settings.js';
import { exportChannel, type ChannelDocument } from '../metadata/channel.js';
import { exportComponent } from '../metadata/component.js';
import { findMetadataFiles, formatMetadataProblem, importMetadataFile, type ImportedComponent, type ImportedFile } from '../metadata/files.js';
import { MetadataCode, writeDocument, type MetadataProblem } from '../metadata/xml.js';
import { parseCommand } from './args.js';

interface Output {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export const IMPORT_USAGE = `Usage: parlance import <dir|file>... [--out <dir>]

Reads Salesforce metadata: ConversationMessageDefinition files (messaging components) and
MessagingChannel files (channels), in source format (X.conversationMessageDefinition-meta.xml)
or metadata format (X.conversationMessageDefinition), given one by one, as folders searched
recursively, or as a Salesforce DX project (a folder with sfdx-project.json: its package
directories are searched). Writes one Parlance JSON file per definition, in <dir>/components
and <dir>/channels, or with no --out prints {"components": [...], "channels": [...]} on stdout.
Elements Parlance has no equivalent for are kept verbatim under "x-salesforce" and reported as
warnings with their path and line; problems print on stderr as file:line:column: CODE message.
Exit 0 when every file imported (warnings allowed), 1 when any has an error, 2 on usage errors.

Options:
  --out <dir>   Write the JSON files under <dir>
  -h, --help    Show this help
`;

export const EXPORT_USAGE = `Usage: parlance export <file|dir>... --out <dir>

Writes Parlance component and channel definitions (JSON files; folders are searched for *.json)
as Salesforce metadata in source format, ready for "sf project deploy start":
<dir>/conversationMessageDefinitions/<name>.conversationMessageDefinition-meta.xml and
<dir>/messagingChannels/<id>.messagingChannel-meta.xml. Elements kept under "x-salesforce" by
an import are written back in place. Properties with no Metadata API equivalent are reported as
warnings. Exit 0 on success, 1 when a definition is invalid, 2 on usage errors.

Options:
  --out <dir>   Where to write (required)
  -h, --help    Show this help
`;

/** Imports every metadata file under the given paths, then validates what was imported. */
export function importPaths(paths: readonly string[]): ImportedFile[] {
  const out: ImportedFile[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = findMetadataFiles(path);
    } catch (e) {
      out.push({ file: path, errors: [{ file: path, code: MetadataCode.ReadFile, message: `Cannot read: ${(e as Error).message}` }], warnings: [] });
      continue;
    }
    for (const file of files) out.push(withValidation(importMetadataFile(file)));
  }
  return withBindings(out);
}

/**
 * A channel's automated response bound to a message definition names a component: warned about
 * when that component isn't among the imported ones (the server checks its store too).
 */
function withBindings(files: ImportedFile[]): ImportedFile[] {
  const names = new Set(files.flatMap((f) => (f.component !== undefined ? [f.component.name] : [])));
  return files.map((f) => {
    const missing = (f.channel?.automatedResponses ?? []).flatMap((r, i) => (r.component !== undefined && !names.has(r.component) ? [{ r, i }] : []));
    if (missing.length === 0) return f;
    const warnings = missing.map(({ r, i }) => ({
      file: f.file,
      code: 'W_SF_UNRESOLVED_COMPONENT',
      message: `/automatedResponses/${i}: the ${r.type} response names the message definition ${r.component ?? ''}, which isn't among the imported files; the server must already store it`,
    }));
    return { ...f, warnings: [...f.warnings, ...warnings] };
  });
}

/** Adds the Parlance validation of an imported definition (its pointer in the message). */
function withValidation(f: ImportedFile): ImportedFile {
  const extra: MetadataProblem[] = [];
  const warnings: MetadataProblem[] = [];
  if (f.component !== undefined) {
    const v = validateComponent(f.component);
    for (const p of v.errors) extra.push({ file: f.file, code: p.code, message: `after import, ${p.pointer === '' ? '(root)' : p.pointer}: ${p.message}` });
    for (const p of v.warnings) warnings.push({ file: f.file, code: p.code, message: `after import, ${p.pointer === '' ? '(root)' : p.pointer}: ${p.message}` });
  }
  if (f.channel !== undefined) {
    const { id: _id, ...settings } = f.channel;
    const v = validateChannelSettings(settings);
    for (const p of v.errors) extra.push({ file: f.file, code: p.code, message: `after import, ${p.pointer === '' ? '(root)' : p.pointer}: ${p.message}` });
    for (const p of v.warnings) warnings.push({ file: f.file, code: p.code, message: `after import, ${p.pointer === '' ? '(root)' : p.pointer}: ${p.message}` });
  }
  return { ...f, errors: [...f.errors, ...extra], warnings: [...f.warnings, ...warnings] };
}

const pretty = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

export function runImport(args: string[], io: Output, usage: (message: string) => Error): number {
  const { values, positionals } = parseCommand('import', args, { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help === true) {
    io.stdout.write(IMPORT_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw usage('import needs at least one file, folder or DX project');
  const results = importPaths(positionals);
  for (const r of results) for (const p of [...r.errors, ...r.warnings]) io.stderr.write(`${formatMetadataProblem(p)}\n`);
  const components = results.flatMap((r) => (r.component !== undefined ? [r.component] : []));
  const channels = results.flatMap((r) => (r.channel !== undefined ? [r.channel] : []));
  if (values.out !== undefined) {
    for (const [folder, docs, key] of [['components', components, 'name'], ['channels', channels, 'id']] as const) {
      if (docs.length === 0) continue;
      mkdirSync(join(values.out, folder), { recursive: true });
      for (const d of docs) writeFileSync(join(values.out, folder, `${(d as unknown as Record<string, string>)[key]}.json`), pretty(d));
    }
  } else io.stdout.write(pretty({ components, channels }));
  const failed = results.filter((r) => r.errors.length > 0).length;
  io.stderr.write(`${results.length} file${results.length === 1 ? '' : 's'}: ${components.length} component(s), ${channels.length} channel(s); ${failed} with errors\n`);
  return failed > 0 ? 1 : 0;
}

function jsonFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(path, f));
}

/** Exports one JSON definition; returns the written path, or the problems. */
function exportFile(file: string, out: string): { written?: string; errors: MetadataProblem[]; warnings: MetadataProblem[] } {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    return { errors: [{ file, code: MetadataCode.ReadFile, message: `Cannot read the definition: ${(e as Error).message}` }], warnings: [] };
  }
  const locate = (ps: readonly MetadataProblem[]): MetadataProblem[] => ps.map((p) => ({ file, ...p }));
  if (isChannelType(doc.type)) {
    const id = typeof doc.id === 'string' ? doc.id : basename(file, '.json');
    const { id: _id, ...settings } = doc;
    const v = validateChannelSettings(settings);
    if (!v.valid) return { errors: v.errors.map((p) => ({ file, code: p.code, message: `${p.pointer}: ${p.message}` })), warnings: [] };
    const e = exportChannel({ ...(doc as unknown as ChannelDocument), id });
    const dir = join(out, 'messagingChannels');
    mkdirSync(dir, { recursive: true });
    const written = join(dir, `${id}.messagingChannel-meta.xml`);
    writeFileSync(written, writeDocument(e.root));
    return { written, errors: [], warnings: locate(e.warnings) };
  }
  const v = validateComponent(doc);
  if (!v.valid) return { errors: v.errors.map((p) => ({ file, code: p.code, message: `${p.pointer === '' ? '(root)' : p.pointer}: ${p.message}` })), warnings: [] };
  const def = doc as unknown as ImportedComponent;
  const e = exportComponent(def);
  const dir = join(out, 'conversationMessageDefinitions');
  mkdirSync(dir, { recursive: true });
  const written = join(dir, `${def.name}.conversationMessageDefinition-meta.xml`);
  writeFileSync(written, writeDocument(e.root));
  return { written, errors: [], warnings: locate(e.warnings) };
}

export function runExport(args: string[], io: Output, usage: (message: string) => Error): number {
  const { values, positionals } = parseCommand('export', args, { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help === true) {
    io.stdout.write(EXPORT_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw usage('export needs at least one definition file');
  if (values.out === undefined) throw usage('export needs --out <dir>');
  let failed = 0;
  for (const path of positionals) {
    let files: string[];
    try {
      files = jsonFiles(path);
    } catch (e) {
      io.stderr.write(`${path}: ${MetadataCode.ReadFile} Cannot read: ${(e as Error).message}\n`);
      failed++;
      continue;
    }
    for (const file of files) {
      const r = exportFile(file, values.out);
      for (const p of [...r.errors, ...r.warnings]) io.stderr.write(`${formatMetadataProblem(p)}\n`);
      if (r.written !== undefined) io.stdout.write(`${r.written}\n`);
      else failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}
