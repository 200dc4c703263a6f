/**
 * Streams one URL into a file with node:http(s), following redirects, with two timeouts:
 * `requestTimeoutMs` until the response headers arrive and `stallTimeoutMs` between body chunks
 * (a slow but steady download is never cut off). Failures are plain Errors with a short reason;
 * the caller decides what the user reads.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';

export interface FetchOptions {
  requestTimeoutMs: number;
  stallTimeoutMs: number;
  onBytes?: (received: number, total: number | null) => void;
  /** Stop (an Error) as soon as the body passes this many bytes: a mirror cannot fill the disk. */
  maxBytes?: number;
}

const MAX_REDIRECTS = 5;

/** Downloads `url` into `dest` (overwritten); resolves with the number of bytes written. */
export async function fetchToFile(url: string, dest: string, opts: FetchOptions): Promise<number> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const result = await fetchOnce(current, dest, opts);
    if (typeof result === 'number') return result;
    current = result.location;
  }
  throw new Error(`more than ${MAX_REDIRECTS} redirects`);
}

type FetchResult = number | { location: string };

function fetchOnce(url: string, dest: string, opts: FetchOptions): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
    if (!lib) {
      reject(new Error(`unsupported protocol "${target.protocol}" (use http or https)`));
      return;
    }
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let out: fs.WriteStream | undefined;
    const finish = (err: Error | null, value?: FetchResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!err) {
        resolve(value as FetchResult);
        return;
      }
      req.destroy();
      // Wait until the file is closed, so the caller can delete it (a stream destroyed while its
      // open is pending would otherwise create the file after the caller removed it).
      if (out && !out.closed) {
        out.once('close', () => reject(err));
        out.destroy();
      } else reject(err);
    };
    const arm = (ms: number, reason: () => string) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(new Error(reason())), ms);
    };

    const req = lib.get(target, { headers: { 'user-agent': 'digit-lab' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        finish(null, { location: new URL(res.headers.location, target).href });
        return;
      }
      if (status !== 200) {
        res.resume();
        finish(new Error(`HTTP ${status} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      const length = Number(res.headers['content-length']);
      const total = Number.isFinite(length) && length >= 0 ? length : null;
      let received = 0;
      const stalled = () => `stalled: no data for ${seconds(opts.stallTimeoutMs)} after ${received} bytes`;
      arm(opts.stallTimeoutMs, stalled);
      if (opts.maxBytes !== undefined && total !== null && total > opts.maxBytes) {
        res.resume();
        finish(new Error(`the file is ${total} bytes, more than the ${opts.maxBytes} it can be`));
        return;
      }
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (opts.maxBytes !== undefined && received > opts.maxBytes) {
          finish(new Error(`stopped after ${received} bytes, more than the ${opts.maxBytes} the file can be`));
          return;
        }
        arm(opts.stallTimeoutMs, stalled);
        opts.onBytes?.(received, total);
      });
      out = fs.createWriteStream(dest);
      pipeline(res, out).then(
        () => {
          if (total !== null && received !== total) {
            finish(new Error(`connection closed after ${received} of ${total} bytes`));
          } else finish(null, received);
        },
        (err: Error) => {
          const cut = total !== null ? `connection closed after ${received} of ${total} bytes` : 'connection failed';
          finish(new Error(`${cut} (${err.message})`));
        },
      );
    });
    arm(opts.requestTimeoutMs, () => `no response within ${seconds(opts.requestTimeoutMs)}`);
    req.on('error', (err: NodeJS.ErrnoException) => finish(new Error(describeNetError(err))));
  });
}

function describeNetError(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `host not found (${err.code}; offline?)`;
  if (err.code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  return err.message || String(err.code);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}
