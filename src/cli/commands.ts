import { CommandModule } from 'yargs';
import { infoCommand } from './commands/info';

/** Every `digits` command, one file each under ./commands. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [infoCommand];
