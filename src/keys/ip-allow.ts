/** allowed_ips: IPv4 / IPv6 addresses and CIDRs, checked with node:net's BlockList. */
import { BlockList, isIP } from 'node:net';

export function normalizeIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped?.[1] ?? ip;
}

/** Returns an error message for an invalid entry, or null. */
export function validateIpEntry(entry: string): string | null {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || address === undefined) return `"${entry}" is not an IP address or CIDR`;
  const family = isIP(address);
  if (family === 0) return `"${entry}" is not an IP address or CIDR`;
  if (bits !== undefined) {
    const max = family === 4 ? 32 : 128;
    if (!/^\d+$/.test(bits) || Number(bits) > max) return `"${entry}" has an invalid prefix length`;
  }
  return null;
}

export function buildAllowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

export function ipAllowed(list: BlockList, ip: string): boolean {
  const normalized = normalizeIp(ip);
  const family = isIP(normalized);
  if (family === 0) return false;
  return list.check(normalized, family === 6 ? 'ipv6' : 'ipv4');
}
