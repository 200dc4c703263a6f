/** `digits rm <run>...`: delete runs from the tracking database, with their artifact folders. */
import readline from 'node:readline/promises';
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors';
import type { Run } from '../../tracking';
import { usingStore, withDbOption, type StoreFlags } from '../format/db';

interface RmArgs extends StoreFlags {
  runs: string[];
  yes?: boolean;
}

async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const rmCommand: CommandModule<object, RmArgs> = {
  command: 'rm <runs..>',
  describe: 'Delete runs (their records and their runs/<id>/ artifact folders)',
  builder: (y) =>
    withDbOption(y)
      .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'Run ids or unique prefixes' })
      .option('yes', { alias: 'y', type: 'boolean', describe: 'Do not ask for confirmation' }),
  handler: (args) =>
    usingStore(args, async (store) => {
      const runs = args.runs.map((r) => store.getRun(store.resolveRunId(String(r))) as Run);
      const running = runs.filter((r) => r.status === 'running');
      if (running.length) {
        throw new UserError(`cannot delete running run${running.length > 1 ? 's' : ''} ${running.map((r) => r.id).join(', ')}; stop ${running.length > 1 ? 'them' : 'it'} first (a run whose process died is marked "interrupted" by the next \`digits run\`)`);
      }
      const list = runs.map((r) => `  ${r.id}  ${r.experiment}: ${r.name} (${r.status})`).join('\n');
      if (!args.yes) {
        if (!process.stdin.isTTY) throw new UserError(`rm would delete:\n${list}\nPass --yes to confirm (stdin is not a terminal, so it cannot ask).`);
        if (!(await confirm(`Delete these runs and their artifacts?\n${list}\n[y/N] `))) return void process.stdout.write('nothing deleted\n');
      }
      // The store removes a run's folder only when the folder's tracking.json names this database:
      // rm on a copied database never deletes the original's folders.
      for (const run of runs) {
        const { removedFolder, keptFolder } = store.deleteRun(run.id);
        process.stdout.write(`deleted ${run.id}${removedFolder ? ` and ${removedFolder}` : ''}\n`);
        if (keptFolder) process.stderr.write(`digits: kept the folder ${keptFolder.dir}: ${keptFolder.reason}, not ${store.file}; delete it by hand if it is yours\n`);
      }
    }),
};
