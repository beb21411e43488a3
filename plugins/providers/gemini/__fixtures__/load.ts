/** Reads the recorded bodies and SSE transcripts beside this file. */
import { readFileSync } from 'node:fs';
import { SseParser } from '../../../../src/upstream/sse-parser.js';

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** The `data` of every SSE event in a transcript. */
export function fixtureSse(name: string): string[] {
  const parser = new SseParser();
  return [...parser.push(fixtureText(name)), ...parser.end()].map((m) => m.data);
}
