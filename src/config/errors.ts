/** Turns ajv errors into `path.to.field: what is wrong` lines, all at once. */
import type { ErrorObject } from 'ajv';

export class ConfigError extends Error {
  readonly errors: readonly string[];
  readonly source: string | undefined;
  constructor(errors: readonly string[], source?: string) {
    super(`Invalid configuration${source ? ` in ${source}` : ''}:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'ConfigError';
    this.errors = errors;
    this.source = source;
  }
}

export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function formatAjvErrors(errors: readonly ErrorObject[]): string[] {
  const out = new Set<string>();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    switch (e.keyword) {
      case 'if':
      case 'anyOf':
        // the branch errors below say what is wrong
        break;
      case 'additionalProperties':
        out.add(`${join(path, String(e.params['additionalProperty']))}: unknown key`);
        break;
      case 'required':
        out.add(`${join(path, String(e.params['missingProperty']))}: is required`);
        break;
      case 'enum':
        out.add(`${path || '(root)'}: must be one of ${(e.params['allowedValues'] as unknown[]).map(String).join(', ')}`);
        break;
      case 'propertyNames':
        break;
      case 'const':
        break;
      default:
        out.add(`${path || '(root)'}: ${e.message ?? 'is invalid'}`);
    }
  }
  // a property-name failure carries its name in propertyName
  for (const e of errors) {
    if (e.propertyName !== undefined && e.keyword === 'enum') {
      out.delete(`${pointerToPath(e.instancePath) || '(root)'}: must be one of ${(e.params['allowedValues'] as unknown[]).map(String).join(', ')}`);
      out.add(
        `${join(pointerToPath(e.instancePath), e.propertyName)}: unknown name, must be one of ${(e.params['allowedValues'] as unknown[]).map(String).join(', ')}`,
      );
    }
  }
  return [...out];
}
