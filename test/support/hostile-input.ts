/**
 * What a hostile user sends, as fast-check arbitraries: odd Unicode, deep
 * nesting, huge strings, prototype keys, malformed JSON, encoded path tricks
 * and header variants. Bodies are built as text, since a test cannot
 * JSON.stringify 100,000 levels of nesting itself.
 */
import fc from 'fast-check'

/** Characters that break naive string handling: NUL, lone surrogates, bidi overrides, zero-width, BOM, non-characters, separators. */
export const ODD_CHARS = [
  '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\ud800', '\udfff', '\udbff\udbff', '\ud83d', '\u202e', '\u202d', '\u2066', '\u2069',
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\ufffe', '\uffff', '\u2028', '\u2029', '\u00a0', '\u3000', '\u0301', '\u0338',
  'İ', 'ß', 'ǅ', 'ﬀ', '\u{10ffff}', '\u{1f600}', '\u{e0041}', '𝟘', '０', '。', '\t', '\r\n', '"', "'", '\\', '/', '<', '>', '&', '%00',
  '%', '../', '${x}', '{{x}}', '\u001b[31m',
]

export const oddString: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...ODD_CHARS), fc.string({ unit: 'binary', maxLength: 3 })), { minLength: 1, maxLength: 12 })
  .map((a) => a.join(''))

/** Odd, but without C0/C1 controls: what the API's own string rules accept (names, prompt arguments, messages). */
export const oddPrintable = oddString.map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')).filter((s) => s.length > 0)

/** Percent-encodes every byte of the UTF-8 form that is not unreserved (lone surrogates become U+FFFD, as on the wire). */
export const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('')

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf', '__defineGetter__', '__lookupSetter__']

/** `depth` levels of arrays or objects around a leaf, as JSON text. */
export function nestedText(depth: number, kind: 'array' | 'object' | 'mixed'): string {
  if (kind === 'array') return '['.repeat(depth) + '1' + ']'.repeat(depth)
  if (kind === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
  return '[{"a":'.repeat(depth >> 1) + '1' + '}]'.repeat(depth >> 1)
}

export const deepText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(1_000, 5_000, 20_000, 100_000), fc.constantFrom('array', 'object', 'mixed') as fc.Arbitrary<'array' | 'object' | 'mixed'>)
  .map(([d, k]) => nestedText(d, k))

/** A string of this many characters, as JSON text. */
export const hugeText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(10_000, 100_000, 900_000, 1_200_000), fc.constantFrom('x', 'é', '\u{1f600}', '\\u0000'))
  .map(([n, c]) => `"${c.repeat(Math.ceil(n / c.length))}"`)

/** A value that is somewhere it should not be, as JSON text. */
export const hostileValue: fc.Arbitrary<{ kind: string; text: string }> = fc.oneof(
  deepText.map((text) => ({ kind: 'deep', text })),
  hugeText.map((text) => ({ kind: 'huge', text })),
  oddString.map((s) => ({ kind: 'unicode', text: JSON.stringify(s) })),
  fc.constantFrom(...PROTO_KEYS).map((k) => ({ kind: 'proto', text: `{"${k}":{"polluted":true,"toString":1}}` })),
  fc.constantFrom('null', 'true', '0', '-0', '1e999', '[]', '{}', '""', '[null]', '1.7976931348623157e309').map((text) => ({ kind: 'type', text })),
)

/** Bodies that are not what the API takes, whatever the route. */
export const malformedBody: fc.Arbitrary<{ kind: string; body: string | Buffer }> = fc.oneof(
  fc.constantFrom(
    '{', '{"a":', '{"a":1,}', "{'a':1}", '{a:1}', '{"a":NaN}', '{"a":Infinity}', '{"a":1}{"b":2}', '{"a":1} x', '/* c */{}', '\ufeff{}',
    '[]', '[{}]', 'null', '0', '"str"', 'true', ' ', '\n\n', '{"a":"\\ud800"}', '{"a":"\\u00"}', '{"a":"\u0000"}', '{"__proto__":null}',
  ).map((body) => ({ kind: 'syntax', body })),
  // Invalid UTF-8: a lone continuation byte, an overlong "/", an encoded surrogate, 0xff.
  fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0xfe], [0xf8, 0x88, 0x80, 0x80, 0x80]).map((b) => ({
    kind: 'utf8', body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from(b), Buffer.from('"}')]),
  })),
  deepText.map((body) => ({ kind: 'deep', body })),
  fc.constantFrom(...PROTO_KEYS).map((k) => ({ kind: 'proto', body: `{"${k}":{"polluted":true}}` })),
  fc.constantFrom(...PROTO_KEYS).map((k) => ({ kind: 'proto', body: `{"${k}":{"polluted":true},"${k}":[1]}` })),
  fc.constant({ kind: 'huge', body: `{"name":"${'x'.repeat((1 << 20) + 10)}"}` }),
)

