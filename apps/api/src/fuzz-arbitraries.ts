import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

/** Test-only: fast-check generators of hostile HTTP requests for fuzz.int.test.ts. */

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Limits {
  maxUploadBytes: number;
  maxScenes: number;
}

const cut = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

/** One line per request, cut short, for fast-check's counterexamples and the test's messages. */
export function describeRequest(r: FuzzRequest): string {
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, cut(v, 80)]));
  const body = r.body ? `${r.body.length} bytes ${JSON.stringify(cut(r.body.subarray(0, 300).toString('latin1'), 120))}` : 'none';
  return `${r.method} ${cut(r.path)} ${JSON.stringify(headers)} body=${body}`;
}

const withShortDescription = (r: FuzzRequest): FuzzRequest =>
  Object.defineProperty(r, fc.toStringMethod, { value: () => describeRequest(r), enumerable: false });

/** Percent-encodes every byte of the UTF-8 form that is not unreserved (a lone surrogate becomes U+FFFD). */
export const pct = (s: string) =>
  [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

const oddChars = [
  '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', '\u200b', '\u200e', '\u200f', '\u202e', '\u2028',
  '\ufeff', '\ufffd', '\uffff', '\ud800', '\udfff', '\ud83d', '😀', '👩‍👩‍👧', 'e\u0301', 'ﷺ', 'İ', '\u{10ffff}',
  '"', '\\', '%', '<script>', "'; DROP TABLE scripts; --", '\r', '\n', '\t', '${x}', '{{x}}',
];

/** Strings of odd Unicode: controls, NUL, bidi marks, lone surrogates, emoji, any code point. */
export const oddString = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...oddChars),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 30,
});

/** What Node's HTTP client lets through in a header value: tab, printable ASCII, Latin-1. */
export const headerValue = fc.string({
  unit: fc.oneof(fc.constantFrom('\t', 'é', 'ÿ', '\u0080', ' '), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })),
  maxLength: 40,
});

const screenplays = [
  'INT. KITCHEN - NIGHT\n\nMARA waits.\n',
  'Title: Fuzz\n\nINT. A - DAY\n\nA beat.\n\nEXT. B - NIGHT\n\nRain.\n',
  'A plain story with no scene headings at all.\n',
];
const screenplay = fc.oneof(
  fc.constantFrom(...screenplays),
  fc.tuple(fc.constantFrom(...screenplays), oddString, oddString).map(([s, a, b]) => `INT. ${a} - DAY\n\n${s}${b}\n`),
);
const json = fc.jsonValue({ maxDepth: 3 });

const uploadLike = fc.record(
  {
    title: fc.oneof(oddString, json, fc.constant('t'.repeat(301))),
    text: fc.oneof({ weight: 3, arbitrary: screenplay }, oddString, json),
    format: fc.oneof(fc.constantFrom('fountain', 'plain', 'auto'), oddString),
    extra: json,
  },
  { requiredKeys: ['text'] },
);
const analyzeLike = fc.record({ mode: fc.oneof(fc.constantFrom('full', 'partial', 'retry'), oddString, json), force: fc.oneof(fc.boolean(), json) }, { requiredKeys: [] });

const jsonType = fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, fc.constant('application/json; charset=utf-8'));
const textType = fc.oneof({ weight: 5, arbitrary: fc.constant('text/plain') }, fc.constantFrom('application/x-fountain', 'application/octet-stream', 'text/markdown'));

const contentType = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=latin1',
      'text/plain', 'text/plain; charset=utf-8', 'text/plain; charset=iso-8859-1', 'text/html', 'application/x-fountain',
      'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=----x', 'image/png',
      'application/json;;;', 'application/', '*/*', '', 'application/vnd.api+json', 'text/plain; charset="utf-8"',
    ),
  },
  headerValue,
);

interface Body {
  contentType?: string;
  encoding?: string;
  body?: Buffer;
}

