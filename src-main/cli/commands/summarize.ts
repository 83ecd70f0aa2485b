// `quire summarize FOLDER`: a batch job over the folder's PDFs — ingest each, then the template's result — with
// progress and an ETA on stderr. Safe to kill at any moment: `quire summarize --resume JOB` finishes it with no file
// lost or done twice. `quire jobs` lists, pauses, cancels and exports jobs.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createJob, runJob, type BatchProgress } from '../../services/batch/batch-runner.js';
import { exportResults, exportRows, formatFromPath } from '../../services/batch/export.js';
import { listBatchItems } from '../../store/batch-jobs.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { DATA_OPTION_HELP, openDataStore } from '../data-dir.js';
import { engineFromFlags } from '../engine-from-flags.js';
import { samplingFlagSpec } from '../sampling-flags.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire summarize FOLDER -m MODEL.gguf [--template summary|contract|FILE] [--out FILE] [options]
       quire summarize --resume JOB -m MODEL.gguf [--out FILE]

Summarizes every PDF in FOLDER (the whole document when it fits the context, otherwise section by section, with
the partial summaries cached), or extracts contract key terms (--template contract: parties, effective date, term,
renewal, termination, payment, liability cap, governing law — each with its page), or follows the instructions in
FILE. Progress and an ETA go to stderr. Kill it at any time and resume with --resume JOB.

  --template T     summary (default), contract, or a text file of instructions
  --out FILE       also write the results, by extension: .md, .csv or .json (with citations)
  --resume JOB     continue job JOB (see \`quire jobs\`)
  -n N             most tokens per generated summary (default 384)
  --ctx-size N     context size (default 4096)
  --seed N         sampling seed
  ${DATA_OPTION_HELP}`;

function progressLine(p: BatchProgress): string {
  const eta = p.etaSeconds !== undefined ? `, about ${p.etaSeconds < 90 ? `${p.etaSeconds} s` : `${Math.round(p.etaSeconds / 60)} min`} left` : '';
  return `job ${p.jobId}: ${p.done + p.failed}/${p.total} done${p.failed ? ` (${p.failed} failed)` : ''}${eta}${p.current ? ` — ${basename(p.current)}` : ''}`;
}

export const summarizeCommand: Command = {
  name: 'summarize',
  summary: 'batch-summarize a folder of PDFs (resumable job)',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      model: { type: 'string', short: 'm' }, mmproj: { type: 'string' }, template: { type: 'string' }, out: { type: 'string' },
      resume: { type: 'string' }, n: { type: 'string', short: 'n' }, data: { type: 'string' }, ...samplingFlagSpec,
    });
    if (values.resume === undefined && positionals.length !== 1) throw new UsageError('give one folder (or --resume JOB)');
    if (values.out) formatFromPath(values.out);
    const maxTokens = integerOption(values.n, '-n', 1);
    const seed = integerOption(values.seed, '--seed');
    const { db } = openDataStore(values.data);
    try {
      const jobId = values.resume !== undefined ? integerOption(values.resume, '--resume', 1)! : createJob(db, positionals[0]!, values.template ?? 'summary');
      if (values.resume === undefined) process.stderr.write(`job ${jobId} created (resume it with: quire summarize --resume ${jobId} -m …)\n`);
      const engine = await engineFromFlags(values);
      const abort = new AbortController();
      const onSigint = (): void => abort.abort();
      process.on('SIGINT', onSigint);
      try {
        const outcome = await runJob(db, engine, jobId, {
          ...(maxTokens ? { maxTokens } : {}), ...(seed !== undefined ? { seed } : {}), signal: abort.signal,
          onProgress: (p) => process.stderr.write(`${progressLine(p)}\n`),
        });
        process.stderr.write(`job ${jobId} ${outcome}\n`);
        const rows = exportRows(listBatchItems(db, jobId));
        if (values.out) {
          writeFileSync(values.out, exportResults(rows, formatFromPath(values.out)));
          process.stderr.write(`wrote ${values.out}\n`);
        } else {
          process.stdout.write(exportResults(rows, 'md'));
        }
      } finally {
        process.off('SIGINT', onSigint);
        engine.close();
      }
    } finally {
      db.close();
    }
  },
};
