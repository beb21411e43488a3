/**
 * `npm start`, the Docker image and the benchmark start the server with the same node flags, so
 * what the benchmark measures is what users run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, startNodeFlags } from '../../bench/setup.js';

describe('the start command', () => {
  it('reads the flags between node and the script (none today: README "Memory" says why)', () => {
    expect(startNodeFlags()).toEqual([]);
  });

  it('is the same in the Dockerfile as in npm start', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd!)).toEqual(['node', ...startNodeFlags(), 'bin/switchboard.js', 'start']);
  });

  it('the Dockerfile builds dist/ in the image and binds every interface inside the container', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    // Dependencies without the prepare script (no sources yet), the native addon rebuilt, then the build.
    expect(dockerfile).toMatch(/npm ci [^\n]*--ignore-scripts[^\n]*&& npm rebuild better-sqlite3/);
    expect(dockerfile.indexOf('RUN npm run build')).toBeGreaterThan(dockerfile.indexOf('COPY src ./src'));
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(dockerfile).toMatch(/ENV [^\n]*HOST=0\.0\.0\.0/);
    expect(dockerfile).toMatch(/USER node/);
  });
});
