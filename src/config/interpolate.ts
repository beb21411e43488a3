/**
 * `${VAR}` and `${VAR:-default}` in any string of the parsed YAML. Done on the parsed tree, not
 * the text, so a variable's value can never inject YAML structure.
 */
export interface InterpolationResult {
  readonly value: unknown;
  readonly errors: readonly string[];
}

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateEnv(tree: unknown, env: NodeJS.ProcessEnv): InterpolationResult {
  const errors: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      return node.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        if (value === '') return '';
        errors.push(`${path || '(root)'}: environment variable ${name} is not set`);
        return '';
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}.${i}`));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) out[key] = walk(value, path ? `${path}.${key}` : key);
      return out;
    }
    return node;
  };
  return { value: walk(tree, ''), errors };
}
