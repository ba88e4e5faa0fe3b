import fc from 'fast-check';
import { TASK_STATUSES } from '../../../src/core/types.js';
import { wavBuffer } from '../../helpers/multipart.js';

/**
 * Generators for requests a careless or hostile client might send to Hark:
 * every route, with parameters, bodies and headers anywhere from valid to
 * absurd. Known-good values (real ids, statuses, formats) are mixed in so
 * the fuzzer also reaches the code behind the validation.
 */

/** The API's routes; `:id` and `:tid` are filled by the generators. GET /api/events is fuzzed over sockets. */
export const ROUTES = [
  ['GET', '/api/queue'],
  ['POST', '/api/queue/pause'],
  ['POST', '/api/queue/resume'],
  ['POST', '/api/tasks/:id/retry'],
  ['POST', '/api/tasks/:id/cancel'],
  ['POST', '/api/tasks/:id/move-to-front'],
  ['POST', '/api/tasks/retry-failed'],
  ['POST', '/api/tasks/clear-completed'],
  ['POST', '/api/tasks/clear-cancelled'],
  ['DELETE', '/api/tasks/:id'],
  ['GET', '/api/transcriptions'],
  ['GET', '/api/transcriptions/:tid'],
  ['GET', '/api/transcriptions/:tid/audio'],
  ['GET', '/api/transcriptions/:tid/export'],
  ['PATCH', '/api/transcriptions/:tid'],
  ['DELETE', '/api/transcriptions/:tid'],
  ['POST', '/api/transcriptions/:tid/restore'],
  ['POST', '/api/imports'],
  ['GET', '/api/recordings/state'],
  ['POST', '/api/recordings/start'],
  ['POST', '/api/recordings/cancel'],
  ['POST', '/api/recordings'],
  ['POST', '/api/transcribe-now'],
  ['GET', '/api/health'],
  ['GET', '/'],
  ['GET', '/tasks'],
  ['GET', '/index.html'],
] as const;

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;

/** `arbitrary` one time in `oneIn`, null otherwise. */
function rarely<T>(arbitrary: fc.Arbitrary<T>, oneIn = 8): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: oneIn - 1 }, { arbitrary, weight: 1 });
}

/** Numbers spelled every way a parser might trip on. */
const numberish = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '-0',
    '0',
    '1e309',
    '1e-9',
    '0x10',
    '0b1',
    '1.5',
    ' 1',
    '1 ',
    '+1',
    '9007199254740993',
    '99999999999999999999999999',
    '',
    'null',
    'true',
    '[]',
    '{}',
  ),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).map(String),
  fc.double().map(String),
);

/** Any text: ASCII, any Unicode (lone surrogates included), control characters. */
const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '../../etc/passwd',
    '..%2f..%2f',
    '%00',
    '\u0000',
    'a\r\nb',
    '<script>',
    "' OR 1=1 --",
    '"*',
  ),
);

/** A path segment as sent: mostly percent-encoded, sometimes raw characters a URL may hold. */
const segment = (known: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...known), weight: 3 },
    { arbitrary: numberish.map(encodeURIComponent), weight: 3 },
    { arbitrary: anyText.map(safeEncode), weight: 2 },
    {
      arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%2F', '%5c', '%00', '%', '%zz', '%E0%A4%A'),
      weight: 1,
    },
  );

/** encodeURIComponent throws on lone surrogates: those go out as U+FFFD. */
export function safeEncode(text: string): string {
  return encodeURIComponent(text.replace(/\p{Cs}/gu, '\ufffd'));
}

const cursorLike = fc.oneof(
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
  fc
    .array(fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 })), { maxLength: 4 })
    .map((values) => Buffer.from(JSON.stringify(values)).toString('base64url')),
  fc.stringMatching(/^[A-Za-z0-9_-]{0,600}$/),
);

const queryKey = fc.oneof(
  { arbitrary: fc.constantFrom('status', 'limit', 'cursor', 'q', 'format'), weight: 6 },
  {
    arbitrary: fc.constantFrom('limit[]', 'status[0]', '__proto__', 'constructor', 'cursor[a]', 'q.x', ''),
    weight: 1,
  },
  { arbitrary: anyText, weight: 1 },
);

const queryValue = fc.oneof(
  fc.constantFrom(...TASK_STATUSES, 'txt', 'srt', 'vtt', 'json', 'docx'),
  numberish,
  cursorLike,
  anyText,
);

