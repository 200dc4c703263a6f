import fs from 'node:fs';
import path from 'node:path';
import yargs, { Argv, type ArgumentsCamelCase } from 'yargs';
import { EXIT, exitCodeOf, isUserError, UserError } from '../errors';
import { commandsFor } from './commands';
import { attachDashValues, flagName, refuseEmptyOptionValues } from './format/argv';

/** Builds the yargs parser with every command registered. */
function buildParser(argv: string[]): Argv {
  const args = attachDashValues(argv);
  let parser = yargs(args)
    .scriptName('digits')
    .usage('$0 <command> [options]')
    .strict()
    .demandCommand(1, 'Name a command; `digits --help` lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .completion('completion', 'Print a shell completion script (bash, zsh): digits completion >> ~/.bashrc')
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new CliUsageError(usageLine(msg));
    });
  // The parser itself, not a copy: when the middleware runs it holds the chosen command's options too.
  parser = parser.middleware((parsed) => refuseRepeatedFlags(parsed, parser));
  for (const command of commandsFor(args)) parser = parser.command(command);
  return parser;
}

/**
 * A flag that takes one value, given twice (`--epochs 3 --epochs 2`): yargs collects a list that the
 * command would then refuse with a puzzling "got [3,2]"; say what happened instead. Flags that
 * collect (`--set`, `--sbatch-arg`, ...) and variadic arguments are declared arrays and pass.
 */
function refuseRepeatedFlags(argv: ArgumentsCamelCase, y: Argv): void {
  const options = (y as unknown as { getOptions(): { array: string[]; alias: Record<string, string[]> } }).getOptions();
  const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const collecting = new Set<string>();
  for (const key of options.array) for (const name of [key, ...(options.alias[key] ?? [])]) collecting.add(name).add(camel(name));
  for (const [key, value] of Object.entries(argv)) {
    if (key === '_' || key === '$0' || !Array.isArray(value) || collecting.has(key)) continue;
    const flag = flagName(key);
    throw new CliUsageError(`${flag} was given ${value.length} times (${value.map((v) => JSON.stringify(v)).join(', ')}); give it once`);
  }
}

/** The version in package.json (the same file from src/cli and dist/cli). */
function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

/** A usage mistake yargs found (unknown option, missing argument): a user error like any other. */
class CliUsageError extends UserError {}

/**
 * yargs' usage messages in the one-line form every other error has:
 * "Invalid values:\n  Argument: status, Given: "x", Choices: ..." becomes
 * "--status "x" is not one of "queued", "running", ...".
 */
function usageLine(msg: string): string {
  const choice = /Argument: ([\w-]+), Given: (.*?), Choices: (.*)$/m.exec(msg);
  if (choice) return `--${choice[1]} ${choice[2]} is not one of ${choice[3].trim()}; choose one of them (see --help)`;
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}

/** Entry point of the `digits` command: runs one command and sets the exit code. */
export async function main(argv: string[]): Promise<void> {
  endQuietlyWhenOutputCloses();
  try {
    refuseEmptyOptionValues(argv);
    await buildParser(argv).parseAsync();
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/**
 * A reader that stopped early (`digits runs --all | head`) ends the command quietly, as it ends
 * `yes | head`, instead of an unhandled EPIPE with a stack trace; a closed terminal (EIO, after
 * SIGHUP) silences the output and lets the command stop as the signal asked.
 */
function endQuietlyWhenOutputCloses(): void {
  const closed = (err: NodeJS.ErrnoException) => err.code === 'EPIPE' || err.code === 'EIO';
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (!closed(err)) throw err;
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (!closed(err)) throw err;
  });
}

/** Prints an error the way users should see it and returns the exit code. */
export function reportError(err: unknown): number {
  if (isUserError(err)) process.stderr.write(`digits: ${err.message}\n`);
  else process.stderr.write(`digits: internal error (a bug; please report it):\n${err instanceof Error ? err.stack : String(err)}\n`);
  return exitCodeOf(err);
}
