/** `digits serve`: the prediction web page and JSON API. */
import type { CommandModule } from 'yargs';
import { selectBackend } from '../../engine';
import { UserError } from '../../errors';
import { resolveRun } from '../../web';
import { startServer } from '../../web';
import { openRunCatalog, withRunOptions } from '../run-catalog';

interface ServeArgs {
  run?: string;
  best?: boolean;
  port: number;
  host: string;
  quiet?: boolean;
  db?: string;
  runsDir?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Serve the draw-a-digit page and the prediction API (POST /api/predict)',
  builder: (y) =>
    withRunOptions(y)
      .option('port', { alias: 'p', type: 'number', default: 8080, describe: 'TCP port (0 = any free port)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (0.0.0.0 = every network)' })
      .option('quiet', { alias: 'q', type: 'boolean', describe: 'Do not print a line per request' })
      .example('$0 serve', 'http://127.0.0.1:8080 with the best finished run')
      .example('$0 serve --run mi9x2k1qa7f3 --port 9000', 'one run, another port'),
  handler: async (args) => {
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
      throw new UserError(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(args.port)}`);
    }
    const opened = openRunCatalog(args);
    try {
      if (opened.note) process.stderr.write(`digits: ${opened.note}\n`);
      const run = resolveRun(opened.catalog, args.run);
      const engine = await selectBackend();
      const server = await listen(args, opened, run.id);
      const which = args.run ? 'run' : 'best finished run (re-checked as runs finish), now';
      process.stdout.write(`digits: serving ${server.url}  model: ${which} ${run.id} "${run.name}"  backend: ${engine.backend}\n`);
      if (!LOOPBACK.has(args.host)) process.stderr.write(`digits: listening on ${args.host}: anyone who can reach this machine can use the page\n`);
      process.stdout.write('digits: press Ctrl+C to stop\n');
      await untilSignal();
      await server.close();
      process.stdout.write('digits: server stopped\n');
    } finally {
      opened.close();
    }
  },
};

async function listen(args: ServeArgs, opened: ReturnType<typeof openRunCatalog>, runId: string) {
  try {
    return await startServer({
      catalog: opened.catalog,
      defaultRun: args.run ? runId : undefined,
      preload: true,
      host: args.host,
      port: args.port,
      onRequest: args.quiet ? undefined : (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
      onError: (err) => process.stderr.write(`digits: internal error while serving (a bug):\n${err instanceof Error ? err.stack : String(err)}\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(`port ${args.port} on ${args.host} is already in use; stop the other server or pick another port with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UserError(`cannot listen on host "${args.host}" (${code}); use an address of this machine, e.g. 127.0.0.1`);
    if (code === 'EACCES') throw new UserError(`not allowed to listen on port ${args.port}; ports below 1024 need privileges, pick another with --port`);
    throw err;
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