/** A query string: known keys and odd ones, repeated keys (arrays), empty values, missing '='. */
export const queryString = fc
  .array(fc.tuple(queryKey, queryValue, fc.constantFrom('=', '', '=')), { maxLength: 5 })
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([key, value, eq]) => `${safeEncode(key)}${eq}${eq ? safeEncode(value) : ''}`).join('&')}`,
  );

export interface Target {
  method: string;
  url: string;
}

/** A route with its parameters filled in, maybe under another method, maybe with extra segments. */
export function target(known: { taskIds: string[]; transcriptionIds: string[] }): fc.Arbitrary<Target> {
  return fc
    .record({
      route: fc.constantFrom(...ROUTES),
      otherMethod: rarely(fc.constantFrom(...METHODS)),
      id: segment(known.taskIds),
      tid: segment(known.transcriptionIds),
      extra: rarely(segment(['x', '', 'audio'])),
      query: queryString,
    })
    .map(({ route, otherMethod, id, tid, extra, query }) => {
      const path = route[1].replace(':id', id).replace(':tid', tid) + (extra === null ? '' : `/${extra}`);
      return { method: otherMethod ?? route[0], url: path + query };
    });
}

/** A header value HTTP allows: visible ASCII and spaces, no leading or trailing space. */
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,60}[\x21-\x7e])?$/),
  fc.constantFrom('', '0', '-1', 'bytes=0-', 'bytes=5-2', 'bytes=-0', 'bytes=99999999999999999999-', 'gzip'),
);

const headerName = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,24}$/);

/** Content types, well-formed and not. */
export const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16le',
    'APPLICATION/JSON',
    'application/json;;',
    'text/plain',
    'text/plain; charset=utf-8',
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'multipart/form-data; boundary=x',
    'multipart/mixed; boundary=x',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    'audio/wav',
    '*/*',
    ';',
  ),
  headerValue,
);

/** Headers on top of the request: well-known ones with odd values and made-up ones. */
export const extraHeaders = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'accept',
          'accept-encoding',
          'accept-language',
          'range',
          'if-none-match',
          'if-modified-since',
          'if-range',
          'content-encoding',
          'cookie',
          'x-forwarded-for',
          'x-forwarded-host',
          'referer',
          'user-agent',
          'expect',
          'last-event-id',
          'upgrade',
        ),
        headerName,
      ),
      headerValue,
    ),
    { maxLength: 4 },
  )
  .map((pairs) => {
    const headers: Record<string, string> = {};
    // Headers the test owns: Host (a foreign one is refused first; attacks.test.ts covers that),
    // and the framing headers, which inject computes from the payload.
    for (const [name, value] of pairs) {
      if (!['host', 'content-length', 'transfer-encoding', 'connection'].includes(name.toLowerCase()))
        headers[name] = value;
    }
    return headers;
  });

/** One part of a hand-made multipart body. */
const part = fc.record({
  name: fc.oneof({ arbitrary: fc.constant('file'), weight: 4 }, fc.constantFrom('upload', ''), anyText),
  filename: fc.option(
    fc.oneof(
      fc.constantFrom(
        'a.wav',
        '../../x.wav',
        '/etc/passwd',
        'C:\\x\\y.wav',
        '.hidden.wav',
        'a\u0000b.wav',
        '',
      ),
      anyText,
    ),
  ),
  contentType: fc.option(contentType),
  content: fc.oneof(
    { arbitrary: fc.constant(wavBuffer(0.05)), weight: 3 },
    fc.constant(Buffer.from('{"fake":{"text":"hi"}}')),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    fc.string().map((text) => Buffer.from(text)),
  ),
});

/** The import's text fields (last_modified, allow_duplicate), valid or not, before or between files. */
const fieldPart = fc.record({
  name: fc.constantFrom('last_modified', 'allow_duplicate'),
  filename: fc.constant(null),
  contentType: fc.constant(null),
  content: fc
    .oneof(fc.constantFrom('1', '0', 'true', '1700000000000', '-5', '1e400'), anyText)
    .map((text) => Buffer.from(text)),
});

/** A multipart body: sometimes with the wrong boundary, cut short, or with raw bytes in its headers. */
export const multipartBody = fc
  .record({
    parts: fc.array(fc.oneof({ arbitrary: part, weight: 3 }, fieldPart), { maxLength: 4 }),
    boundary: fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/),
    declared: rarely(fc.stringMatching(/^[A-Za-z0-9-]{0,20}$/)),
    cutAt: rarely(fc.nat(), 4),
    raw: fc.boolean(),
    // Half the bodies let a file in that is already a note, so the fuzzer gets past that refusal too.
    allowDuplicates: fc.boolean(),
  })
  .map(({ parts, boundary, declared, cutAt, raw, allowDuplicates }) => {
    const chunks: Buffer[] = [];
    const allow = { name: 'allow_duplicate', filename: null, contentType: null, content: Buffer.from('1') };
    for (const p of allowDuplicates ? [allow, ...parts] : parts) {
      const quote = (text: string) => (raw ? text : text.replace(/["\r\n]/g, '_'));
      let disposition = `form-data; name="${quote(p.name)}"`;
      if (p.filename !== null) disposition += `; filename="${quote(p.filename)}"`;
      const type = p.contentType === null ? '' : `Content-Type: ${p.contentType}\r\n`;
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`, 'utf8'));
      chunks.push(p.content, Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    let payload = Buffer.concat(chunks);
    if (cutAt !== null) payload = payload.subarray(0, cutAt % (payload.length + 1));
    return { payload, contentType: `multipart/form-data; boundary=${declared ?? boundary}` };
  });

export interface Body {
  payload?: Buffer | string;
  contentType?: string;
}

/** Any body: none, JSON (valid or not), text, bytes, or multipart, under any content type. */
export const body: fc.Arbitrary<Body> = fc.oneof(
  fc.constant({}),
  fc.record({ payload: fc.jsonValue().map((value) => JSON.stringify(value) ?? ''), contentType }),
  fc.record({
    payload: fc
      .record({ path: fc.oneof(anyText, fc.constantFrom('a.wav', '/etc/passwd', 'imports/../a.wav')) })
      .map((value) => JSON.stringify(value)),
    contentType: fc.constant('application/json'),
  }),
  fc.record({ payload: anyText, contentType }),
  fc.record({ payload: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)), contentType }),
  multipartBody,
  multipartBody.map(({ payload }) => ({ payload, contentType: 'multipart/form-data' })),
);

/** Requests to the upload routes, mostly well-formed multipart, so the fuzzer gets past the parser. */
export const uploadRequest = fc.record({
  url: fc.constantFrom('/api/imports', '/api/recordings', '/api/recordings/start', '/api/transcribe-now'),
  body: fc.oneof({ arbitrary: multipartBody, weight: 6 }, { arbitrary: body, weight: 1 }),
});
