import { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

/**
 * Every `digits` command, one file each under ./commands, loaded on demand: a command pulls in
 * its own dependencies only (tfjs, sharp, fastify, vega are heavy), so `digits runs` starts fast.
 * The order here is the order of `digits --help`.
 */
export const commandLoaders: Record<string, () => AnyCommand> = {
  info: () => require('./commands/info').infoCommand,
  train: () => require('./commands/train').trainCommand,
  run: () => require('./commands/run').runCommand,
  rerun: () => require('./commands/rerun').rerunCommand,
  evaluate: () => require('./commands/evaluate').evaluateCommand,
  calibrate: () => require('./commands/calibrate').calibrateCommand,
  runs: () => require('./commands/runs').runsCommand,
  show: () => require('./commands/show').showCommand,
  compare: () => require('./commands/compare').compareCommand,
  best: () => require('./commands/best').bestCommand,
  export: () => require('./commands/export').exportCommand,
  report: () => require('./commands/report').reportCommand,
  tag: () => require('./commands/tag').tagCommand,
  note: () => require('./commands/note').noteCommand,
  rm: () => require('./commands/rm').rmCommand,
  predict: () => require('./commands/predict').predictCommand,
  serve: () => require('./commands/serve').serveCommand,
};

/**
 * The commands to register for these arguments: just the named one when the first word names a
 * command, otherwise all of them (for `--help`, and for suggestions after a typo).
 */
export function commandsFor(argv: string[]): AnyCommand[] {
  // Shell completion calls `digits --get-yargs-completions digits <words typed>`: skip the "digits".
  const words = argv[0] === '--get-yargs-completions' ? argv.slice(2) : argv;
  const first = words.find((a) => !a.startsWith('-'));
  const one = first === undefined ? undefined : commandLoaders[first];
  return one ? [one()] : Object.values(commandLoaders).map((load) => load());
}