/** Bodies: none, random bytes, 10k-deep JSON, sizes around the limit, odd Unicode, gzip (and a gzip bomb). */
export function bodyArbitrary(limits: Limits): fc.Arbitrary<Body> {
  const L = limits.maxUploadBytes;
  const deep = fc.tuple(fc.integer({ min: 100, max: 10_000 }), fc.nat(3)).map(([n, shape]) => {
    const text = [
      `${'['.repeat(n)}${']'.repeat(n)}`,
      `${'{"text":'.repeat(n)}"x"${'}'.repeat(n)}`,
      '{"mode":'.repeat(n),
      `{"title":"x","text":${'['.repeat(n)}${']'.repeat(n)}}`,
    ][shape]!;
    return Buffer.from(text);
  });
  const nearLimit = fc.tuple(fc.integer({ min: -40, max: 40 }), fc.nat(4)).map(([delta, kind]) => {
    const size = L + delta;
    const heading = 'INT. HALL - DAY\n\n';
    if (kind === 0) return { contentType: 'text/plain', body: Buffer.from(heading + 'w'.repeat(Math.max(0, size - heading.length))) };
    if (kind === 1) {
      const frame = JSON.stringify({ text: heading });
      return { contentType: 'application/json', body: Buffer.from(frame.replace('\\n"', `\\n${'x'.repeat(Math.max(0, size - frame.length))}"`)) };
    }
    if (kind === 2) return { contentType: 'application/json', body: Buffer.from(JSON.stringify({ text: '😀'.repeat(Math.ceil(size / 4)) })) };
    if (kind === 3) {
      const scenes = Array.from({ length: limits.maxScenes + 1 + Math.abs(delta) }, (_, i) => `INT. ROOM ${i} - DAY\n\nA beat.\n`);
      return { contentType: 'text/plain', body: Buffer.from(scenes.join('\n')) };
    }
    return { contentType: 'text/plain', body: Buffer.alloc(size * 10, 'y') };
  });
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ contentType: fc.option(contentType, { nil: undefined }) }) },
    { weight: 3, arbitrary: fc.record({ contentType, body: fc.uint8Array({ maxLength: 3_000 }).map((b) => Buffer.from(b)) }) },
    { weight: 2, arbitrary: fc.record({ contentType: fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'), body: deep }) },
    { weight: 2, arbitrary: nearLimit },
    { weight: 6, arbitrary: fc.record({ contentType: fc.oneof({ weight: 3, arbitrary: jsonType }, contentType), body: uploadLike.map((o) => Buffer.from(JSON.stringify(o))) }) },
    { weight: 3, arbitrary: fc.record({ contentType: fc.oneof({ weight: 3, arbitrary: jsonType }, contentType), body: analyzeLike.map((o) => Buffer.from(JSON.stringify(o))) }) },
    { weight: 4, arbitrary: fc.record({ contentType: fc.oneof({ weight: 3, arbitrary: textType }, contentType), body: fc.oneof(screenplay, oddString).map((s) => Buffer.from(s)) }) },
    { weight: 1, arbitrary: fc.record({ contentType, body: json.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        contentType: fc.constantFrom('text/plain', 'application/json'),
        encoding: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'gzip, gzip', 'x-unknown'),
        body: fc.oneof(
          fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
          screenplay.map((s) => gzipSync(s)),
          fc.constant(gzipSync(Buffer.alloc(L * 20, 'z'))),
        ),
      }),
    },
  );
}

/** Hostile requests: some anything-goes, some valid but for one odd field (where validation is most tested). */
export function requestArbitrary(o: { apiKey: string; ids: [scriptId: string, jobId: string]; limits: Limits }): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ weight: 3, arbitrary: anyRequest(o) }, { weight: 2, arbitrary: nearlyValidRequest(o) });
}

const idempotencyKey = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.constantFrom('retry-1', 'retry-2', 'retry-3') },
  fc.constantFrom('', 'k'.repeat(256)),
  headerValue,
);

