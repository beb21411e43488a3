#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` through the `prepare` script, or by
// `npm run build`). Compiling TypeScript at every start cost 10–14 s per command, so the sources
// run through tsx only when dist/ is missing or older than them (a checkout edited since the last
// build), with a note saying so. SWITCHBOARD_USE_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// The server's V8 heap tuning (docs: README "Performance"). Under load V8 grows the old
// generation up to 4× what survives a collection, so RSS climbed to ~250 MB with ~30 MB live;
// a fixed growth factor keeps it near what is live. SWITCHBOARD_V8_FLAGS replaces the default
// ("" turns it off). These flags are read at each collection, so setting them here works.
if (process.argv[2] === 'start') {
  const flags = process.env.SWITCHBOARD_V8_FLAGS ?? '--heap-growing-percent=50';
  if (flags.trim() !== '') setFlagsFromString(flags);
}

const root = new URL('../', import.meta.url);
const source = new URL('src/cli.ts', root);
const compiled = new URL('dist/src/cli.js', root);
const path = (url) => fileURLToPath(url);

/** The newest modification time of the TypeScript sources that dist/ is built from (tests excluded). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('__')) newest = Math.max(newest, newestSource(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

function compiledIsCurrent() {
  if (!existsSync(path(compiled))) return false;
  if (!existsSync(path(source)) || process.env.SWITCHBOARD_USE_DIST === '1') return true;
  const builtAt = statSync(path(compiled)).mtimeMs;
  return Math.max(newestSource(path(new URL('src', root))), newestSource(path(new URL('plugins', root)))) <= builtAt;
}

if (process.env.SWITCHBOARD_USE_SOURCE !== '1' && compiledIsCurrent()) {
  await import(compiled.href);
} else if (existsSync(path(source))) {
  if (process.env.SWITCHBOARD_USE_SOURCE !== '1') {
    process.stderr.write(
      `switchboard: dist/ is ${existsSync(path(compiled)) ? 'older than the sources' : 'missing'}; running the TypeScript sources (slow start). Run \`npm run build\` to compile.\n`,
    );
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  process.stderr.write('switchboard: dist/ is missing and there are no sources to run: reinstall, or run `npm run build` in a source checkout.\n');
  process.exit(1);
}
