/** Every error code in src/errors.ts is documented in the README's error table with its status. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';

it('documents every error code with its status', async () => {
  const readme = await readFile(join(import.meta.dirname, '../../README.md'), 'utf8');
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    expect(readme, `README is missing error code ${code}`).toMatch(new RegExp(`\\| \`${code}\` +\\| ${info.status} +\\|`));
  }
});
