/**
 * A deterministic value that validates against a (simple) JSON Schema: what a model asked for
 * structured output answers. Strings are "sample", numbers 42, booleans true, enums their first value.
 */
type Schema = Record<string, unknown>;

function asSchema(v: unknown): Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : {};
}

export function sampleFromSchema(input: unknown, root: unknown = input, depth = 0): unknown {
  const schema = asSchema(input);
  if (depth > 8) return null;
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, part) => asSchema(node)[part], root);
    return sampleFromSchema(target, root, depth + 1);
  }
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  for (const combinator of ['anyOf', 'oneOf', 'allOf']) {
    const options = schema[combinator];
    if (Array.isArray(options) && options.length > 0) return sampleFromSchema(options[0], root, depth + 1);
  }
  const declared = schema['type'];
  const type = Array.isArray(declared) ? declared.find((t) => t !== 'null') : declared;
  switch (type) {
    case 'string':
      return 'sample';
    case 'number':
    case 'integer':
      return 42;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return [sampleFromSchema(schema['items'], root, depth + 1)];
    default: {
      const properties = asSchema(schema['properties']);
      return Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, sampleFromSchema(sub, root, depth + 1)]));
    }
  }
}
