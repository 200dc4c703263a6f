/** `digits tag <run> key=value...`: label a run. */
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors';
import { usingStore, withDbOption, type StoreFlags } from '../format/db';

interface TagArgs extends StoreFlags {
  run: string;
  tags: string[];
}

/** "key=value" strings to a record; keys are letters, digits, _ - . */
export function parseTags(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z0-9_.-]+)=(.*)$/s.exec(pair);
    if (!m) throw new UserError(`tag ${JSON.stringify(pair)}: expected key=value with a key of letters, digits, _ . - (e.g. keep=yes)`);
    out[m[1]] = m[2];
  }
  return out;
}

export const tagCommand: CommandModule<object, TagArgs> = {
  command: 'tag <run> <tags..>',
  describe: 'Set tags on a run (key=value; an existing key is overwritten)',
  builder: (y) =>
    withDbOption(y)
      .positional('run', { type: 'string', demandOption: true, describe: 'Run id or a unique prefix' })
      .positional('tags', { type: 'string', array: true, demandOption: true, describe: 'key=value pairs' }),
  handler: (args) =>
    usingStore(args, (store) => {
      const tags = parseTags(args.tags.map(String));
      const id = store.resolveRunId(args.run);
      store.setTags(id, tags);
      process.stdout.write(`${id}: ${Object.entries(store.getRun(id)?.tags ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
    }),
};
