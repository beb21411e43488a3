/**
 * JWS compact verification with node:crypto only (HS256, RS256). The header's `alg` must be one
 * the operator allowed, and each algorithm has its own key: HS256 only ever uses the shared
 * secret and RS256 only the RSA public key, so "none" and HS/RS key confusion cannot verify.
 * Error messages are safe to send to the client (they never contain the token or a key).
 */
import { createHmac, timingSafeEqual, verify as verifySignature, constants, type KeyObject } from 'node:crypto';

export type JwtAlgorithm = 'HS256' | 'RS256';
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['HS256', 'RS256'];

/** Three base64url segments (the signature may be empty, which is then refused). */
export const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
export const MAX_JWT_LENGTH = 8192;

export class JwtError extends Error {
  override readonly name = 'JwtError';
}

export interface JwtKeys {
  /** The HS256 secret, resolved at call time (it may live in the vault); undefined if unavailable. */
  readonly hmacSecret?: () => Buffer | undefined;
  readonly rsaPublicKey?: KeyObject;
}

export interface JwtPolicy {
  readonly algorithms: readonly JwtAlgorithm[];
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
  readonly clockSkewS: number;
  readonly requireExp: boolean;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

export type JwtClaims = Readonly<Record<string, unknown>>;

/** Thrown when the server itself cannot verify (e.g. the secret is missing from the vault). */
export class JwtKeyUnavailableError extends Error {
  override readonly name = 'JwtKeyUnavailableError';
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw new JwtError(`JWT ${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwtError(`JWT ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function checkSignature(alg: JwtAlgorithm, signingInput: string, signature: Buffer, keys: JwtKeys): boolean {
  const data = Buffer.from(signingInput, 'ascii');
  if (alg === 'HS256') {
    const secret = keys.hmacSecret?.();
    if (!secret) throw new JwtKeyUnavailableError('the HS256 secret is not available');
    const expected = createHmac('sha256', secret).update(data).digest();
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
  if (!keys.rsaPublicKey) throw new JwtKeyUnavailableError('the RS256 public key is not configured');
  return verifySignature('sha256', data, { key: keys.rsaPublicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
}

function numericClaim(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new JwtError(`JWT ${name} claim is malformed`);
  return value;
}

function checkClaims(claims: Record<string, unknown>, policy: JwtPolicy): void {
  const now = policy.now / 1000;
  const exp = numericClaim(claims, 'exp');
  const nbf = numericClaim(claims, 'nbf');
  if (exp === undefined && policy.requireExp) throw new JwtError('JWT has no exp claim');
  if (exp !== undefined && now >= exp + policy.clockSkewS) throw new JwtError('JWT expired');
  if (nbf !== undefined && now + policy.clockSkewS < nbf) throw new JwtError('JWT is not valid yet');
  if (policy.issuer !== undefined && claims['iss'] !== policy.issuer) throw new JwtError('JWT issuer is not accepted');
  if (policy.audience !== undefined) {
    const aud = claims['aud'];
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(policy.audience)) throw new JwtError('JWT audience is not accepted');
  }
}

/** The payload's `iss` WITHOUT verification: only to pick the scheme instance that should verify. */
export function peekIssuer(token: string): unknown {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)['iss'] : undefined;
  } catch {
    return undefined;
  }
}

/** The verified claims; throws JwtError (client's fault) or JwtKeyUnavailableError (server's). */
export function verifyJwt(token: string, keys: JwtKeys, policy: JwtPolicy): JwtClaims {
  if (token.length > MAX_JWT_LENGTH || !JWT_SHAPE.test(token)) throw new JwtError('JWT is malformed');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = token.split('.');
  const header = decodeJson(headerPart, 'header');
  const alg = header['alg'];
  if (typeof alg !== 'string' || !(policy.algorithms as readonly string[]).includes(alg)) throw new JwtError('JWT algorithm is not allowed');
  // Extensions marked critical must be understood; this verifier understands none.
  if (header['crit'] !== undefined) throw new JwtError('JWT has unsupported critical header parameters');
  const signature = Buffer.from(signaturePart, 'base64url');
  if (signature.length === 0 || signature.toString('base64url') !== signaturePart) throw new JwtError('JWT signature is invalid');
  if (!checkSignature(alg as JwtAlgorithm, `${headerPart}.${payloadPart}`, signature, keys)) throw new JwtError('JWT signature is invalid');
  const claims = decodeJson(payloadPart, 'payload');
  checkClaims(claims, policy);
  return claims;
}
