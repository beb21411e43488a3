#!/usr/bin/env node
// Runs the compiled CLI (dist/) when there is no source tree (the Docker image), else the
// TypeScript sources through tsx so a fresh checkout needs no build step.
import { existsSync } from 'node:fs';
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

if (existsSync(fileURLToPath(source)) && process.env.SWITCHBOARD_USE_DIST !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(compiled.href);
}
