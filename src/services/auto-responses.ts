/**
 * Sending automated responses: resolves the auto-response components the responses name (their
 * latest stored version, compiled once per version) and renders each for the channel, in order,
 * with the event that triggered it (src/sessions/auto-responses.ts decides; this reads the
 * store). A component rendered for a channel that declares globals sees the channel's declaration
 * merged with its own, and gets the channel's values (docs/auto-responses.md#globals). The HTTP
 * server's inbound and session routes call it after their transaction commits.
 */
import type { ChannelType } from '../channels/profiles.js';
import type { AutoResponse } from '../consent/engine.js';
import { mergeComponentGlobals } from '../consent/globals.js';
import type { ChannelSettings } from '../consent/model.js';
import { compileComponent, type CompiledComponent, type ComponentRenderOptions } from '../render/render.js';
import { globalsConflictResponse, sendAutoResponse, type AutoResponseTrigger, type ResolvedComponent, type SentAutoResponse } from '../sessions/auto-responses.js';

/** Reads a stored component's latest version. */
export type StoredComponentLookup = (name: string) => Promise<{ readonly name: string; readonly version: number; readonly definition: Record<string, unknown> } | undefined>;

/** Compiled components by name, version and the channel's globals declaration; the oldest is dropped past `size`. */
const CACHE_SIZE = 64;

/** The channel's globals: its declaration and values. */
export type ChannelGlobals = Pick<ChannelSettings, 'globals' | 'globalValues'>;

/** A stored component resolved for a channel: compiled, or refused because its globals disagree with the channel's. */
type Resolved = ResolvedComponent | { readonly version: number; readonly conflict: string };

export class AutoResponseSender {
  private readonly compiled = new Map<string, CompiledComponent>();

  constructor(
    private readonly lookup: StoredComponentLookup,
    private readonly options: ComponentRenderOptions = {},
  ) {}

  /**
   * The responses as sent on `channel`, in order: texts as they are, components rendered (`now`:
   * the render's clock), with the channel's globals when it declares some.
   */
  async send(responses: readonly AutoResponse[], trigger: AutoResponseTrigger, channel: ChannelType, now: number, globals: ChannelGlobals = {}): Promise<SentAutoResponse[]> {
    const out: SentAutoResponse[] = [];
    for (const r of responses) {
      const component = r.component === undefined ? undefined : await this.resolve(r.component, globals);
      if (component !== undefined && 'conflict' in component) out.push(globalsConflictResponse(r, trigger, component.version, component.conflict));
      else out.push(sendAutoResponse(r, trigger, channel, component, now, globals.globalValues));
    }
    return out;
  }

  private async resolve(name: string, globals: ChannelGlobals): Promise<Resolved | undefined> {
    const stored = await this.lookup(name);
    if (stored === undefined) return undefined;
    let definition = stored.definition;
    let key = `${stored.name}@${stored.version}`;
    if (globals.globals !== undefined) {
      // The component sees the channel's globals merged with its own; a member both declare must agree.
      const merge = mergeComponentGlobals(globals.globals, definition.globals, stored.name);
      const conflict = merge.conflicts[0];
      if (conflict !== undefined) return { version: stored.version, conflict: conflict.message };
      definition = { ...definition, globals: merge.globals };
      key += ` ${JSON.stringify(merge.globals)}`;
    }
    let compiled = this.compiled.get(key);
    if (compiled === undefined) {
      compiled = compileComponent(definition, this.options);
      this.compiled.set(key, compiled);
      if (this.compiled.size > CACHE_SIZE) this.compiled.delete(this.compiled.keys().next().value as string);
    }
    return { version: stored.version, compiled };
  }
}
