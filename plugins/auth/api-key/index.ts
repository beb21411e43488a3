/** `api-key`: Switchboard keys from `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
import type { JSONSchemaType } from 'ajv';
import type { AuthPlugin, AuthRequest } from '../../../src/plugins/types.js';

type ApiKeyOptions = Record<string, never>;

const optionsSchema = { type: 'object', additionalProperties: false, properties: {}, required: [] } as unknown as JSONSchemaType<ApiKeyOptions>;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;
const MAX_KEY_LENGTH = 512;

export function presentedKey(req: AuthRequest): string | undefined {
  const header = req.headers['authorization'];
  const auth = Array.isArray(header) ? header[0] : header;
  if (auth !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth);
    if (match?.[1]) return match[1];
  }
  const xKey = req.headers['x-api-key'];
  const value = Array.isArray(xKey) ? xKey[0] : xKey;
  return value ? value.trim() : undefined;
}

const apiKey: AuthPlugin<ApiKeyOptions> = {
  apiVersion: 1,
  kind: 'auth',
  name: 'api-key',
  description: 'Switchboard API keys sent as a Bearer token or in X-Api-Key.',
  optionsSchema,
  create(_options, ctx) {
    return {
      authenticate(req) {
        const key = presentedKey(req);
        if (key === undefined || key.length > MAX_KEY_LENGTH || JWT_SHAPE.test(key)) return null;
        // The address is worked out (trust-proxy rules) only for keys with an IP allow-list.
        return ctx.keyring.verify(key, () => req.ip);
      },
    };
  },
};

export default apiKey;
