/**
 * The render service: renders a component for a channel (docs/rendering.md), inline (`parlance
 * render`, `POST /v1/render`) or stored (`POST /v1/components/{name}/render`: read the version,
 * compile it once, render). Both transports call it for the same job and shape its outcome
 * themselves (the CLI prints `renderOutput(outcome)`, the HTTP server the result or a 422 problem).
 */
import { compileComponent, type CompiledComponent } from '../render/render.js';
import type { ComponentRenderOptions, RenderCallOptions, RenderOutcome } from '../render/types.js';
import type { ComponentStore } from '../store/components.js';

/** Compiles and renders an inline component definition (a request, or a component file's JSON). */
export function renderInline(definition: unknown, request: unknown, options: ComponentRenderOptions = {}, call: RenderCallOptions = {}): RenderOutcome {
  return compileComponent(definition, options).render(request, call);
}

/** A small LRU of compiled components, by name and version (a stored version never changes). */
class CompiledCache {
  private readonly map = new Map<string, CompiledComponent>();
  /** The most recently used key: a hit on it needs no reordering (the common case: one hot component). */
  private newest: string | undefined;
  constructor(private readonly size: number) {}
  get(key: string, make: () => CompiledComponent): CompiledComponent {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      if (key !== this.newest) {
        this.map.delete(key);
        this.map.set(key, hit);
        this.newest = key;
      }
      return hit;
    }
    this.newest = key;
    const made = make();
    this.map.set(key, made);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
    return made;
  }
}

/** Renders stored components, each version compiled once (a bounded cache). */
export class RenderService {
  private readonly cache: CompiledCache;

  constructor(
    private readonly components: ComponentStore,
    private readonly options: ComponentRenderOptions = {},
    cacheSize = 256,
  ) {
    this.cache = new CompiledCache(cacheSize);
  }

  /** Renders the component's `version` (default: its latest); undefined when there is no such component or version. */
  async renderStored(name: string, version: number | undefined, request: unknown, call: RenderCallOptions = {}): Promise<RenderOutcome | undefined> {
    const stored = version === undefined ? await this.components.getLatest(name) : await this.components.get(name, version);
    if (stored === undefined) return undefined;
    return this.cache.get(`${stored.name}@${stored.version}`, () => compileComponent(stored.definition, this.options)).render(request, call);
  }
}