/**
 * Replacement for one path parameter, already percent-encoded: dot segments,
 * encoded slashes, double encoding, invalid escapes, matrix params, padding.
 * `id` is the real value, so tricks can be built around it.
 */
export const segmentTrick: fc.Arbitrary<(id: string) => string> = fc.oneof(
  fc.constantFrom(
    '%2e%2e', '%2E%2E', '%2e', '..%2f', '%2f', '%2F', '%252e%252e', '%252f', '%25', '%00', '%E0%A4%A', '%ff', '%c0%af', '%ed%a0%80',
    '%u002e', '%20', '~', '*', '%2a', '%7e', 'x'.repeat(3000), pct('\u202e\u200b'), pct('\ud83d\ude00'),
    '%22%3e%3cscript%3e', '%0d%0aX-Injected:%201', 'AAAAAAAAAAAAAAAAAAAAAA', '__proto__', '__id__', 'constructor', '%5f%5fproto%5f%5f',
  ).map((t) => () => t),
  fc.constantFrom(
    (id: string) => `${id};x=1`, (id: string) => `${id}%3b`, (id: string) => `${id}%2f..`, (id: string) => `${id}%2f`, (id: string) => `..%2f${id}`,
    (id: string) => `${id}%00`, (id: string) => `${id}%20`, (id: string) => `%20${id}`, (id: string) => id.toUpperCase(), (id: string) => id.toLowerCase(),
    (id: string) => `${id}%252f`, (id: string) => `${id}.json`, (id: string) => `${id}%09`, (id: string) => encodeURIComponent(encodeURIComponent(id)) + '%2525',
    (id: string) => [...id].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('') + '%2f',
  ),
)

/** Appended to the whole path (before any query): trailing slashes, dot segments, params. */
export const pathSuffix = fc.constantFrom('/', '//', '/.', '/..', '/%2e%2e', '/%2e', ';', ';jsessionid=1', '%2f', '%20', '/x', '.json', '%00')

/** Content-Type values the API must take as JSON. */
export const JSON_TYPES = ['application/json', 'APPLICATION/JSON', 'Application/Json; Charset=UTF-8', 'application/json;charset=utf-8', 'application/json; charset="utf-8"', 'application/json ; foo=bar', 'application/merge-patch+json', 'application/vnd.api+json']
/** Content-Type values the API must refuse for a body (415). */
export const NOT_JSON_TYPES = ['text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'json', 'application/', '*/*', 'application/xml', '']

/** Authorization values that identify nobody. */
export const BAD_AUTH: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer  ', 'Basic Zm9vOmJhcg==', 'Bearer x', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ.', 'Token abc', 'Bearer ' + 'A'.repeat(6000), 'Bearer \u00ff\u00fe'),
  // Control characters cannot be sent in a header at all (the client refuses them).
  fc.string({ unit: 'binary-ascii', maxLength: 80 }).map((s) => s.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '')),
)


/** If-Match values that are not one of this API's ETags. */
// `*` and a list naming the current tag match (RFC 9110 §13.1.1): not here.
export const BAD_IF_MATCH = ['W/"v1"', '"v98", "v99"', 'v1', '"1"', '""', '"v"', '"v-1"', '"v1.5"', '"v99999999999999999999999"', '"v1"x', ' ', 'x'.repeat(4000)]

export const ACCEPTS = ['*/*', 'application/json', 'application/problem+json', 'text/event-stream', 'text/html', 'text/event-stream;q=0', 'application/json, text/event-stream', 'image/png', '', 'garbage;;;=', '*/*;q=0']

/** Request headers the gateway reads in passing (tracing, CORS, caching, user agent): hostile values must change nothing. */
export const noiseHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    traceparent: fc.constantFrom('00-' + 'f'.repeat(32) + '-' + '0'.repeat(16) + '-01', 'zz', '00-xyz', 'x'.repeat(2000)),
    'x-cloud-trace-context': fc.constantFrom('abc/1;o=1', '0'.repeat(32) + '/x', ';;;', '\u00ff'),
    origin: fc.constantFrom('null', 'https://evil.example', 'https://app.example.test', 'http://[::1]', 'x'),
    'cache-control': fc.constantFrom('no-cache', 'no-store', 'max-age=-1', 'NO-CACHE'),
    'user-agent': fc.constantFrom('\u00ff\u00fe', 'x'.repeat(3000), ''),
    'x-forwarded-for': fc.constantFrom('127.0.0.1', '::1, 10.0.0.1', 'garbage'),
    'x-http-method-override': fc.constantFrom('DELETE', 'PUT'),
  },
  { requiredKeys: [] },
)
