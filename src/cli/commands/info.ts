import { CommandModule } from 'yargs';

export const infoCommand: CommandModule = {
  command: 'info',
  describe: 'Show the compute backend, library versions and where the MNIST data is',
  handler: async () => {
    process.stdout.write(`digit-lab (node ${process.version})\n`);
  },
};
