import { CommandModule } from 'yargs';
import { bestCommand } from './commands/best';
import { compareCommand } from './commands/compare';
import { infoCommand } from './commands/info';
import { noteCommand } from './commands/note';
import { predictCommand } from './commands/predict';
import { rmCommand } from './commands/rm';
import { runsCommand } from './commands/runs';
import { serveCommand } from './commands/serve';
import { showCommand } from './commands/show';
import { tagCommand } from './commands/tag';

/** Every `digits` command, one file each under ./commands. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  infoCommand,
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
