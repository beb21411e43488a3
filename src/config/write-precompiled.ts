/**
 * `npm run build` runs this after tsc: writes dist/config-validator.cjs, the validator of the
 * configuration schema with the built-in plugins (see precompiled.ts).
 */
import { writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { loadPlugins } from '../plugins/loader.js';
import { configSchemaAjv } from './load.js';
import { PRECOMPILED_PATH, schemaKey } from './precompiled.js';
import { buildConfigSchema } from './schema.js';

const { registry } = await loadPlugins('./__no_user_plugins__');
const schema = buildConfigSchema(registry);
const ajv = configSchemaAjv({ code: { source: true } });
const validate = ajv.compile(schema);
const toCode = standaloneCode as unknown as (ajv: object, validate: unknown) => string;
const code = `${toCode(ajv, validate)}\nmodule.exports.validate = module.exports;\nmodule.exports.schemaKey = ${JSON.stringify(schemaKey(schema))};\n`;
writeFileSync(PRECOMPILED_PATH, code);
process.stdout.write(`wrote ${PRECOMPILED_PATH}\n`);
