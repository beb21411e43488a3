/** Signs test JWTs with node:crypto (HS256, RS256, or forged ones: alg none, HS256 keyed with a PEM). */
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signHs256(claims: Record<string, unknown>, secret: string | Buffer, header: Record<string, unknown> = {}): string {
  const input = `${b64url({ alg: 'HS256', typ: 'JWT', ...header })}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function signRs256(claims: Record<string, unknown>, privateKey: KeyObject, header: Record<string, unknown> = {}): string {
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', ...header })}.${b64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

export function unsigned(claims: Record<string, unknown>, alg = 'none'): string {
  return `${b64url({ alg, typ: 'JWT' })}.${b64url(claims)}.`;
}

export function rsaKeyPair(): { privateKey: KeyObject; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
