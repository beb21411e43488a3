/**
 * Native-chat file attachments `{name, type, data_b64}` → canonical parts. Images (png, jpeg,
 * gif, webp) become image parts (the router then needs a `vision` model); text-like files
 * (by MIME type or extension) are inlined as text; anything else is a 415. A file over
 * MAX_FILE_BYTES decoded is a 413; data that is not base64 is a 400.
 */
import { GatewayError } from '../../errors.js';
import type { ImagePart, TextPart } from '../canonical.js';

/** Per file, after base64 decoding. The JSON body limit (server.body_limit) caps the total. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

const TEXT_MIME_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/jsonl',
  'application/xml',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/javascript',
  'application/x-javascript',
  'application/typescript',
  'application/x-typescript',
  'application/x-sh',
  'application/x-python',
  'application/sql',
  'application/graphql',
  'application/x-httpd-php',
  'application/x-tex',
]);

const TEXT_EXTENSIONS = new Set(
  (
    'txt text log csv tsv json jsonl ndjson md markdown rst tex yaml yml toml ini cfg conf env xml html htm css scss less ' +
    'js mjs cjs jsx ts tsx mts cts vue svelte py pyi rb go rs java kt kts scala groovy c h cc cpp cxx hpp hh cs fs swift m mm ' +
    'php pl pm lua r jl dart ex exs erl hs clj sh bash zsh fish ps1 bat sql graphql gql proto dockerfile makefile gradle tf hcl'
  ).split(' '),
);

export interface NativeFile {
  readonly name: string;
  readonly type: string;
  readonly data_b64: string;
}

export interface DecodedFile {
  readonly part: TextPart | ImagePart;
  /** What the conversation history keeps of it (images are not stored). */
  readonly stored: string;
}

function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  if (base === 'dockerfile' || base === 'makefile') return base;
  const dot = base.lastIndexOf('.');
  return dot >= 0 ? base.slice(dot + 1) : '';
}

function mimeOf(type: string): string {
  return (type.split(';')[0] ?? '').trim().toLowerCase();
}

function isTextLike(mime: string, ext: string): boolean {
  if (mime.startsWith('text/') || TEXT_MIME_TYPES.has(mime) || mime.endsWith('+json') || mime.endsWith('+xml')) return true;
  return TEXT_EXTENSIONS.has(ext);
}

/** The base64 payload without a `data:…;base64,` prefix and whitespace; throws if it is not base64. */
function base64Payload(data: string, path: string): string {
  const comma = data.startsWith('data:') ? data.indexOf(',') : -1;
  const payload = (comma >= 0 ? data.slice(comma + 1) : data).replace(/\s+/g, '');
  const valid = /^[A-Za-z0-9+/]*={0,2}$/.test(payload) && payload.length % 4 !== 1 && !(payload.includes('=') && payload.length % 4 !== 0);
  if (!valid) throw new GatewayError('request_invalid', `${path}.data_b64: is not valid base64`);
  return payload;
}

function decodedSize(payload: string): number {
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  return Math.floor((payload.length * 3) / 4) - padding;
}

function safeName(name: string): string {
  return name.replace(/["<>\r\n]/g, '_').slice(0, 200);
}

function inline(name: string, mime: string, text: string): string {
  const type = mime === '' || mime === 'application/octet-stream' ? '' : ` type="${mime}"`;
  return `<file name="${safeName(name)}"${type}>\n${text}\n</file>`;
}

const UNSUPPORTED_HINT = 'send images (png, jpeg, gif, webp) or text files (txt, csv, json, md, source code)';

export function decodeFile(file: NativeFile, path: string): DecodedFile {
  const mime = mimeOf(file.type);
  const ext = extensionOf(file.name);
  const imageMime =
    IMAGE_TYPES[mime] !== undefined
      ? mime === 'image/jpg'
        ? 'image/jpeg'
        : mime
      : mime === '' || mime === 'application/octet-stream'
        ? IMAGE_EXTENSIONS[ext]
        : undefined;
  const textLike = imageMime === undefined && isTextLike(mime, ext);
  if (imageMime === undefined && !textLike) {
    throw new GatewayError(
      'unsupported_media',
      `${path}: the file "${safeName(file.name)}" has type "${mime || 'unknown'}", which cannot be sent to a model; ${UNSUPPORTED_HINT}`,
    );
  }

  const payload = base64Payload(file.data_b64, path);
  const size = decodedSize(payload);
  if (size > MAX_FILE_BYTES) {
    throw new GatewayError(
      'payload_too_large',
      `${path}: the file "${safeName(file.name)}" is ${size} bytes; the limit is ${MAX_FILE_BYTES} bytes (5 MB) per file`,
    );
  }

  if (imageMime !== undefined) {
    return { part: { type: 'image', source: { kind: 'base64', mediaType: imageMime, data: payload } }, stored: `[image: ${safeName(file.name)}]` };
  }
  const bytes = Buffer.from(payload, 'base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GatewayError('unsupported_media', `${path}: the file "${safeName(file.name)}" is not UTF-8 text; ${UNSUPPORTED_HINT}`);
  }
  if (text.includes('\u0000')) {
    throw new GatewayError('unsupported_media', `${path}: the file "${safeName(file.name)}" looks binary, not text; ${UNSUPPORTED_HINT}`);
  }
  const inlined = inline(file.name, mime, text.replace(/^\uFEFF/, ''));
  return { part: { type: 'text', text: inlined }, stored: inlined };
}
