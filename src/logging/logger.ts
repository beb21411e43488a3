/** pino, JSON lines on stdout, with the secrets-bearing paths redacted wherever they appear. */
import { pino, type Logger as PinoLogger } from 'pino';
import type { Logger } from '../plugins/types.js';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.authorization',
  '*["x-api-key"]',
  '*.api_key',
  '*.apiKey',
  '*.key',
  '*.value',
  '*.password',
  '*.secret',
  '*.token',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): PinoLogger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination as pino.DestinationStream | undefined,
  );
}

/**
 * The same logger without redaction, for lines built field by field from values that are never
 * secrets (the per-request line). Wildcard redaction costs about 14 µs per line (pino walks every
 * key against every `*.x` path), far more than writing the line; every other line keeps it.
 */
export function unredacted(logger: Logger): Logger {
  const child = (logger as Partial<Pick<PinoLogger, 'child'>>).child;
  if (typeof child !== 'function') return logger;
  return child.call(logger, {}, { redact: { paths: [], censor: '[redacted]' } }) as Logger;
}

export interface LineWriter {
  /** One line in the logger's own format: {"level","time",…fields,"msg"}. */
  write(level: 'info' | 'warn', fields: Readonly<Record<string, unknown>>, msg: string): void;
}

/**
 * Writes lines built from plain fields straight to the logger's destination, serialized by one
 * native JSON.stringify: pino serializes an object key by key in JS, which for the per-request
 * line cost ~5 KB of garbage and a few µs per request. Same format, level check and destination
 * as the logger; no redaction (the caller writes only non-secret fields). Undefined when
 * `logger` is not a pino logger (the caller then uses it normally).
 */
export function lineWriter(logger: Logger): LineWriter | undefined {
  const candidate = logger as Partial<PinoLogger> & Record<symbol, unknown>;
  const stream = candidate[pino.symbols.streamSym] as { write?: (line: string) => unknown } | undefined;
  const isLevelEnabled = candidate.isLevelEnabled;
  if (typeof isLevelEnabled !== 'function' || typeof stream?.write !== 'function') return undefined;
  const write = stream.write.bind(stream);
  return {
    write(level, fields, msg) {
      if (!isLevelEnabled.call(logger, level)) return;
      const body = JSON.stringify(fields);
      write(`{"level":"${level}","time":"${new Date().toISOString()}"${body.length > 2 ? `,${body.slice(1, -1)}` : ''},"msg":${JSON.stringify(msg)}}\n`);
    },
  };
}
