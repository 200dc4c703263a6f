/**
 * The four MNIST files and the checksums of their uncompressed bytes. The table is injectable
 * (tests and private mirrors pass their own) wherever files are verified or downloaded.
 */

export type MnistPart = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** What a correct file hashes to once uncompressed. */
export interface Checksum {
  md5: string; // hex MD5 of the uncompressed IDX bytes
  bytes: number; // uncompressed size
}

export interface MnistFile {
  part: MnistPart;
  name: string; // file name without `.gz`; `<name>.gz` (preferred) or `<name>` is looked for
  kind: 'images' | 'labels';
}

export type ChecksumTable = Record<MnistPart, Checksum>;

export const MNIST_FILES: readonly MnistFile[] = [
  { part: 'trainImages', name: 'train-images-idx3-ubyte', kind: 'images' },
  { part: 'trainLabels', name: 'train-labels-idx1-ubyte', kind: 'labels' },
  { part: 'testImages', name: 't10k-images-idx3-ubyte', kind: 'images' },
  { part: 'testLabels', name: 't10k-labels-idx1-ubyte', kind: 'labels' },
];

/** Published MD5s of the original (uncompressed) MNIST files. */
export const MNIST_CHECKSUMS: ChecksumTable = {
  trainImages: { md5: '6bbc9ace898e44ae57da46a324031adb', bytes: 47040016 },
  trainLabels: { md5: 'a25bea736e30d166cdddb491f175f624', bytes: 60008 },
  testImages: { md5: '2646ac647ad5339dbf082846283269ea', bytes: 7840016 },
  testLabels: { md5: '27ae3e4e09519cfbb04c329615203637', bytes: 10008 },
};
