/**
 * Metadata files on disk: which files are ConversationMessageDefinitions and MessagingChannels
 * (source format `X.conversationMessageDefinition-meta.xml`, metadata format
 * `X.conversationMessageDefinition`), finding them in folders and Salesforce DX projects
 * (`sfdx-project.json`'s package directories), and importing them with every problem located.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ComponentDefinition } from '../component/model.js';
import { importChannel, type ChannelDocument } from './channel.js';
import { importComponent } from './component.js';
import type { SalesforceExtension } from './reader.js';
import { MetadataCode, parseXml, type MetadataProblem } from './xml.js';

export type MetadataKind = 'component' | 'channel';

const SUFFIXES: ReadonlyArray<[string, MetadataKind, 'source' | 'metadata']> = [
  ['.conversationMessageDefinition-meta.xml', 'component', 'source'],
  ['.conversationMessageDefinition', 'component', 'metadata'],
  ['.messagingChannel-meta.xml', 'channel', 'source'],
  ['.messagingChannel', 'channel', 'metadata'],
];

/** What a file name says: the kind, the full name and the format; undefined for other files. */
export function metadataFileKind(path: string): { kind: MetadataKind; name: string; format: 'source' | 'metadata' } | undefined {
  const file = basename(path);
  for (const [suffix, kind, format] of SUFFIXES) if (file.endsWith(suffix) && file.length > suffix.length) return { kind, name: file.slice(0, -suffix.length), format };
  return undefined;
}

/** Whether a path is a metadata file, a DX project or a folder to search (not a Parlance JSON file). */
export function isMetadataPath(path: string): boolean {
  if (metadataFileKind(path) !== undefined) return true;
  try {
    return statSync(path).isDirectory() && (existsSync(join(path, 'sfdx-project.json')) || findMetadataFiles(path).length > 0);
  } catch {
    return false;
  }
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(p, out);
    } else if (metadataFileKind(p) !== undefined) out.push(p);
  }
}

/** The package directories of a DX project (`sfdx-project.json`), or undefined when `dir` isn't one. */
export function dxPackageDirectories(dir: string): string[] | undefined {
  const file = join(dir, 'sfdx-project.json');
  if (!existsSync(file)) return undefined;
  const project = JSON.parse(readFileSync(file, 'utf8')) as { packageDirectories?: Array<{ path?: unknown }> };
  return (project.packageDirectories ?? []).map((d) => (typeof d.path === 'string' ? join(dir, d.path) : undefined)).filter((d): d is string => d !== undefined);
}

/** Every metadata file under a path: the file itself, a DX project's package directories, or a folder searched recursively. Sorted. */
export function findMetadataFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const dir of dxPackageDirectories(path) ?? [path]) if (existsSync(dir)) walk(dir, out);
  return out;
}

export type ImportedComponent = ComponentDefinition & { readonly 'x-salesforce'?: SalesforceExtension };

/** One imported file. */
export interface ImportedFile {
  readonly file: string;
  readonly kind?: MetadataKind;
  readonly component?: ImportedComponent;
  readonly channel?: ChannelDocument;
  readonly errors: readonly MetadataProblem[];
  readonly warnings: readonly MetadataProblem[];
}

const located = (file: string, ps: readonly MetadataProblem[]): MetadataProblem[] => ps.map((p) => ({ file, ...p }));

/** Imports metadata text; `file` names it in problems and gives the kind and full name. */
export function importMetadataText(file: string, text: string): ImportedFile {
  const kind = metadataFileKind(file);
  if (kind === undefined) {
    return { file, errors: [{ file, code: MetadataCode.UnknownFile, message: 'Not a metadata file: expected a name ending .conversationMessageDefinition(-meta.xml) or .messagingChannel(-meta.xml)' }], warnings: [] };
  }
  const parsed = parseXml(text);
  if (!parsed.ok) return { file, kind: kind.kind, errors: [{ file, ...parsed.problem }], warnings: [] };
  if (kind.kind === 'component') {
    const r = importComponent(parsed.root, kind.name);
    return { file, kind: 'component', ...(r.definition !== undefined ? { component: r.definition } : {}), errors: located(file, r.errors), warnings: located(file, r.warnings) };
  }
  const r = importChannel(parsed.root, kind.name);
  return { file, kind: 'channel', ...(r.channel !== undefined ? { channel: r.channel } : {}), errors: located(file, r.errors), warnings: located(file, r.warnings) };
}

/** Reads and imports one metadata file; never throws. */
export function importMetadataFile(file: string): ImportedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { file, errors: [{ file, code: MetadataCode.ReadFile, message: `Cannot read the file: ${(e as Error).message}` }], warnings: [] };
  }
  return importMetadataText(file, text);
}

/** `file:line:column: CODE message` (the line and column when known). */
export function formatMetadataProblem(p: MetadataProblem): string {
  const where = p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : '';
  return `${p.file ?? '(input)'}${where}: ${p.code} ${p.message}`;
}
