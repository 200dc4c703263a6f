import { CommandModule } from 'yargs';
import { bestCommand } from './commands/best';
import { compareCommand } from './commands/compare';
import { evaluateCommand } from './commands/evaluate';
import { infoCommand } from './commands/info';
import { noteCommand } from './commands/note';
import { predictCommand } from './commands/predict';
import { rerunCommand } from './commands/rerun';
import { reportCommand } from './commands/report';
import { rmCommand } from './commands/rm';
import { runCommand } from './commands/run';
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
  runCommand,
  rerunCommand,
  evaluateCommand,
  runsCommand,
  showCommand,
  compareCommand,
  bestCommand,
  reportCommand,
  tagCommand,
  noteCommand,
  rmCommand,
  predictCommand,
  serveCommand,
];
