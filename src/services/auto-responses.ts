/**
 * Sending automated responses: resolves the auto-response components the responses name (their
 * latest stored version, compiled once per version) and renders each for the channel, in order,
 * with the event that triggered it (src/sessions/auto-responses.ts decides; this reads the
 * store). The HTTP server's inbound and session routes call it after their transaction commits.
 */
import type { ChannelType } from '../channels/profiles.js';
import type { AutoResponse } from '../consent/engine.js';
import { compileComponent, type CompiledComponent, type ComponentRenderOptions } from '../render/render.js';
import { sendAutoResponse, type AutoResponseTrigger, type ResolvedComponent, type SentAutoResponse } from '../sessions/auto-responses.js';

/** Reads a stored component's latest version. */
export type StoredComponentLookup = (name: string) => Promise<{ readonly name: string; readonly version: number; readonly definition: Record<string, unknown> } | undefined>;

/** Compiled components by name and version (a stored version never changes); the oldest is dropped past `size`. */
const CACHE_SIZE = 64;

export class AutoResponseSender {
  private readonly compiled = new Map<string, CompiledComponent>();

  constructor(
    private readonly lookup: StoredComponentLookup,
    private readonly options: ComponentRenderOptions = {},
  ) {}

  /** The responses as sent on `channel`, in order: texts as they are, components rendered (`now`: the render's clock). */
  async send(responses: readonly AutoResponse[], trigger: AutoResponseTrigger, channel: ChannelType, now: number): Promise<SentAutoResponse[]> {
    const out: SentAutoResponse[] = [];
    for (const r of responses) {
      const component = r.component === undefined ? undefined : await this.resolve(r.component);
      out.push(sendAutoResponse(r, trigger, channel, component, now));
    }
    return out;
  }

  private async resolve(name: string): Promise<ResolvedComponent | undefined> {
    const stored = await this.lookup(name);
    if (stored === undefined) return undefined;
    const key = `${stored.name}@${stored.version}`;
    let compiled = this.compiled.get(key);
    if (compiled === undefined) {
      compiled = compileComponent(stored.definition, this.options);
      this.compiled.set(key, compiled);
      if (this.compiled.size > CACHE_SIZE) this.compiled.delete(this.compiled.keys().next().value as string);
    }
    return { version: stored.version, compiled };
  }
}
