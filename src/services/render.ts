/**
 * The render service: renders a component for a channel (docs/rendering.md), inline (`parlance
 * render`, `POST /v1/render`) or stored (`POST /v1/components/{name}/render`: read the version,
 * compile it once, render). Both transports call it for the same job and shape its outcome
 * themselves (the CLI prints `renderOutput(outcome)`, the HTTP server the result or a 422 problem).
 */
import { compileComponent, type CompiledComponent } from '../render/render.js';
import type { ComponentRenderOptions, RenderCallOptions, RenderOutcome } from '../render/types.js';
import type { ComponentStore, StoredComponent } from '../store/components.js';

/** Compiles and renders an inline component definition (a request, or a component file's JSON). */
export function renderInline(definition: unknown, request: unknown, options: ComponentRenderOptions = {}, call: RenderCallOptions = {}): RenderOutcome {
  return compileComponent(definition, options).render(request, call);
}

/** A small LRU of compiled components, by name and version (a stored version never changes). */
class CompiledCache {
  private readonly map = new Map<string, { readonly version: number; readonly compiled: CompiledComponent }[]>();
  private entries = 0;
  /** The most recently used name: a hit on it needs no reordering (the common case: one hot component). */
  private newest: string | undefined;
  constructor(private readonly size: number) {}
  get(name: string, version: number, make: () => CompiledComponent): CompiledComponent {
    let versions = this.map.get(name);
    if (versions !== undefined && name !== this.newest) {
      this.map.delete(name);
      this.map.set(name, versions);
    }
    this.newest = name;
    for (const v of versions ?? []) if (v.version === version) return v.compiled;
    const compiled = make();
    if (versions === undefined) this.map.set(name, (versions = []));
    // Newest version first: the latest is what most renders ask for.
    versions.unshift({ version, compiled });
    this.entries++;
    while (this.entries > this.size) {
      const [oldest, list] = this.map.entries().next().value as [string, { version: number }[]];
      list.pop();
      this.entries--;
      if (list.length === 0) this.map.delete(oldest);
    }
    return compiled;
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

  /**
   * Renders the component's `version` (default: its latest); undefined when there is no such
   * component or version. Synchronous when the latest version is known without a query (an
   * embedded store that read or wrote it before, `ComponentStore.cachedLatest`): no promise per
   * render on the hot path.
   */
  renderStored(name: string, version: number | undefined, request: unknown, call: RenderCallOptions = {}): RenderOutcome | undefined | Promise<RenderOutcome | undefined> {
    if (version === undefined) {
      const known = this.components.cachedLatest(name);
      if (known !== null) return this.renderVersion(known, request, call);
    }
    return (version === undefined ? this.components.getLatest(name) : this.components.get(name, version)).then((stored) => this.renderVersion(stored, request, call));
  }

  private renderVersion(stored: StoredComponent | undefined, request: unknown, call: RenderCallOptions): RenderOutcome | undefined {
    if (stored === undefined) return undefined;
    return this.cache.get(stored.name, stored.version, () => compileComponent(stored.definition, this.options)).render(request, call);
  }
}
