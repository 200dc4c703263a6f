/** Raw MNIST as it comes out of the IDX files: one byte a pixel, row-major, 28 x 28. */
export interface DigitSet {
  images: Uint8Array; // count * rows * cols
  labels: Uint8Array; // count, values 0..9
  count: number;
  rows: number;
  cols: number;
}

export interface Mnist {
  train: DigitSet; // 60,000
  test: DigitSet; // 10,000
  dataDir: string;
  /** Identity of the data: a hash of the four files' verified MD5s (see mnistDataHash); absent for data made in code. */
  dataHash?: string;
}
