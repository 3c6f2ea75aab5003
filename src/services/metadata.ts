/**
 * The metadata import use case (docs/salesforce-metadata.md): Salesforce metadata files mapped to
 * Parlance definitions, each validated as the store would validate it, every problem located in
 * the request (`/files/<i>/content`, with the file's line and column). The HTTP server calls it
 * before storing anything.
 */
import type { ObjectCatalog } from '../catalog/catalog.js';
import { validateComponent } from '../component/validate.js';
import type { ChannelSettings } from '../consent/settings.js';
import { importMetadataText, type ImportedFile } from '../metadata/files.js';
import { checkChannelSettings, type ComponentLookup } from './channels.js';

/** A file as sent: its name (which gives the type and full name) and its XML text. */
export interface MetadataFileInput {
  readonly name: string;
  readonly content: string;
}

/** One checked file: the import, and a channel's validated settings. */
export interface CheckedMetadataFile {
  readonly file: ImportedFile;
  readonly settings?: ChannelSettings;
}

export interface MetadataCheckProblem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Imports and validates every file. A component an automated response names is looked up among
 * the files first, then with `lookup` (the store). Never throws for bad input.
 */
export async function checkMetadataFiles(files: readonly MetadataFileInput[], lookup: ComponentLookup, catalog?: ObjectCatalog): Promise<{ checked: CheckedMetadataFile[]; errors: MetadataCheckProblem[] }> {
  const errors: MetadataCheckProblem[] = [];
  const checked: CheckedMetadataFile[] = [];
  const imported = files.map((f) => importMetadataText(f.name, f.content));
  const batch = new Map(imported.flatMap((f) => (f.component !== undefined ? [[f.component.name, f.component] as const] : [])));
  const withBatch: ComponentLookup = async (name) => {
    const own = batch.get(name);
    return own !== undefined ? { definition: own as unknown as Record<string, unknown> } : lookup(name);
  };
  for (const [i, f] of files.entries()) {
    const file = imported[i] as ImportedFile;
    const pointer = `/files/${i}/content`;
    for (const e of file.errors) errors.push({ pointer, code: e.code, message: `${f.name}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.message}`, ...(e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : {}) });
    let settings: ChannelSettings | undefined;
    if (file.component !== undefined) {
      const v = validateComponent(file.component, catalog !== undefined ? { catalog } : {});
      for (const e of v.errors) errors.push({ pointer, code: e.code, message: `${f.name}: after import, ${e.pointer === '' ? '(root)' : e.pointer}: ${e.message}` });
    }
    if (file.channel !== undefined) {
      const { id: _id, ...rest } = file.channel;
      const v = await checkChannelSettings(rest, withBatch);
      for (const e of v.errors) errors.push({ pointer, code: e.code, message: `${f.name}: after import, ${e.pointer === '' ? '(root)' : e.pointer}: ${e.message}` });
      settings = v.settings;
    }
    checked.push({ file, ...(settings !== undefined ? { settings } : {}) });
  }
  return { checked, errors };
}
