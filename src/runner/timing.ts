/**
 * The lease clock of a grid: how often a training worker renews its heartbeat, and how long a
 * running run may stay silent before another `digits run` counts it stale and takes it over.
 * Environment variables set them for the CLI (tests use seconds, not minutes).
 */
import { UserError } from '../errors';

export const STALE_AFTER_ENV = 'DIGITS_STALE_AFTER_SECONDS';
export const HEARTBEAT_ENV = 'DIGITS_HEARTBEAT_SECONDS';
const DEFAULT_STALE_AFTER = 120;
const DEFAULT_HEARTBEAT = 30;

export interface LeaseTiming {
  heartbeatSeconds: number;
  staleAfterSeconds: number;
}

/**
 * Options first, then the environment, then the defaults (120 s stale, a heartbeat every 30 s or a
 * quarter of the stale limit, whichever is shorter, so a live worker is never taken for stale).
 */
export function leaseTiming(options: Partial<LeaseTiming> = {}, env: NodeJS.ProcessEnv = process.env): LeaseTiming {
  const staleAfterSeconds = options.staleAfterSeconds ?? fromEnv(env, STALE_AFTER_ENV) ?? DEFAULT_STALE_AFTER;
  const heartbeatSeconds = options.heartbeatSeconds ?? fromEnv(env, HEARTBEAT_ENV) ?? Math.min(DEFAULT_HEARTBEAT, staleAfterSeconds / 4);
  return { heartbeatSeconds, staleAfterSeconds };
}

function fromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 86_400) {
    throw new UserError(`${name} must be a number of seconds above 0 and at most 86400, got ${JSON.stringify(text)}; e.g. ${name}=120, or unset it`);
  }
  return value;
}
