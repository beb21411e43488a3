/**
 * `npm run bench -- --soak`: mixed load on the gateway (20 s non-streaming, 10 s streaming,
 * repeated, c=32) for N minutes, sampling its RSS every 10 s. Growth is measured from the end of
 * the warm-up (the first minute, or a tenth of a shorter run) to the end; it must stay under 10%.
 */
import { runAutocannon, runStreaming } from './load.js';
import { rssMb } from './procs.js';
import type { Processes } from './setup.js';

const SAMPLE_MS = 10_000;

export async function runSoak(p: Processes, minutes: number, log: (line: string) => void): Promise<string> {
  const target = { url: `${p.gateway.url}/v1/chat/completions`, headers: { authorization: `Bearer ${p.key}` } };
  const body = (stream: boolean) =>
    JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello in one short sentence.' }], ...(stream ? { stream: true } : {}) });
  await p.setUpstreamDelay(0);
  const startedAt = Date.now();
  const endAt = startedAt + minutes * 60_000;
  const warmUpMs = Math.min(60_000, (minutes * 60_000) / 10);
  const samples: { t: number; rss: number }[] = [{ t: 0, rss: rssMb(p.gateway.pid) }];
  const timer = setInterval(() => {
    const sample = { t: Math.round((Date.now() - startedAt) / 1000), rss: rssMb(p.gateway.pid) };
    samples.push(sample);
    log(`t=${String(sample.t).padStart(4)} s  RSS ${sample.rss.toFixed(1)} MB`);
  }, SAMPLE_MS);
  let requests = 0;
  let errors = 0;
  try {
    while (Date.now() < endAt) {
      const left = (endAt - Date.now()) / 1000;
      const a = await runAutocannon(target, body(false), 32, Math.max(1, Math.min(20, Math.floor(left))));
      requests += a.latencies.length;
      errors += a.errors;
      if (Date.now() >= endAt) break;
      const s = await runStreaming(target, body(true), 32, Math.max(1, Math.min(10, (endAt - Date.now()) / 1000)));
      requests += s.latencies.length;
      errors += s.errors;
    }
  } finally {
    clearInterval(timer);
  }
  const end = { t: Math.round((Date.now() - startedAt) / 1000), rss: rssMb(p.gateway.pid) };
  samples.push(end);
  const afterWarmUp = samples.find((s) => s.t * 1000 >= warmUpMs) ?? samples[0]!;
  const growth = (end.rss - afterWarmUp.rss) / afterWarmUp.rss;
  const max = Math.max(...samples.map((s) => s.rss));
  const verdict = `RSS after warm-up (t=${afterWarmUp.t} s) ${afterWarmUp.rss.toFixed(1)} MB → at the end ${end.rss.toFixed(1)} MB: growth ${(growth * 100).toFixed(1)}% (limit 10%: ${growth < 0.1 ? 'met' : '**not met**'}); peak ${max.toFixed(1)} MB.`;
  log(verdict);
  return [
    '# Soak results',
    '',
    `${minutes} min of mixed load on Switchboard (20 s non-streaming, 10 s streaming, c=32, upstream 0 ms): ${requests} requests, ${errors} errors.`,
    '',
    verdict,
    '',
    '| t (s) | RSS (MB) |',
    '| --: | --: |',
    ...samples.map((s) => `| ${s.t} | ${s.rss.toFixed(1)} |`),
    '',
  ].join('\n');
}
