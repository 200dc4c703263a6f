/**
 * The prediction web server (fastify): the drawing page and the JSON API. The caller chooses the
 * TF.js backend before starting it (entry points only).
 */
import Fastify, { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { DEFAULT_MAX_PIXELS, IMAGE_MIME_TYPES } from '../data';
import { registerApi } from './api';
import { DecodeSlots } from './decode-slots';
import { ApiError, toHttpError } from './http-errors';
import { registerPage } from './page';
import { Predictor } from './predictor';
import { RunCatalog } from './runs';

export interface ServerOptions {
  catalog: RunCatalog;
  /** Run used when a request names none; undefined = the best finished run at request time. */
  defaultRun?: string;
  /** Largest request body in bytes (413 above it). Default 5 MB. */
  bodyLimit?: number;
  /** Largest image in pixels, checked on the header before decoding. Default 24 megapixels. */
  maxPixels?: number;
  /** Longest time for one prediction (decoding + model), in ms; 503 past it. Default 10 s. */
  timeoutMs?: number;
  /** Longest time for receiving a whole request, in ms (slow clients are cut off). Default 30 s. */
  requestTimeoutMs?: number;
  /** Image decodes run at once; further uploads wait their turn. Default 2 (one per core here). */
  maxDecodes?: number;
  /** Models kept loaded. Default 3. */
  cacheSize?: number;
  /** Load the default run's model before answering (the first request is then as fast as the rest). */
  preload?: boolean;
  /** Called once per finished request with a one-line summary (the CLI prints it). */
  onRequest?: (line: string) => void;
  /** Called with unexpected errors (bugs); they are answered with a 500. */
  onError?: (err: unknown) => void;
}

const ACCEPTED = new Set<string>([...IMAGE_MIME_TYPES, 'application/octet-stream']);

/**
 * Builds the server without listening (tests may call `inject`, or `listen` on port 0).
 * @example const app = await buildServer({ catalog: folderCatalog('runs') });
 *          await app.listen({ host: '127.0.0.1', port: 8080 });
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? 5 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({ logger: false, bodyLimit, requestTimeout, connectionTimeout: requestTimeout * 2, return503OnClosing: true });
  const predictor = new Predictor({ catalog: options.catalog, cacheSize: options.cacheSize });

  await app.register(multipart, { limits: { fileSize: bodyLimit, files: 1, fields: 10, parts: 12, headerPairs: 100 } });
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(/^(image\/[\w.+-]+|application\/octet-stream)(\s*;.*)?$/i, { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!ACCEPTED.has(type)) {
      done(new ApiError(415, 'unsupported_media_type', `content type "${type}" is not accepted; send one of ${IMAGE_MIME_TYPES.join(', ')} (SVG and other formats: convert to PNG first)`), undefined);
      return;
    }
    done(null, body);
  });

  app.setErrorHandler((err, request, reply) => {
    const { status, body } = toHttpError(err, { bodyLimit, contentType: request.headers['content-type'] });
    if (status >= 500 && !(err instanceof ApiError)) options.onError?.(err);
    reply.code(status).header('cache-control', 'no-store').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', message: `no such page or API: ${request.method} ${request.url.split('?')[0]}; the API is POST /api/predict, GET /api/runs, GET /healthz` });
  });
  if (options.onRequest) {
    const log = options.onRequest;
    app.addHook('onResponse', async (request, reply) => {
      log(`${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`);
    });
  }
  app.addHook('onClose', async () => predictor.dispose());

  if (options.preload) await predictor.warm(predictor.resolveRun(options.defaultRun).id);
  registerApi(app, { predictor, defaultRun: options.defaultRun, maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS, timeoutMs, decodeSlots: new DecodeSlots(options.maxDecodes ?? 2), bodyLimit });
  registerPage(app);
  return app;
}

/**
 * Builds the server and listens. Resolves with its URL once it accepts connections.
 * @example const { url, close } = await startServer({ ...options, host: '127.0.0.1', port: 0 });
 */
export async function startServer(options: ServerOptions & { host?: string; port?: number }): Promise<{ app: FastifyInstance; url: string; close: () => Promise<void> }> {
  const app = await buildServer(options);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { app, url, close: () => app.close() };
}
