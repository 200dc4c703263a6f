import type { FastifyInstance } from 'fastify';
import { PAGE_HTML } from './page-html';
import { PAGE_JS } from './page-script';
import { PAGE_CSS } from './page-style';

/** Only this server's own script and style; images may be data: URLs (the model input) and blobs (uploads). */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Registers the page: GET / (HTML), /app.js and /app.css. Everything is inline strings: no CDN, works offline. */
export function registerPage(app: FastifyInstance): void {
  const asset = (path: string, type: string, body: string) =>
    app.get(path, async (_request, reply) =>
      reply
        .type(type)
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(body),
    );
  asset('/', 'text/html; charset=utf-8', PAGE_HTML);
  asset('/app.js', 'text/javascript; charset=utf-8', PAGE_JS);
  asset('/app.css', 'text/css; charset=utf-8', PAGE_CSS);
}
