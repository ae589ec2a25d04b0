/** A wrong or missing argument: the tool prints it followed by its usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs a command-line tool: `--help` (or `-h`) prints its usage and exits 0; a wrong argument
 * prints what is wrong and the usage, any other failure just its message, and both exit 1.
 */
export function runCli(usage: string, main: (argv: string[]) => Promise<void>, argv: string[] = process.argv.slice(2)): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return;
  }
  main(argv).catch((error: unknown) => {
    console.error(failureMessage(error, usage));
    process.exit(1);
  });
}

function failureMessage(error: unknown, usage: string): string {
  if (error instanceof UsageError) return `${error.message}\n\n${usage}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    // Its first sentence says it; the rest is advice on positionals that start with '-', beside the point here.
    return `${(error as Error).message.replace(/\.( .*)?$/s, '')}.\n\n${usage}`;
  }
  return error instanceof Error ? error.message : String(error);
}
