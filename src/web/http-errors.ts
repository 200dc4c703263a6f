/**
 * Every failure of the web API becomes a JSON body {error, message}: `error` a stable code for
 * programs, `message` a sentence for people that says what was wrong and how to fix it.
 */
import { isUserError } from '../errors';
import type { ImageProblem } from '../data';
import type { RunProblem } from './runs';

export interface HttpError {
  status: number;
  body: { error: string; message: string };
}

/** An error the API raises itself, with its status and code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const IMAGE_STATUS: Record<ImageProblem, [number, string]> = {
  empty: [400, 'empty_body'],
  'bad-array': [400, 'bad_pixels'],
  'not-image': [415, 'not_an_image'],
  'unsupported-format': [415, 'unsupported_format'],
  'too-large': [413, 'image_too_large'],
  'bad-shape': [422, 'bad_image_shape'],
  truncated: [422, 'damaged_image'],
  blank: [422, 'blank_image'],
};

const RUN_STATUS: Record<RunProblem, [number, string]> = {
  'bad-id': [400, 'bad_run_id'],
  unknown: [404, 'unknown_run'],
  ambiguous: [400, 'ambiguous_run_id'],
  'no-model': [404, 'no_model'],
  'none-finished': [404, 'no_runs'],
};

/** What the mapping needs to know about the server and the request. */
export interface ErrorContext {
  bodyLimit: number;
  contentType?: string;
}

/** Fastify's and @fastify/multipart's own errors, reworded. */
function frameworkError(code: string, status: number, message: string, limits: ErrorContext): HttpError | null {
  const mb = `${(limits.bodyLimit / 1024 / 1024).toFixed(0)} MB`;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, body: { error: 'body_too_large', message: `the upload is larger than the ${mb} limit; send a smaller image (a digit needs only a few hundred pixels a side)` } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'unsupported_media_type', message: `content type ${JSON.stringify(limits.contentType ?? 'none')} is not accepted; send an image body (image/png, image/jpeg, image/webp, image/gif, image/tiff), a multipart form with a "file" field, or JSON {"pixels": [...784 values in 0..1]}` } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: { error: 'bad_json', message: `the JSON body is not valid (${message}); send {"pixels": [...784 values in 0..1]}` } };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PROTO_VIOLATION':
      return { status: 400, body: { error: 'bad_multipart', message: `the multipart form is not acceptable (${message}); send one "file" field with the image` } };
    default:
      return status >= 400 && status < 500 ? { status, body: { error: code.toLowerCase() || 'bad_request', message } } : null;
  }
}

/**
 * Maps any thrown value to a status and JSON body. Unexpected errors become a 500 without
 * internals (the caller logs them).
 */
export function toHttpError(err: unknown, limits: ErrorContext): HttpError {
  if (err instanceof ApiError) return { status: err.status, body: { error: err.code, message: err.message } };
  if (isUserError(err)) {
    const problem = (err as { problem?: string }).problem;
    const mapped = (problem && ((IMAGE_STATUS as Record<string, [number, string]>)[problem] ?? (RUN_STATUS as Record<string, [number, string]>)[problem])) || [400, 'bad_request'];
    return { status: mapped[0], body: { error: mapped[1], message: err.message } };
  }
  if (err instanceof Error) {
    const { code, statusCode } = err as Error & { code?: string; statusCode?: number };
    if (err instanceof SyntaxError && statusCode === 400) return frameworkError('FST_ERR_CTP_INVALID_JSON_BODY', 400, err.message, limits)!;
    const mapped = frameworkError(code ?? '', statusCode ?? 500, err.message, limits);
    if (mapped) return mapped;
  }
  return { status: 500, body: { error: 'internal', message: 'internal error while predicting (a bug; it has been logged)' } };
}
