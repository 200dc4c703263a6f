import { CommandModule } from 'yargs';
import { infoCommand } from './commands/info';
import { predictCommand } from './commands/predict';
import { serveCommand } from './commands/serve';

/** Every `digits` command, one file each under ./commands. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [infoCommand, predictCommand, serveCommand];
