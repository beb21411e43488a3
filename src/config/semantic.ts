/** Cross-references the schema cannot express: names that must exist, ids that must be unique. */
import { databaseUrlProblem } from '../db/url.js';
import type { Config } from './types.js';

export function checkReferences(config: Config): string[] {
  const errors: string[] = [];
  const databaseProblem = databaseUrlProblem(config.database.url);
  if (databaseProblem) errors.push(`database.url: ${databaseProblem}`);
  if (config.auth.public_key_prefix === config.auth.key_prefix)
    errors.push('auth.public_key_prefix: must differ from auth.key_prefix, so a public key can never pass for a secret one');
  const providers = new Set<string>();
  config.providers.forEach((p, i) => {
    if (providers.has(p.name)) errors.push(`providers.${i}.name: duplicate provider name "${p.name}"`);
    providers.add(p.name);
  });
  const models = new Set<string>();
  config.models.forEach((m, i) => {
    if (models.has(m.id)) errors.push(`models.${i}.id: duplicate model id "${m.id}"`);
    models.add(m.id);
    if (m.id === 'auto') errors.push(`models.${i}.id: "auto" is reserved for automatic routing`);
    if (!providers.has(m.provider)) errors.push(`models.${i}.provider: no provider named "${m.provider}" (known: ${[...providers].join(', ') || 'none'})`);
  });
  for (const [alias, target] of Object.entries(config.aliases)) {
    if (models.has(alias)) errors.push(`aliases.${alias}: an alias cannot reuse a model id`);
    if (!models.has(target)) errors.push(`aliases.${alias}: no model with id "${target}"`);
  }
  const known = (id: string) => models.has(id) || (config.aliases[id] !== undefined && models.has(config.aliases[id]));
  config.models.forEach((m, i) =>
    m.fallbacks.forEach((f, j) => {
      if (!known(f)) errors.push(`models.${i}.fallbacks.${j}: no model with id "${f}"`);
    }),
  );
  for (const [category, route] of Object.entries(config.routing.categories)) {
    route.models.forEach((id, j) => {
      if (!known(id)) errors.push(`routing.categories.${category}.models.${j}: no model with id "${id}"`);
    });
  }
  return errors;
}
