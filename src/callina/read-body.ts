import type {IncomingMessage} from 'node:http';
import getRawBody from 'raw-body';
import {HttpError} from '../http-error.ts';

export const MAX_EVENT_BYTES = 64 * 1024;

/**
 * The request body as the exact bytes received (signatures are computed
 * over these), refused past the limit without buffering the rest.
 */
export async function readRawBody(req: IncomingMessage, limit = MAX_EVENT_BYTES): Promise<Buffer> {
  try {
    return await getRawBody(req, {limit, length: req.headers['content-length']});
  } catch (error) {
    const type = (error as {type?: string}).type;
    if (type === 'entity.too.large') throw new HttpError(413, 'payload_too_large', `request body exceeds ${limit} bytes`);
    if (type === 'request.size.invalid') throw new HttpError(400, 'bad_request', 'request body does not match Content-Length');
    throw new HttpError(400, 'bad_request', 'request body could not be read');
  }
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** JSON.parse of UTF-8 bytes; anything else is the client's mistake. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(utf8.decode(raw));
  } catch {
    throw new HttpError(400, 'malformed_json', 'request body is not valid UTF-8 JSON');
  }
}
