/**
 * Text from clients or providers made safe for a response header: every byte outside visible
 * ASCII (and `%` itself) is percent-encoded as UTF-8, so the value is always writable (setHeader
 * throws on control and non-Latin-1 characters) and decodes back with decodeURIComponent; the
 * length is capped so a header can never grow without bound.
 */
const UNSAFE = /[^\x20-\x24\x26-\x7e]/gu;

export const MAX_HEADER_VALUE = 2000;

export function headerValue(text: string, maxLength = MAX_HEADER_VALUE): string {
  const encoded = text.replace(UNSAFE, (ch) => {
    // A lone surrogate cannot be encoded as UTF-8: it becomes U+FFFD.
    const safe = ch.length === 1 && ch >= '\ud800' && ch <= '\udfff' ? '\ufffd' : ch;
    return encodeURIComponent(safe);
  });
  if (encoded.length <= maxLength) return encoded;
  // Never cut a %XX escape in half.
  const cut = encoded.slice(0, maxLength);
  const partial = /%[0-9A-F]?$/.exec(cut);
  return partial ? cut.slice(0, partial.index) : cut;
}
