/** One `quire` subcommand: its name, one-line summary, full usage text and what it does. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<void> | void;
}