function nearlyValidRequest(o: { apiKey: string; ids: [string, string] }): fc.Arbitrary<FuzzRequest> {
  const [scriptId, jobId] = o.ids;
  const auth = { authorization: `Bearer ${o.apiKey}` };
  const send = (method: 'POST' | 'PUT', path: string, contentType: string, body: string, key: string | undefined): FuzzRequest =>
    withShortDescription({ method, path, headers: { ...auth, 'content-type': contentType, ...(key === undefined ? {} : { 'idempotency-key': key }) }, body: Buffer.from(body) });
  const post = (path: string, contentType: string, body: string, key: string | undefined) => send('POST', path, contentType, body, key);
  const format = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('fountain', 'plain', 'auto') }, oddString);
  const rawScript = fc.tuple(fc.option(oddString, { nil: undefined }), format, screenplay, idempotencyKey);
  const rawQuery = (title: string | undefined, f: string) => `?${title === undefined ? '' : `title=${pct(title)}&`}format=${pct(f)}`;
  return fc.oneof(
    fc.tuple(uploadLike, idempotencyKey).map(([body, key]) => post('/api/scripts', 'application/json', JSON.stringify(body), key)),
    rawScript.map(([title, f, text, key]) => post(`/api/scripts${rawQuery(title, f)}`, 'text/plain', text, key)),
    // Revisions of the seeded script: once an analysis is queued for it, these get 409.
    fc.tuple(uploadLike, idempotencyKey).map(([body, key]) => send('PUT', `/api/scripts/${scriptId}`, 'application/json', JSON.stringify(body), key)),
    rawScript.map(([title, f, text, key]) => send('PUT', `/api/scripts/${scriptId}${rawQuery(title, f)}`, 'text/plain', text, key)),
    fc.tuple(analyzeLike, idempotencyKey).map(([body, key]) => post(`/api/scripts/${scriptId}/analyze`, 'application/json', JSON.stringify(body), key)),
    idempotencyKey.map((key) => post(`/api/jobs/${jobId}/retry-failed`, 'application/json', '', key)),
    fc
      .tuple(fc.constantFrom('limit', 'before', 'limit', 'order'), fc.oneof(oddString, fc.integer().map(String)))
      .map(([k, v]) => withShortDescription({ method: 'GET', path: `/api/dead-letters?${k}=${pct(v)}`, headers: auth })),
  );
}

/** Anything goes: method, path (valid and broken ids, bad %-escapes), query, auth, Idempotency-Key, headers, body. */
function anyRequest(o: { apiKey: string; ids: string[]; limits: Limits }): fc.Arbitrary<FuzzRequest> {
  const id = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...o.ids) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: oddString.map(pct) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%00', '..', '.', 'x'.repeat(3_000), '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '%20'),
    },
  );
  const templates = ['/api/scripts/{}', '/api/scripts/{}/scenes', '/api/scripts/{}/analyze', '/api/jobs/{}', '/api/jobs/{}/events', '/api/jobs/{}/cancel', '/api/jobs/{}/retry-failed'];
  const path = fc.oneof(
    { weight: 4, arbitrary: fc.constant('/api/scripts') },
    {
      weight: 2,
      arbitrary: fc.constantFrom('/api/scripts', '/api/dead-letters', '/api/openapi.json', '/healthz', '/readyz', '/api', '/api/', '/', '/api/jobs', '/api/scripts/', '//api//scripts', '/API/SCRIPTS', '/api/scripts/../jobs', '/api/./scripts'),
    },
    { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...templates), id).map(([t, i]) => t.replace('{}', i)) },
    { weight: 1, arbitrary: fc.array(fc.oneof(oddString.map(pct), fc.webSegment()), { maxLength: 5 }).map((s) => `/api/${s.join('/')}`) },
  );
  const queryValue = fc.oneof(oddString, fc.integer().map(String), fc.constantFrom('1e400', '-1', '0', '1', '200', '201', '9007199254740993', 'NaN', '0x10', ''));
  const query = fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    fc.webQueryParameters().map((q) => `?${q}`),
    fc
      .array(fc.tuple(fc.constantFrom('limit', 'before', 'title', 'format', 'mode', 'force', '__proto__', 'limit[]', 'a[b][c]'), queryValue), { maxLength: 4 })
      .map((pairs) => `?${pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')}`),
    fc.constantFrom('?%', '?%zz=1', '?title=%00', '?title=%ED%A0%80', '?&&&', '?=', '?limit=50&limit=50', `?title=${'t'.repeat(5_000)}`),
  );
  const method = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('GET', 'POST') },
    { weight: 2, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE') },
    { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'BREW', 'PURGE', 'M-SEARCH') },
  );
  const auth = fc.oneof(
    { weight: 12, arbitrary: fc.constant({ authorization: `Bearer ${o.apiKey}` }) },
    fc.constant({ 'x-api-key': o.apiKey }),
    fc.constant({}),
    headerValue.map((v) => ({ authorization: `Bearer ${v}` })),
    headerValue.map((v) => ({ authorization: v })),
    headerValue.map((v) => ({ 'x-api-key': v })),
    fc.constant({ authorization: `Bearer ${o.apiKey}x` }),
    fc.constant({ authorization: `Basic ${Buffer.from(`u:${o.apiKey}`).toString('base64')}` }),
  );
  const extra = fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    fc.constant({ 'x-pad': 'a'.repeat(20_000) }),
    fc.constant({ 'transfer-encoding': 'chunked' }),
    fc.record({ accept: headerValue, 'accept-encoding': headerValue, 'x-forwarded-for': headerValue, 'accept-charset': headerValue }),
  );
  return fc
    .record({ method, path, query, auth, idempotencyKey, extra, body: bodyArbitrary(o.limits) })
    .map(({ method: m, path: p, query: q, auth: a, idempotencyKey: k, extra: e, body: b }) =>
      withShortDescription({
        method: m,
        path: p + q,
        headers: {
          ...a,
          ...(b.contentType !== undefined ? { 'content-type': b.contentType } : {}),
          ...(b.encoding !== undefined ? { 'content-encoding': b.encoding } : {}),
          ...(k !== undefined ? { 'idempotency-key': k } : {}),
          ...e,
        },
        ...(b.body !== undefined ? { body: b.body } : {}),
      }),
    );
}

