import fc from 'fast-check';
import { body, extraHeaders, target } from './arbitraries.js';

/**
 * Whole HTTP/1.1 requests as bytes, for a real socket: what inject cannot
 * send. Bad request lines, odd Host headers, conflicting framing
 * (Content-Length against Transfer-Encoding), malformed header lines, bodies
 * shorter or longer than declared, bare LFs, pipelined requests.
 */

const method = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST'), weight: 18 },
  {
    arbitrary: fc.constantFrom('HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PRI', 'get', 'G ET'),
    weight: 1,
  },
  { arbitrary: fc.stringMatching(/^[A-Z]{1,12}$/), weight: 1 },
);

const version = fc.oneof(
  { arbitrary: fc.constant('HTTP/1.1'), weight: 24 },
  { arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1x', 'http/1.1', ''), weight: 1 },
);

/** A request target: a real route mostly; sometimes absolute-form, `*`, raw spaces or raw bytes. */
const requestTarget = (known: { taskIds: string[]; transcriptionIds: string[] }) =>
  fc.oneof(
    { arbitrary: target(known).map((t) => t.url), weight: 24 },
    { arbitrary: fc.constantFrom('/api/events', '/api/events?x=1'), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        '*',
        'http://evil.example/api/queue',
        '//api/queue',
        '/api/../api/queue',
        '/a b',
        '',
      ),
      weight: 1,
    },
    {
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 40 })
        .map((b) => `/${Buffer.from(b).toString('latin1')}`),
      weight: 1,
    },
  );

/** The Host line: Hark's own mostly; missing, doubled or foreign sometimes. */
const hostLines = (port: number) =>
  fc.oneof(
    { arbitrary: fc.constant([`Host: localhost:${port}`]), weight: 18 },
    {
      arbitrary: fc.constantFrom(
        [],
        [`Host: localhost:${port}`, `Host: evil.example:${port}`],
        [`Host: evil.example:${port}`],
        ['Host: '],
        [`host:localhost:${port}`],
        [`Host : localhost:${port}`],
      ),
      weight: 1,
    },
  );

/** How the body is framed: by its length, a wrong length, chunked (well or badly), both, or not at all. */
const framing = fc.oneof(
  { arbitrary: fc.constant('length'), weight: 16 },
  { arbitrary: fc.constant('chunked'), weight: 4 },
  fc.constantFrom(
    'short-length',
    'long-length',
    'bad-chunked',
    'length-and-chunked',
    'two-lengths',
    'negative-length',
    'none',
  ),
);

/** Header lines no parser should accept. */
const brokenLine = fc.constantFrom(
  'NoColonHere',
  ' leading-space: x',
  'Bad\u0000Name: x',
  'X-Folded: a\r\n continued',
  'X-Bare-LF: a\nX-Other: b',
  `X-Long: ${'a'.repeat(20_000)}`,
  'X-Ctl: \u0001\u0002',
  'Content-Length: abc',
  'Transfer-Encoding: gzip, chunked',
  'Expect: 100-continue',
);

/**
 * `credentials`: header lines (`Authorization: Bearer …`, `Cookie: …`, or '' for none) to draw
 * one from per request; repeat a line to draw it more often.
 */
export const rawRequest = (
  port: number,
  known: { taskIds: string[]; transcriptionIds: string[] },
  credentials: string[] = [''],
) =>
  fc
    .record({
      credential: fc.constantFrom(...credentials),
      method,
      target: requestTarget(known),
      version,
      host: hostLines(port),
      headers: extraHeaders,
      broken: fc.oneof({ arbitrary: fc.constant(null), weight: 16 }, { arbitrary: brokenLine, weight: 1 }),
      sent: body,
      framing,
      pipelined: fc.oneof(
        { arbitrary: fc.constant(false), weight: 8 },
        { arbitrary: fc.constant(true), weight: 1 },
      ),
    })
    .map(
      ({
        credential,
        method: m,
        target: t,
        version: v,
        host,
        headers,
        broken,
        sent,
        framing: f,
        pipelined,
      }) => {
        const payload = Buffer.isBuffer(sent.payload)
          ? sent.payload
          : Buffer.from(sent.payload ?? '', 'utf8');
        const lines = [`${m} ${t} ${v}`.trimEnd(), ...host];
        if (credential) lines.push(credential);
        for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
        if (sent.contentType !== undefined) lines.push(`Content-Type: ${sent.contentType}`);
        if (broken !== null) lines.push(broken);
        let framed = payload;
        switch (f) {
          case 'length':
            lines.push(`Content-Length: ${payload.length}`);
            break;
          case 'short-length':
            lines.push(`Content-Length: ${Math.max(0, payload.length - 3)}`);
            break;
          case 'long-length':
            lines.push(`Content-Length: ${payload.length + 10}`);
            break;
          case 'chunked':
            lines.push('Transfer-Encoding: chunked');
            framed = Buffer.concat([
              Buffer.from(payload.length > 0 ? `${payload.length.toString(16)}\r\n` : ''),
              payload,
              Buffer.from(payload.length > 0 ? '\r\n0\r\n\r\n' : '0\r\n\r\n'),
            ]);
            break;
          case 'bad-chunked':
            lines.push('Transfer-Encoding: chunked');
            framed = Buffer.concat([Buffer.from('zz\r\n'), payload, Buffer.from('\r\n')]);
            break;
          case 'length-and-chunked':
            lines.push(`Content-Length: ${payload.length}`, 'Transfer-Encoding: chunked');
            break;
          case 'two-lengths':
            lines.push(`Content-Length: ${payload.length}`, `Content-Length: ${payload.length + 1}`);
            break;
          case 'negative-length':
            lines.push('Content-Length: -1');
            break;
          case 'none':
            break;
        }
        const request = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), framed]);
        const health = `GET /api/health HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`;
        return pipelined ? Buffer.concat([request, Buffer.from(health)]) : request;
      },
    );
