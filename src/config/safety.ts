/**
 * Settings that are valid YAML but unsafe to run with: each one is a config error naming the
 * field and the safe alternative, so nothing starts half-protected.
 */
import { isIP } from 'node:net';
import type { Config } from './types.js';

/** proxy-addr's names for address ranges, accepted by Express's trust proxy. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

function validProxyEntry(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function checkTrustProxy(value: Config['server']['trust_proxy'], errors: string[]): void {
  if (value === true) {
    errors.push(
      "server.trust_proxy: true would believe any client-sent X-Forwarded-For (a client could spoof its IP past allowed_ips); set the number of proxy hops in front of Switchboard, or the proxies' addresses/CIDRs",
    );
    return;
  }
  const entries = typeof value === 'string' ? value.split(',').map((e) => e.trim()) : Array.isArray(value) ? value : [];
  entries.forEach((entry, i) => {
    if (!validProxyEntry(entry))
      errors.push(
        `server.trust_proxy${typeof value === 'string' ? '' : `.${i}`}: "${entry}" is not an IP address, a CIDR, or one of loopback, linklocal, uniquelocal`,
      );
  });
}

export function checkSafety(config: Config): string[] {
  const errors: string[] = [];
  checkTrustProxy(config.server.trust_proxy, errors);
  if (config.metrics.enabled && !config.metrics.token && !isLoopbackHost(config.server.host)) {
    errors.push(
      `metrics.token: required when server.host (${config.server.host}) is not a loopback address, so /metrics is not open to the network (or set metrics.enabled: false)`,
    );
  }
  const keyFormat = new RegExp(`^${config.auth.key_prefix}[0-9a-f]{48}$`);
  config.auth.admin_keys.forEach((key, i) => {
    if (!keyFormat.test(key))
      errors.push(
        `auth.admin_keys.${i}: must be a key of the form ${config.auth.key_prefix}<48 lowercase hex> (e.g. from \`npx switchboard keys create --admin\` or \`openssl rand -hex 24\`)`,
      );
  });
  return errors;
}
