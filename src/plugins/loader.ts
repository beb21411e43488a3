/**
 * Fills a PluginRegistry: the built-ins, then every plugin file in the configured folder.
 * Runs at start and reload only. A file that fails to load is reported, naming the file.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILTIN_PLUGINS } from './builtins.js';
import { PluginRegistry } from './registry.js';
import type { AnyPlugin, PluginKind } from './types.js';

const KINDS: readonly PluginKind[] = ['provider', 'policy', 'auth', 'classifier'];
/** Folders of the built-in plugins, which share the default plugins dir and are loaded statically. */
const BUILTIN_FOLDERS = new Set(['providers', 'policies', 'auth', 'classifiers']);
const LOADABLE = /\.(m?js|ts)$/;

export interface LoadedPlugins {
  readonly registry: PluginRegistry;
  readonly errors: readonly string[];
}

export function isPluginDefinition(value: unknown): value is AnyPlugin {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    v['apiVersion'] === 1 &&
    typeof v['kind'] === 'string' &&
    (KINDS as readonly string[]).includes(v['kind']) &&
    typeof v['name'] === 'string' &&
    /^[a-z][a-z0-9-]{0,63}$/.test(v['name']) &&
    typeof v['description'] === 'string' &&
    typeof v['optionsSchema'] === 'object' &&
    v['optionsSchema'] !== null &&
    typeof v['create'] === 'function'
  );
}

async function pluginFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: string[] = [];
  for (const entry of entries.sort()) {
    if (entry.startsWith('.') || entry.endsWith('.d.ts') || /\.test\.(m?js|ts)$/.test(entry)) continue;
    const full = join(dir, entry);
    const info = await stat(full);
    if (info.isFile() && LOADABLE.test(entry)) files.push(full);
    else if (info.isDirectory() && !BUILTIN_FOLDERS.has(entry) && !entry.startsWith('__')) {
      for (const index of ['index.js', 'index.mjs', 'index.ts']) {
        const candidate = join(full, index);
        if (
          await stat(candidate).then(
            (s) => s.isFile(),
            () => false,
          )
        ) {
          files.push(candidate);
          break;
        }
      }
    }
  }
  return files;
}

export async function loadPlugins(dir: string, cwd = process.cwd()): Promise<LoadedPlugins> {
  const registry = new PluginRegistry();
  const errors: string[] = [];
  for (const plugin of BUILTIN_PLUGINS) registry.register(plugin, 'built-in');

  const folder = resolve(cwd, dir);
  let files: string[] = [];
  try {
    files = await pluginFiles(folder);
  } catch (err) {
    errors.push(`plugins.dir: cannot read ${dir}: ${(err as Error).message}`);
  }
  for (const file of files) {
    try {
      // A cache-busting query makes a reload pick up an edited plugin file.
      const mod = (await import(`${pathToFileURL(file).href}?v=${Date.now()}`)) as { default?: unknown };
      if (!isPluginDefinition(mod.default)) {
        errors.push(`plugins.dir: ${file}: the default export is not a plugin definition (apiVersion 1, kind, name, description, optionsSchema, create)`);
        continue;
      }
      registry.register(mod.default, file);
    } catch (err) {
      errors.push(`plugins.dir: ${file}: failed to load: ${(err as Error).message}`);
    }
  }
  return { registry, errors };
}
