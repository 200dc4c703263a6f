/** The parent's part in data loading: making sure MNIST is on disk before workers load it. */
import { downloadMnist } from '../data';
import { MNIST_FILES } from '../data';
import { findMnistFile, resolveDataDir } from '../data';

/** Downloads missing MNIST files once, here, so that workers do not all download them at the same time. */
export async function ensureMnistFiles(dataDir: string | undefined): Promise<void> {
  const { dir } = resolveDataDir(dataDir);
  const missing = MNIST_FILES.filter((f) => findMnistFile(dir, f) === null);
  if (missing.length > 0) await downloadMnist(dir, { parts: missing.map((f) => f.part) });
}
