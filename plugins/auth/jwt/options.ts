/** Options of the `jwt` auth scheme, their JSON schema, and their defaults. */
import type { JSONSchemaType } from 'ajv';
import type { Scope } from '../../../src/plugins/types.js';
import { JWT_ALGORITHMS, type JwtAlgorithm } from './verify.js';

export interface JwtOptions {
  algorithms: JwtAlgorithm[];
  secret?: string;
  public_key?: string;
  issuer?: string;
  audience?: string;
  account_claim: string;
  scopes_claim: string;
  default_scopes: Scope[];
  allowed_scopes: Scope[];
  allow_admin: boolean;
  allow_unmetered: boolean;
  require_exp: boolean;
  clock_skew_s: number;
}

const SCOPES: Scope[] = ['chat', 'read', 'keys', 'admin'];

export const JWT_DEFAULTS: Readonly<Omit<JwtOptions, 'secret' | 'public_key' | 'issuer' | 'audience'>> = {
  algorithms: ['HS256'],
  account_claim: 'sub',
  scopes_claim: 'scope',
  default_scopes: ['chat', 'read'],
  // `keys` lets a token mint long-lived API keys: opt in by listing it.
  allowed_scopes: ['chat', 'read'],
  allow_admin: false,
  allow_unmetered: false,
  require_exp: true,
  clock_skew_s: 30,
};

const scopeList = (description: string, dflt: Scope[]) => ({
  type: 'array' as const,
  items: { type: 'string' as const, enum: SCOPES },
  uniqueItems: true as const,
  default: dflt,
  description,
});

export const jwtOptionsSchema: JSONSchemaType<JwtOptions> = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    algorithms: {
      type: 'array',
      items: { type: 'string', enum: [...JWT_ALGORITHMS] },
      minItems: 1,
      uniqueItems: true,
      default: [...JWT_DEFAULTS.algorithms],
      description: 'Accepted signature algorithms (the token header must name one): ["HS256"] and/or ["RS256"]; "none" is never accepted.',
    },
    secret: {
      type: 'string',
      nullable: true,
      minLength: 1,
      description: 'HS256 shared secret (at least 32 bytes): `vault:<name>`, `${ENV}` or a literal; a vault secret is read on every request.',
    },
    public_key: {
      type: 'string',
      nullable: true,
      minLength: 1,
      description: 'RS256 verification key: a PEM RSA public key (or X.509 certificate) of at least 2048 bits.',
    },
    issuer: { type: 'string', nullable: true, minLength: 1, description: 'When set, the token `iss` claim must equal it.' },
    audience: { type: 'string', nullable: true, minLength: 1, description: 'When set, the token `aud` claim (a string or an array) must contain it.' },
    account_claim: {
      type: 'string',
      minLength: 1,
      default: JWT_DEFAULTS.account_claim,
      description: 'The claim whose value is the Switchboard account id of the caller.',
    },
    scopes_claim: {
      type: 'string',
      minLength: 1,
      default: JWT_DEFAULTS.scopes_claim,
      description: 'The claim listing scopes, as a space-separated string or an array of strings.',
    },
    default_scopes: scopeList('Scopes given when the token has no scopes claim (never admin).', [...JWT_DEFAULTS.default_scopes]),
    allowed_scopes: scopeList('Scopes a token may grant itself; others in its claim are ignored (admin is governed by allow_admin).', [
      ...JWT_DEFAULTS.allowed_scopes,
    ]),
    allow_admin: { type: 'boolean', default: JWT_DEFAULTS.allow_admin, description: 'Whether a token whose scopes claim includes admin gets the admin scope.' },
    allow_unmetered: {
      type: 'boolean',
      default: JWT_DEFAULTS.allow_unmetered,
      description: 'Whether a token may name an unmetered account (billing.unmetered_accounts, e.g. the operator\'s "default"); off, such a token is a 401.',
    },
    require_exp: {
      type: 'boolean',
      default: JWT_DEFAULTS.require_exp,
      description: 'Whether tokens without an exp claim are refused (a token without one never expires).',
    },
    clock_skew_s: {
      type: 'integer',
      minimum: 0,
      maximum: 600,
      default: JWT_DEFAULTS.clock_skew_s,
      description: 'Seconds of clock difference tolerated when checking exp and nbf.',
    },
  },
};

/** Defaults are applied here too: ajv does not apply them inside the `anyOf` of auth.schemes. */
export function withDefaults(options: Readonly<Partial<JwtOptions>>): JwtOptions {
  const out: JwtOptions = {
    ...JWT_DEFAULTS,
    algorithms: [...JWT_DEFAULTS.algorithms],
    default_scopes: [...JWT_DEFAULTS.default_scopes],
    allowed_scopes: [...JWT_DEFAULTS.allowed_scopes],
  };
  for (const [key, value] of Object.entries(options)) if (value !== undefined && value !== null) (out as unknown as Record<string, unknown>)[key] = value;
  return out;
}
