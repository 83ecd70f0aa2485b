/** One numbered schema step. Applied once, in order, inside a transaction; never edited after release. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
