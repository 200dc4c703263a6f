/**
 * The JSON API: POST /api/predict, GET /api/runs, GET /healthz. Uploads go through the same
 * preprocessing as `digits predict` (src/data/image).
 */
import * as tf from '@tensorflow/tfjs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IMAGE_MIME_TYPES, pngDataUrl, prepareDigitArray, prepareDigitImage, PreparedDigit } from '../data';
import { DecodeSlots } from './decode-slots';
import { ApiError } from './http-errors';
import { Prediction, Predictor } from './predictor';
import { RunInfo } from './runs';

export interface ApiOptions {
  predictor: Predictor;
  /** Run used when a request names none; undefined = the best finished run at the time. */
  defaultRun?: string;
  maxPixels: number;
  timeoutMs: number;
  /** Bounds the image decodes running at once (the rest wait, and give up with their request). */
  decodeSlots: DecodeSlots;
  /** Largest request body in bytes (for the 413 message of a cut multipart file). */
  bodyLimit: number;
}

/** What POST /api/predict answers: the Prediction (calibrated, with `unsure`), the run, and the 28x28. */
export type PredictResponse = Prediction & {
  run: { id: string; name: string; testAccuracy: number | null };
  input: string; // data:image/png;base64,... of the 28x28 the model received
};

/** Registers the API routes on `app`. */
export function registerApi(app: FastifyInstance, options: ApiOptions): void {
  const { predictor } = options;

  app.post('/api/predict', async (request) => {
    const runId = queryRun(request) ?? options.defaultRun;
    const run = predictor.resolveRun(runId);
    return withTimeout(options.timeoutMs, async (signal): Promise<PredictResponse> => {
      const digit = await readDigit(request, { ...options, signal });
      const prediction = await predictor.predict(run.id, digit.pixels);
      return { ...prediction, run: publicRun(run), input: pngDataUrl(digit.png) };
    });
  });

  app.get('/api/runs', async () => {
    const runs = predictor.finishedRuns();
    let defaultRun: string | null = options.defaultRun ?? null;
    if (defaultRun === null && runs.length > 0) defaultRun = predictor.resolveRun().id;
    return { runs: runs.map((r) => ({ ...publicRun(r), valAccuracy: r.valAccuracy, createdAt: r.createdAt })), defaultRun };
  });

  app.get('/healthz', async (request) => {
    // Memory benchmarks start the server with `node --expose-gc`; then ?gc=1 collects first, so
    // heapUsedMb is live data, not garbage waiting for the next collection.
    const collect = (globalThis as { gc?: () => void }).gc;
    if ((request.query as Record<string, unknown>).gc === '1' && collect) collect();
    return { ...health(predictor), decodes: options.decodeSlots.load };
  });
}

/** What GET /healthz answers: liveness, memory (MB), CPU seconds, live tensors, loaded models. */
function health(predictor: Predictor) {
  return {
    ok: true,
    uptimeSeconds: Math.round(process.uptime()),
    rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1024 / 1024 * 10) / 10,
    cpuSeconds: cpuSeconds(),
    tensors: tf.memory().numTensors, // constant between requests: a rising count is a leak
    loadedRuns: predictor.loadedRuns(),
  };
}

function publicRun(run: RunInfo): PredictResponse['run'] {
  return { id: run.id, name: run.name, testAccuracy: run.testAccuracy };
}

function queryRun(request: FastifyRequest): string | undefined {
  const run = (request.query as Record<string, unknown>).run;
  if (run === undefined || run === '') return undefined;
  if (typeof run !== 'string') throw new ApiError(400, 'bad_run_id', 'give one ?run=<id> parameter');
  return run;
}

/** The uploaded digit, from a raw image body, a multipart "file" field, or JSON {pixels, width?, height?}. */
async function readDigit(request: FastifyRequest, options: ApiOptions & { signal: AbortSignal }): Promise<PreparedDigit> {
  const decode = (bytes: Buffer, name: string) =>
    options.decodeSlots.run(() => prepareDigitImage(bytes, { name, maxPixels: options.maxPixels, timeoutSeconds: options.timeoutMs / 1000 }), options.signal);
  if (request.isMultipart()) {
    const { bytes, filename } = await readMultipartFile(request, options);
    return decode(bytes, `upload "${filename}"`);
  }
  const body = request.body;
  if (Buffer.isBuffer(body)) return decode(body, 'upload');
  if (body === undefined || body === null) return decode(Buffer.alloc(0), 'upload');
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { pixels, width, height } = body as { pixels?: unknown; width?: unknown; height?: unknown };
    if (!Array.isArray(pixels)) throw new ApiError(400, 'bad_pixels', 'the JSON body needs "pixels": an array of 784 numbers in 0..1 (28x28, row-major), or give "width" and "height"');
    return prepareDigitArray(pixels, num(width, 28), num(height, 28), 'pixels');
  }
  throw new ApiError(
    415,
    'unsupported_media_type',
    `content type ${JSON.stringify(request.headers['content-type'] ?? 'none')} is not accepted; send an image body (${IMAGE_MIME_TYPES.join(', ')}), a multipart form with a "file" field, or JSON {"pixels": [...]}`,
  );
}

/**
 * The "file" part of a multipart form. A form the parser cannot read (no boundary, a cut-off body,
 * broken part headers) is the client's mistake: 400, not a 500; size limits stay 413.
 */
async function readMultipartFile(request: FastifyRequest, options: { bodyLimit: number }): Promise<{ bytes: Buffer; filename: string }> {
  try {
    const file = await request.file();
    if (!file) throw new ApiError(400, 'no_file', 'the multipart form has no file; send the image in a "file" field');
    const bytes = await file.toBuffer();
    // Past the size limit the stream is cut; whether toBuffer throws depends on when the limit
    // event lands (under load it may resolve first), so the truncated flag decides.
    if (file.file.truncated) throw new ApiError(413, 'body_too_large', `the upload is larger than the ${Math.round(options.bodyLimit / 1024 / 1024)} MB limit; send a smaller image (a digit needs only a few hundred pixels a side)`);
    return { bytes, filename: file.filename || 'file' };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const { code, statusCode } = err as { code?: string; statusCode?: number };
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusCode === 413) throw err;
    throw new ApiError(400, 'bad_multipart', `the multipart form cannot be read (${(err as Error).message.split('\n')[0]}); send one "file" field with the image, as a browser's FormData does`);
  }
}

function num(value: unknown, fallback: number): number {
  return value === undefined ? fallback : typeof value === 'number' ? value : NaN;
}

/** CPU time this process has used (user + system, all threads), in seconds. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1e3) / 1e3;
}

/**
 * Runs `work`, failing with 503 if it takes longer than `ms`. The signal given to `work` aborts
 * then, so work still waiting (for a decode slot) is dropped instead of done for nobody.
 */
async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new ApiError(503, 'timeout', `the prediction took longer than ${ms} ms; try again, or send a smaller image`);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  const running = work(controller.signal);
  running.catch(() => undefined); // after the deadline, its failure has no one to tell
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