/** Bytes written straight to a socket: garbage, and HTTP that Node's parser or Express must refuse. */
export function rawBytesArbitrary(o: { apiKey: string }): fc.Arbitrary<Buffer> {
  const auth = `Authorization: Bearer ${o.apiKey}\r\n`;
  const crafted = fc.constantFrom(
    `GET /api/scripts/%zz HTTP/1.1\r\nHost: x\r\n${auth}\r\n`,
    'POST /api/scripts HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    `POST /api/scripts HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: text/plain\r\nContent-Length: 100\r\n\r\nINT. A - DAY`,
    `POST /api/scripts HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nINT\r\n0\r\n\r\n`,
    `POST /api/scripts HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{"tex`,
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
    'GET /api/openapi.json HTTP/9.9\r\nHost: x\r\n\r\n',
    'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/openapi.json HTTP/1.1\r\n\r\n',
    'GET /api/openapi.json HTTP/1.1\nHost: x\n\n',
    'GET /api/openapi.json HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    'GET /api/openapi.json HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n',
    'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n',
    `POST /api/scripts HTTP/1.1\r\nHost: x\r\n${auth}Expect: 100-continue\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\n\u0000\u0001\u0002abcd`,
    `POST /api/scripts HTTP/1.1\r\nHost: x\r\n${auth}Expect: 100-continue\r\nContent-Type: text/plain\r\nContent-Length: 1000000000\r\n\r\nINT.`,
    `GET /api/dead-letters HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${o.apiKey}\u00ff\r\n\r\n`,
  );
  return fc.oneof(
    crafted.map((s) => Buffer.from(s, 'latin1')),
    fc.uint8Array({ minLength: 1, maxLength: 2_048 }).map((b) => Buffer.from(b)),
    fc
      .tuple(fc.constantFrom('GET ', 'POST ', 'PUT ', 'GET /api/scripts HTTP/1.1\r\n'), fc.uint8Array({ maxLength: 512 }))
      .map(([start, rest]) => Buffer.concat([Buffer.from(start), rest, Buffer.from('\r\n\r\n')])),
  );
}
