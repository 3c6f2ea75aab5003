/** Salesforce metadata import (docs/salesforce-metadata.md): files in, stored components and channels out. */
import type { FastifyInstance } from 'fastify';
import type { MetadataProblem } from '../../metadata/xml.js';
import { checkMetadataFiles, type MetadataFileInput } from '../../services/metadata.js';
import type { ServerContext } from '../context.js';
import { HttpProblem, unprocessable } from '../problem.js';
import { ref } from '../schemas.js';

interface ImportBody {
  readonly files: readonly MetadataFileInput[];
  readonly dryRun?: boolean;
}

const checkFiles = (body: ImportBody, ctx: ServerContext): ReturnType<typeof checkMetadataFiles> => checkMetadataFiles(body.files, (name) => ctx.components.get(name), ctx.catalog);

const wireWarning = (w: MetadataProblem): MetadataProblem => ({
  ...(w.file !== undefined ? { file: w.file } : {}),
  ...(w.line !== undefined ? { line: w.line, column: w.column ?? 1 } : {}),
  ...(w.path !== undefined ? { path: w.path } : {}),
  code: w.code,
  message: w.message,
});

export function metadataRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post(
    '/metadata/convert',
    {
      config: { scopes: ['admin', 'service', 'preview'] },
      schema: {
        summary: 'Convert Salesforce metadata, storing nothing',
        description:
          'The same files as POST /v1/metadata/import, answered with the Parlance definitions they map to (components, and channels with their id) and the warnings; nothing is stored. The preview page opens a metadata file with it. Any problem answers 422, located like an import\'s.',
        tags: ['metadata'],
        body: ref('metadata-import-request'),
        response: { 200: ref('metadata-convert-response'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const { checked, errors } = await checkFiles(request.body as ImportBody, ctx);
      if (errors.length > 0) throw unprocessable(`The metadata could not be converted (${errors.length} ${errors.length === 1 ? 'problem' : 'problems'})`, errors, 'invalid-metadata');
      return {
        components: checked.flatMap((c) => (c.file.component !== undefined ? [c.file.component] : [])),
        channels: checked.flatMap((c) => (c.file.channel !== undefined ? [c.file.channel] : [])),
        warnings: checked.flatMap((c) => c.file.warnings.map(wireWarning)),
      };
    },
  );

  app.post(
    '/metadata/import',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Import Salesforce metadata',
        description:
          'ConversationMessageDefinition and MessagingChannel files (source or metadata format) become stored components and channels, so that an imported channel\'s keywords, consent type and automated responses decide inbound messages at once. Every file is checked first: any problem (malformed XML with its line and column, a value with no Parlance equivalent, an invalid definition) answers 422 and nothing is stored. Elements Parlance has no equivalent for are kept under x-salesforce and listed as warnings.',
        tags: ['metadata'],
        body: ref('metadata-import-request'),
        response: { 200: ref('metadata-import-response'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const body = request.body as ImportBody;
      const { checked, errors } = await checkFiles(body, ctx);
      if (errors.length > 0) throw unprocessable(`The metadata could not be imported (${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}); nothing was stored`, errors, 'invalid-metadata');
      // A channel's type never changes: checked before anything is stored.
      for (const { file, settings } of checked) {
        if (file.channel === undefined || settings === undefined) continue;
        const existing = await ctx.channels.get(file.channel.id);
        if (existing !== undefined && existing.settings.type !== settings.type) {
          throw new HttpProblem(409, 'channel-type-change', 'Conflict', `The channel ${file.channel.id} is a ${existing.settings.type} channel; a channel's type can't change (G:412). Nothing was stored.`, [
            { pointer: '/files', code: 'E_TYPE_CHANGE', message: `${file.file}: must stay ${existing.settings.type}` },
          ]);
        }
      }
      const warnings = checked.flatMap((c) => c.file.warnings.map(wireWarning));
      const components: Array<{ name: string; version?: number; file: string }> = [];
      const channels: Array<{ id: string; version?: number; file: string }> = [];
      // Components first: a channel's automated responses may name them.
      for (const { file } of checked) {
        if (file.component === undefined) continue;
        const stored = body.dryRun === true ? undefined : await ctx.components.put(file.component.name, file.component as unknown as Record<string, unknown>, ctx.clock());
        components.push({ name: file.component.name, ...(stored !== undefined ? { version: stored.version } : {}), file: file.file });
      }
      for (const { file, settings } of checked) {
        if (file.channel === undefined || settings === undefined) continue;
        if (body.dryRun === true) {
          channels.push({ id: file.channel.id, file: file.file });
          continue;
        }
        const saved = await ctx.channels.put(file.channel.id, settings, ctx.clock());
        if ('typeChange' in saved) {
          throw new HttpProblem(409, 'channel-type-change', 'Conflict', `The channel ${file.channel.id} is a ${saved.typeChange} channel; a channel's type can't change (G:412)`, [
            { pointer: '/files', code: 'E_TYPE_CHANGE', message: `${file.file}: must stay ${saved.typeChange}` },
          ]);
        }
        channels.push({ id: file.channel.id, version: saved.channel.version, file: file.file });
      }
      return { components, channels, warnings };
    },
  );
}
