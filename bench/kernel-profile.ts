import * as tf from '@tensorflow/tfjs';

export interface KernelTime {
  kernel: string;
  calls: number;
  cpuMs: number;
}

/**
 * Runs `work` with every kernel of `backend` timed in process CPU time (robust on a shared
 * machine, unlike wall time). Only outermost kernels count, so a project kernel that calls stock
 * kernels is charged once. Returns the kernels by time, largest first.
 */
export async function profileKernels(backend: string, work: () => Promise<void>): Promise<KernelTime[]> {
  const configs = tf.getKernelsForBackend(backend);
  const times = new Map<string, KernelTime>();
  let depth = 0;
  for (const config of configs) {
    const inner = config.kernelFunc;
    const timed = ((args: Parameters<tf.KernelFunc>[0]) => {
      const start = depth === 0 ? process.cpuUsage() : undefined;
      depth++;
      try {
        return inner(args);
      } finally {
        depth--;
        if (start != null) {
          const used = process.cpuUsage(start);
          const entry = times.get(config.kernelName) ?? { kernel: config.kernelName, calls: 0, cpuMs: 0 };
          entry.calls++;
          entry.cpuMs += (used.user + used.system) / 1000;
          times.set(config.kernelName, entry);
        }
      }
    }) as tf.KernelFunc;
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({ ...config, kernelFunc: timed });
  }
  try {
    await work();
  } finally {
    for (const config of configs) {
      tf.unregisterKernel(config.kernelName, backend);
      tf.registerKernel(config);
    }
  }
  return [...times.values()].sort((a, b) => b.cpuMs - a.cpuMs);
}
