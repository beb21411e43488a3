/**
 * Top allocation sites of a sampling heap profile from `npm run bench -- --alloc-profile FILE`
 * (objects collected again included: what the request path leaves for the GC).
 * Usage: tsx bench/alloc-top.ts <file.heapprofile> [requests served] [N]
 * With the request count it also prints kilobytes allocated per request.
 */
import { readFileSync } from 'node:fs';

interface AllocationNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children?: readonly AllocationNode[];
}

const [file, requests, n = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: alloc-top.ts <file.heapprofile> [requests] [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { head: AllocationNode };
const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, 'node_modules/')
    .replace(/.*\/(src|plugins|bench)\//, '$1/');
const bySite = new Map<string, number>();
let total = 0;
const walk = (node: AllocationNode): void => {
  const { functionName, url, lineNumber } = node.callFrame;
  const site = `${functionName || '(anonymous)'}  ${shortUrl(url) || '(native)'}:${lineNumber + 1}`;
  bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  total += node.selfSize;
  for (const child of node.children ?? []) walk(child);
};
walk(profile.head);
const perRequest = requests ? ` = ${(total / Number(requests) / 1024).toFixed(1)} KB per request (${requests} requests)` : '';
process.stdout.write(`allocated ${(total / 2 ** 20).toFixed(1)} MB${perRequest}\n\n`);
for (const [site, bytes] of [...bySite.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
  process.stdout.write(`${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${site}\n`);
}
