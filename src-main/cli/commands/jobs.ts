// `quire jobs`: the batch jobs and their progress; pause, cancel, or export one.
import { writeFileSync } from 'node:fs';
import { exportResults, exportRows, formatFromPath } from '../../services/batch/export.js';
import { jobStatus, listBatchItems, listBatchJobs, setJobStatus } from '../../store/batch-jobs.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { DATA_OPTION_HELP, openDataStore } from '../data-dir.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire jobs [--json] [--data DIR]
       quire jobs pause|cancel JOB
       quire jobs export JOB --out FILE.md|.csv|.json

Lists batch jobs with their progress. pause stops a running job after the file in progress (resume it with
\`quire summarize --resume JOB\`); cancel stops it for good; export writes its results with citations.
  ${DATA_OPTION_HELP}`;

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'list, pause, cancel or export batch jobs',
  usage,
  run(args) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, out: { type: 'string' }, data: { type: 'string' } });
    const [action, idText] = positionals;
    const { db } = openDataStore(values.data);
    try {
      if (action === undefined || action === 'list') {
        const jobs = listBatchJobs(db);
        for (const j of jobs) {
          const status = j.status === 'queued' && j.done + j.failed > 0 ? 'paused' : j.status;
          process.stdout.write(values.json
            ? `${JSON.stringify({ ...j, status })}\n`
            : `${j.id}  ${status.padEnd(9)} ${j.done + j.failed}/${j.total}${j.failed ? ` (${j.failed} failed)` : ''}  ${j.template}  ${j.folder}\n`);
        }
        if (jobs.length === 0 && !values.json) process.stderr.write('no batch jobs yet (quire summarize FOLDER -m MODEL)\n');
        return;
      }
      const id = integerOption(idText, 'JOB', 1);
      if (id === undefined) throw new UsageError(`give the job number: quire jobs ${action} JOB`);
      const status = jobStatus(db, id);
      if (status === undefined) throw new UsageError(`there is no job ${id}`);
      if (action === 'pause' || action === 'cancel') {
        if (status === 'done' || status === 'cancelled') throw new UsageError(`job ${id} is ${status}`);
        setJobStatus(db, id, action === 'pause' ? 'queued' : 'cancelled');
        process.stderr.write(`job ${id} ${action === 'pause' ? 'will pause after the file in progress' : 'cancelled'}\n`);
      } else if (action === 'export') {
        if (!values.out) throw new UsageError('export needs --out FILE (.md, .csv or .json)');
        writeFileSync(values.out, exportResults(exportRows(listBatchItems(db, id)), formatFromPath(values.out)));
        process.stderr.write(`wrote ${values.out}\n`);
      } else {
        throw new UsageError(`unknown jobs action "${action}": list, pause, cancel or export`);
      }
    } finally {
      db.close();
    }
  },
};
