import { CommandModule } from 'yargs';
import { describeData, formatDataReport } from '../../data';
import { EngineInfo, selectBackend } from '../../engine';
import { jsonDocument } from '../format/json';

interface InfoArgs {
  dataDir?: string;
  json?: boolean;
}

export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info',
  describe: 'Show the compute backend, library versions and whether the MNIST data verifies',
  builder: (y) =>
    y
      .option('data-dir', { type: 'string', describe: 'MNIST folder (default: $DIGITS_DATA_DIR, else the per-user cache)' })
      .option('json', { type: 'boolean', describe: 'Print JSON instead of text' }),
  handler: async (argv) => {
    const engine = await selectBackend();
    const data = await describeData(argv.dataDir);
    if (argv.json) {
      process.stdout.write(jsonDocument({ engine, data }));
      return;
    }
    process.stdout.write(`${formatEngine(engine)}\n${formatDataReport(data)}\n`);
  },
};

function formatEngine(e: EngineInfo): string {
  const lines = [
    `engine: ${e.backend} (tfjs ${e.versions.tfjs}, backend ${e.versions.tfjsBackend}, node ${e.versions.node})`,
    `  chosen by: ${e.chosenBy === 'auto' ? 'auto (set DIGITS_BACKEND=node|wasm|cpu to force one)' : e.chosenBy}`,
    `  SIMD: ${e.simd ? 'yes' : 'no'}, threads: ${e.threads}`,
  ];
  for (const s of e.skipped) lines.push(`  skipped ${s}`);
  if (e.projectKernels.length > 0) lines.push(`  project kernels: ${e.projectKernels.join(', ')}`);
  return lines.join('\n');
}
