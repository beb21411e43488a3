import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, lineWriter } from './logger.js';

function capture(level: string) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('lineWriter', () => {
  it('writes the same line as the pino logger would (keys, order, values), to the same destination', async () => {
    const { logger, lines } = capture('info');
    const fields = { event: 'request', requestId: 'req-1', status: 200, costUsd: 0.000125, keyId: null, skipped: undefined, text: 'quote " and \\ and \n' };
    logger.info(fields, 'request');
    lineWriter(logger)!.write('info', fields, 'request');
    await settle();
    expect(lines).toHaveLength(2);
    const [fromPino, fromWriter] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(fromWriter!)).toEqual(Object.keys(fromPino!));
    expect({ ...fromWriter, time: 0 }).toEqual({ ...fromPino, time: 0 });
    expect(Date.parse(String(fromWriter!['time']))).toBeGreaterThan(0);
  });

  it('respects the logger level', async () => {
    const { logger, lines } = capture('warn');
    const writer = lineWriter(logger)!;
    writer.write('info', { event: 'request' }, 'request');
    writer.write('warn', { event: 'request' }, 'request');
    await settle();
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['warn']);
  });

  it('is undefined for a logger that is not pino', () => {
    expect(lineWriter({ debug() {}, info() {}, warn() {}, error() {} })).toBeUndefined();
  });
});
