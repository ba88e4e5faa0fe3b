import { request } from 'node:http';
import { multipart } from '../helpers/multipart.js';
import type { UploadKind } from './plan.js';

export interface UploadOutcome {
  kind: UploadKind;
  libraryId: number;
  slow: boolean;
  /** Answered with success: Hark has the file, whatever happens next. */
  acknowledged: boolean;
  /** The audio path Hark answered with. */
  audioPath: string | null;
  status: number | null;
  error: string | null;
}

const CONTENT_TYPES: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  webm: 'audio/webm',
  flac: 'audio/flac',
};

interface Response {
  status: number;
  body: string;
}

/**
 * POSTs `payload` to Hark. With `slow`, only the first half of the body is
 * sent and the request is left hanging: it is in flight when Hark dies, and
 * ends with the connection's error.
 */
function post(
  url: string,
  path: string,
  payload: Buffer | null,
  headers: Record<string, string>,
  slow = false,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(payload?.length ?? 0) },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (!payload) req.end();
    else if (slow) req.write(payload.subarray(0, Math.floor(payload.length / 2)));
    else req.end(payload);
  });
}

/**
 * Uploads one file as a recording (start, then the finished recording) or
 * as an import. Never throws: a refusal or a dead connection is an outcome.
 */
export async function upload(
  url: string,
  kind: UploadKind,
  file: { id: number; name: string; format: string; bytes: Buffer },
  slow: boolean,
  /** The credential (authHeaders of the data folder): every API request needs one. */
  auth: Record<string, string> = {},
): Promise<UploadOutcome> {
  const outcome: UploadOutcome = {
    kind,
    libraryId: file.id,
    slow,
    acknowledged: false,
    audioPath: null,
    status: null,
    error: null,
  };
  try {
    if (kind === 'recording') {
      const started = await post(url, '/api/recordings/start', null, auth);
      if (started.status !== 200) {
        outcome.status = started.status;
        outcome.error = `could not start a recording: ${started.body}`;
        return outcome;
      }
    }
    const body = multipart([
      {
        field: 'file',
        filename: kind === 'recording' ? `recording.${file.format}` : file.name,
        contentType: CONTENT_TYPES[file.format] ?? 'application/octet-stream',
        content: file.bytes,
      },
    ]);
    const path = kind === 'recording' ? '/api/recordings' : '/api/imports';
    const response = await post(url, path, body.payload, { ...auth, ...body.headers }, slow);
    outcome.status = response.status;
    if (response.status !== 201) {
      outcome.error = response.body;
      return outcome;
    }
    const json = JSON.parse(response.body) as {
      transcription?: { audio_path: string };
      tasks?: { audio_path: string }[];
    };
    outcome.audioPath = json.transcription?.audio_path ?? json.tasks?.[0]?.audio_path ?? null;
    outcome.acknowledged = outcome.audioPath !== null;
  } catch (error) {
    outcome.error = (error as Error).message;
  }
  return outcome;
}
