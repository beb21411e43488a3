/**
 * Top self-time functions (and files) of a V8 .cpuprofile, e.g. from
 * `npm run bench -- --profile bench/profiles`. Usage: tsx bench/profile-top.ts <file> [N].
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, n = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, 'node_modules/')
    .replace(/.*\/(src|plugins|bench)\//, '$1/');
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = shortUrl(url) || '(native)';
  const key = `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const pkg = where.startsWith('node_modules/')
    ? where
        .split('/')
        .slice(0, where.split('/')[1]?.startsWith('@') ? 3 : 2)
        .join('/')
    : where;
  byFile.set(pkg, (byFile.get(pkg) ?? 0) + us);
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const top = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
process.stdout.write(`total sampled ${(total / 1e6).toFixed(1)} s\n\nself time by function:\n`);
for (const [k, us] of top(byFunction)) process.stdout.write(`${pct(us)}  ${k}\n`);
process.stdout.write('\nself time by file / package:\n');
for (const [k, us] of top(byFile)) process.stdout.write(`${pct(us)}  ${k}\n`);
