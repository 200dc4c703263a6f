/** `digits note <run> "text"`: attach a free-text note to a run. */
import type { CommandModule } from 'yargs';
import { usingStore, withDbOption, type StoreFlags } from '../format/db';

interface NoteArgs extends StoreFlags {
  run: string;
  text: string;
}

export const noteCommand: CommandModule<object, NoteArgs> = {
  command: 'note <run> <text>',
  describe: 'Set the note of a run (replaces the previous one; "" clears it)',
  builder: (y) =>
    withDbOption(y)
      .positional('run', { type: 'string', demandOption: true, describe: 'Run id or a unique prefix' })
      .positional('text', { type: 'string', demandOption: true, describe: 'The note (quote it)' }),
  handler: (args) =>
    usingStore(args, (store) => {
      const id = store.resolveRunId(args.run);
      store.setNote(id, String(args.text));
      process.stdout.write(`${id}: note saved\n`);
    }),
};
