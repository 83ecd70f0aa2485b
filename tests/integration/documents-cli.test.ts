// `quire ingest`, `quire search` and `quire figures` as a user runs them: real processes, a real database folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataDir, DATABASE_FILE } from '../../src-main/cli/data-dir.js';
import { longDocument, sampleDocument } from '../helpers/pdf-files.js';
import { type CliResult, runQuire } from '../helpers/run-quire.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-docs-cli-'));
const data = join(dir, 'data');
const library = join(dir, 'library');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Async (not spawnSync): a test that blocks its worker for a minute makes vitest's RPC time out under load.
function quire(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const clean = { ...process.env, ...env };
  if (!('QUIRE_HOME' in env)) delete clean.QUIRE_HOME;
  return runQuire(args, { env: clean });
}

let ingestRun: CliResult;
beforeAll(async () => {
  mkdirSync(join(library, 'reports', '2026'), { recursive: true });
  writeFileSync(join(library, 'reports', '2026', 'sample.pdf'), (await sampleDocument()).bytes);
  writeFileSync(join(library, 'short.PDF'), await longDocument(2, { words: 24 }));
  writeFileSync(join(library, 'reports', 'fake.pdf'), 'not a pdf at all');
  writeFileSync(join(library, 'readme.txt'), 'ignored: not a .pdf');
  ingestRun = await quire(['ingest', library, '--json', '--data', data]);
});

describe('quire ingest', () => {
  it('walks folders recursively, prints one JSON line per PDF, and exits 1 when a file was refused', async () => {
    expect(ingestRun.status).toBe(1);
    expect(ingestRun.stderr).toBe('quire ingest: 1 of 3 files refused\n');
    const lines = ingestRun.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.path)).toEqual([
      join(library, 'reports', '2026', 'sample.pdf'), join(library, 'reports', 'fake.pdf'), join(library, 'short.PDF'),
    ]);
    expect(Object.keys(lines[0]).sort()).toEqual(['errors', 'figures', 'id', 'outcome', 'pages', 'path', 'scannedPages']);
    expect(lines[0]).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{12}$/), pages: 8, figures: 5, scannedPages: [6], errors: [], outcome: 'ingested' });
    expect(lines[1]).toMatchObject({ id: null, pages: 0, outcome: 'refused', errors: [{ page: null, code: 'not-pdf' }] });
    expect(lines[2]).toMatchObject({ pages: 2, figures: 0, outcome: 'ingested' });
    expect(existsSync(join(data, DATABASE_FILE))).toBe(true);
  });

  it('re-ingesting is only a hash; text output names the outcome', async () => {
    const again = await quire(['ingest', join(library, 'short.PDF'), '--data', data]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^[0-9a-f]{12} {2}.*short\.PDF: 2 pages, 0 figures, 0 page errors \[unchanged\]\n$/);
  });

  it('reports progress per page on a terminal (and only there)', async () => {
    // script(1) (bsdutils, essential in Debian) gives the command a pseudo-terminal; its output mixes stdout and stderr.
    const data2 = join(dir, 'tty-data');
    const command = `${process.execPath} bin/quire.js ingest ${join(library, 'reports', '2026', 'sample.pdf')} --data ${data2}`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const shown = [...run.stdout.matchAll(/sample\.pdf: page (\d+)\/8/g)].map((m) => Number(m[1]));
    expect(shown).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // From the third page on, the pace so far gives an estimate of the time left.
    expect(run.stdout).toMatch(/page 3\/8, about \d+ s left/);
    expect(run.stdout).toContain('8 pages, 5 figures');
  });

  it('uses QUIRE_HOME when --data is not given', async () => {
    const home = join(dir, 'home');
    const run = await quire(['ingest', join(library, 'short.PDF')], { QUIRE_HOME: home });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('[ingested]');
    expect(existsSync(join(home, DATABASE_FILE))).toBe(true);
  });

  it('refuses a missing argument with usage', async () => {
    const run = await quire(['ingest', '--data', data]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('give at least one PDF file or folder');
  });
});

describe('quire search', () => {
  it('prints matching pages with snippets, best first; --json and --doc narrow it', async () => {
    const text = await quire(['search', 'late', 'frost', '--data', data]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^[0-9a-f]{12} {2}page 1 {2}.*sample\.pdf\n {4}.*\[late\] \[frost\]/);
    const hits = (await quire(['search', 'marker2', '--json', '--data', data])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ page: 2, snippet: expect.stringContaining('[marker2]') });
    const sampleId = JSON.parse(ingestRun.stdout.split('\n')[0]!).id as string;
    expect((await quire(['search', 'marker2', '--doc', sampleId.slice(0, 6), '--data', data])).stdout).toBe('');
    const none = await quire(['search', 'zeppelin', '--data', data]);
    expect(none).toMatchObject({ status: 0, stdout: '', stderr: 'no pages match "zeppelin"\n' });
  });

  it('an unknown document id is an error with words', async () => {
    const run = await quire(['search', 'frost', '--doc', 'abcdef', '--data', data]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no document with id abcdef in this database');
  });
});

describe('quire figures', () => {
  it('prints each figure box and writes one PNG per figure', async () => {
    const out = join(dir, 'figures');
    const run = await quire(['figures', join(library, 'reports', '2026', 'sample.pdf'), '--out', out, '--json', '--data', data]);
    expect(run.status).toBe(0);
    const figures = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(figures.map((f) => [f.page, f.kind])).toEqual([[2, 'raster'], [3, 'vector'], [4, 'vector'], [5, 'vector'], [8, 'vector']]);
    for (const f of figures) {
      expect(f.box).toHaveLength(4);
      expect(readFileSync(f.file).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    }
    const text = await quire(['figures', figures.length ? JSON.parse(ingestRun.stdout.split('\n')[0]!).id : '', '--data', data]);
    expect(text.stdout).toMatch(/page 2 #1 {2}raster {2}\[150, 242, 370, 392\] 220×150 pt/);
  });

  it('a PDF that was never ingested is an error saying what to do', async () => {
    const stranger = join(dir, 'stranger.pdf');
    writeFileSync(stranger, '%PDF-1.4 not ingested');
    const run = await quire(['figures', stranger, '--data', data]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('has not been ingested into this database: run `quire ingest');
  });
});

describe('where the database lives by default', () => {
  it('follows each platform\'s convention', async () => {
    expect(defaultDataDir('linux', {}, '/home/ada')).toBe('/home/ada/.local/share/quire');
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/xdg' }, '/home/ada')).toBe('/xdg/quire');
    expect(defaultDataDir('darwin', {}, '/Users/ada')).toBe('/Users/ada/Library/Application Support/Quire');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada')).toMatch(/AppData.Roaming.Quire$/);
  });
});
