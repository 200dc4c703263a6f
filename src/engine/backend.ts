import * as tf from '@tensorflow/tfjs';
import { UserError } from '../errors';
import { WASM_KERNELS, registerWasmGradients } from './wasm-kernels';

/** The compute engines digit-lab can run on, fastest first. */
export const BACKENDS = ['node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** What the engine runs on; recorded with every run and shown by `digits info`. */
export interface EngineInfo {
  backend: BackendName;
  /** The TF.js backend name behind it: 'tensorflow' | 'wasm' | 'cpu'. */
  tfBackend: string;
  versions: { tfjs: string; tfjsBackend: string; node: string };
  /** WebAssembly SIMD in use (wasm only). */
  simd: boolean;
  /** Threads the backend computes on (wasm in Node is single-threaded, see threads note below). */
  threads: number;
  /** How it was chosen: 'auto', the `force` option or the DIGITS_BACKEND variable. */
  chosenBy: 'auto' | 'option' | 'DIGITS_BACKEND';
  /** Why faster backends were passed over in auto mode, e.g. "node: @tensorflow/tfjs-node is not installed". */
  skipped: string[];
  /** Kernels this project registered for the backend (wasm: added or replaced). */
  projectKernels: string[];
}

export interface SelectOptions {
  /** Use this backend or fail; overrides DIGITS_BACKEND. */
  force?: BackendName;
}

let chosen: Promise<EngineInfo> | undefined;
let current: EngineInfo | undefined;

/**
 * Chooses the TF.js backend once per process: @tensorflow/tfjs-node when it loads, else the
 * WebAssembly backend with the project's kernels, else the pure-JS cpu backend. DIGITS_BACKEND
 * (node|wasm|cpu) or `opts.force` demand one and fail with a UserError when it is unavailable.
 * Only entry points (CLI, server, notebook setup) call this; later calls return the first choice.
 *
 * @example
 *   const info = await selectBackend();   // { backend: 'wasm', simd: true, threads: 1, ... }
 */
export async function selectBackend(opts: SelectOptions = {}): Promise<EngineInfo> {
  const request = requestedBackend(opts);
  chosen ??= choose(request).catch((err: unknown) => {
    chosen = undefined; // a failed choice may be retried with other settings
    throw err;
  });
  const info = await chosen;
  if (request.name != null && request.name !== info.backend) {
    throw new Error(`selectBackend: backend '${info.backend}' is already in use; cannot switch to '${request.name}'`);
  }
  return info;
}

/** The current engine choice, or undefined before selectBackend has finished. */
export function engineInfo(): EngineInfo | undefined {
  return current;
}

/**
 * One line for people: "wasm (SIMD, 1 thread; tfjs 4.22.0, tfjs-backend-wasm 4.22.0, node 20.20.2)".
 * @example console.log(formatEngineInfo(await selectBackend()));
 */
export function formatEngineInfo(info: EngineInfo): string {
  const pkg = { node: 'tfjs-node', wasm: 'tfjs-backend-wasm', cpu: 'tfjs-backend-cpu' }[info.backend];
  const features = info.backend === 'wasm' ? `${info.simd ? 'SIMD' : 'no SIMD'}, ${info.threads} thread${info.threads === 1 ? '' : 's'}; ` : '';
  return `${info.backend} (${features}tfjs ${info.versions.tfjs}, ${pkg} ${info.versions.tfjsBackend}, node ${info.versions.node})`;
}

interface Request {
  name?: BackendName;
  chosenBy: EngineInfo['chosenBy'];
}

function requestedBackend(opts: SelectOptions): Request {
  if (opts.force != null) {
    if (!isBackendName(opts.force)) {
      // opts.force comes from code (a replica thread copies its parent's backend), never from a user: a bug.
      throw new Error(`selectBackend: force ${JSON.stringify(opts.force)} is not one of ${BACKENDS.join(', ')}`);
    }
    return { name: opts.force, chosenBy: 'option' };
  }
  const env = process.env.DIGITS_BACKEND;
  if (env == null || env.trim() === '') return { chosenBy: 'auto' };
  const name = env.trim().toLowerCase();
  if (!isBackendName(name)) {
    throw new UserError(`DIGITS_BACKEND="${env}" is not a backend; use one of ${BACKENDS.join('|')} or unset it`);
  }
  return { name, chosenBy: 'DIGITS_BACKEND' };
}

function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

async function choose(request: Request): Promise<EngineInfo> {
  const order: BackendName[] = request.name != null ? [request.name] : [...BACKENDS];
  const skipped: string[] = [];
  for (const name of order) {
    const failure = await TRY[name]();
    if (failure == null) {
      current = await describe(name, request.chosenBy, skipped);
      return current;
    }
    if (request.name != null) {
      const variable = request.chosenBy === 'DIGITS_BACKEND' ? `DIGITS_BACKEND=${name}` : `backend "${name}"`;
      const others = BACKENDS.filter((b) => b !== name).join('|');
      throw new UserError(`${variable}: ${failure}; unset DIGITS_BACKEND or use ${others}`);
    }
    skipped.push(`${name}: ${failure}`);
  }
  throw new Error(`no TF.js backend could be initialised (${skipped.join('; ')})`);
}

/** Each returns undefined on success, else why the backend is unavailable. */
const TRY: Record<BackendName, () => Promise<string | undefined>> = {
  node: async () => {
    try {
      require('@tensorflow/tfjs-node'); // registers the 'tensorflow' backend
    } catch (err) {
      const missing =
        (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && /'@tensorflow\/tfjs-node'/.test((err as Error).message);
      return missing
        ? '@tensorflow/tfjs-node is not installed (it needs to download libtensorflow at install time)'
        : `@tensorflow/tfjs-node failed to load (${(err as Error).message.split('\n')[0]})`;
    }
    return (await tf.setBackend('tensorflow')) ? undefined : 'the tensorflow backend failed to initialise';
  },
  wasm: async () => {
    try {
      registerWasmGradients(); // also loads @tensorflow/tfjs-backend-wasm
    } catch (err) {
      return `@tensorflow/tfjs-backend-wasm failed to load (${(err as Error).message.split('\n')[0]})`;
    }
    return (await tf.setBackend('wasm')) ? undefined : 'the WebAssembly backend failed to initialise (see the message above)';
  },
  cpu: async () => ((await tf.setBackend('cpu')) ? undefined : 'the cpu backend failed to initialise'),
};

async function describe(name: BackendName, chosenBy: EngineInfo['chosenBy'], skipped: string[]): Promise<EngineInfo> {
  await tf.ready();
  const wasm = name === 'wasm';
  const simd = wasm ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
  return {
    backend: name,
    tfBackend: tf.getBackend(),
    versions: { tfjs: tf.version.tfjs, tfjsBackend: backendVersion(name), node: process.versions.node },
    simd,
    threads: wasm ? wasmThreads() : 1,
    chosenBy,
    skipped,
    projectKernels: wasm ? [...WASM_KERNELS] : [],
  };
}

function backendVersion(name: BackendName): string {
  if (name === 'node') return (require('@tensorflow/tfjs-node') as { version: { 'tfjs-node': string } }).version['tfjs-node'];
  if (name === 'wasm') return (require('@tensorflow/tfjs-backend-wasm') as { version_wasm: string }).version_wasm;
  return tf.version['tfjs-backend-cpu'];
}

/**
 * Threads of the wasm backend. In Node, tfjs-backend-wasm 4.22 always loads its single-threaded
 * SIMD build (WASM_HAS_MULTITHREAD_SUPPORT is false under Node, tfjs issue #3830; forcing it
 * fails because the pthread workers are blob: URLs that Node's Worker cannot start).
 */
function wasmThreads(): number {
  const wasm = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
  return wasm.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}
