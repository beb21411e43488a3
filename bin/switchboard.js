#!/usr/bin/env node
// Runs the compiled CLI (dist/) when there is no source tree (the Docker image), else the
// TypeScript sources through tsx so a fresh checkout needs no build step.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
