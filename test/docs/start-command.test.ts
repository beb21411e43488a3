/**
 * `npm start`, the Docker image and the benchmark start the server with the same node flags
 * (the V8 young-generation size is one of the README's measured memory settings).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, startNodeFlags } from '../../bench/setup.js';

describe('the start command', () => {
  it('sets the young generation size that the README measured', () => {
    expect(startNodeFlags()).toContain('--max-semi-space-size=8');
  });

  it('is the same in the Dockerfile as in npm start', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd!)).toEqual(['node', ...startNodeFlags(), 'bin/switchboard.js', 'start']);
  });
});
