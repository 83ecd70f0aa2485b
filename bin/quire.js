#!/usr/bin/env node
// The `quire` command: loads the TypeScript sources through tsx, so the CLI always runs the code in the tree.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
