/** Plugins by kind and name; filled by the loader, read by config validation and the runtime. */
import type { AnyPlugin, PluginKind } from './types.js';

export interface RegisteredPlugin {
  readonly plugin: AnyPlugin;
  /** "built-in" or the file it came from. */
  readonly source: string;
}

export class PluginRegistry {
  private readonly byKind = new Map<PluginKind, Map<string, RegisteredPlugin>>();

  register(plugin: AnyPlugin, source: string): void {
    let kind = this.byKind.get(plugin.kind);
    if (!kind) this.byKind.set(plugin.kind, (kind = new Map()));
    const existing = kind.get(plugin.name);
    if (existing) throw new Error(`${plugin.kind} plugin "${plugin.name}" from ${source} clashes with the one from ${existing.source}`);
    kind.set(plugin.name, { plugin, source });
  }

  get(kind: PluginKind, name: string): AnyPlugin | undefined {
    return this.byKind.get(kind)?.get(name)?.plugin;
  }

  source(kind: PluginKind, name: string): string | undefined {
    return this.byKind.get(kind)?.get(name)?.source;
  }

  list(kind: PluginKind): AnyPlugin[] {
    return [...(this.byKind.get(kind)?.values() ?? [])].map((r) => r.plugin);
  }
}
