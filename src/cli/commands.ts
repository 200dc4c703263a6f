import { CommandModule } from 'yargs';
import { bestCommand } from './commands/best';
import { compareCommand } from './commands/compare';
import { evaluateCommand } from './commands/evaluate';
import { infoCommand } from './commands/info';
import { noteCommand } from './commands/note';
import { predictCommand } from './commands/predict';
import { rmCommand } from './commands/rm';
import { runsCommand } from './commands/runs';
import { serveCommand } from './commands/serve';
import { showCommand } from './commands/show';
import { tagCommand } from './commands/tag';
import { trainCommand } from './commands/train';

/** Every `digits` command, one file each under ./commands. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  infoCommand,
  trainCommand,
  evaluateCommand,
  runsCommand,
  showCommand,
  compareCommand,
  bestCommand,
  tagCommand,
  noteCommand,
  rmCommand,
  predictCommand,
  serveCommand,
];
