// A job's results as Markdown, CSV or JSON, every value with its citation (file, page and the quoted passage).
import { basename } from 'node:path';
import type { BatchItem } from '../../store/batch-jobs.js';
import type { Citation } from '../../store/conversations.js';
import type { DocumentSummary } from './summarize.js';

export type ExportFormat = 'md' | 'csv' | 'json';

export interface ExportRow {
  file: string;
  status: BatchItem['status'];
  error: string | null;
  summary: DocumentSummary | null;
}

export function exportRows(items: BatchItem[]): ExportRow[] {
  return items.map((i) => ({ file: i.path, status: i.status, error: i.error, summary: i.result ? JSON.parse(i.result) as DocumentSummary : null }));
}

export function formatFromPath(path: string): ExportFormat {
  const ext = /\.(md|markdown|csv|json)$/i.exec(path)?.[1]?.toLowerCase();
  if (!ext) throw new RangeError(`cannot tell the export format from ${path}: use .md, .csv or .json`);
  return ext === 'markdown' ? 'md' : (ext as ExportFormat);
}

const cite = (c: Citation | undefined): string => (c ? `p. ${c.pageNumber}${c.quote ? ` “${c.quote}”` : ''}` : '');

export function exportResults(rows: ExportRow[], format: ExportFormat): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') return toCsv(rows);
  return toMarkdown(rows);
}

function toMarkdown(rows: ExportRow[]): string {
  const out: string[] = [];
  for (const r of rows) {
    out.push(`## ${basename(r.file)}`, '');
    if (!r.summary) {
      out.push(r.status === 'failed' ? `Failed: ${r.error}` : `Not done yet (${r.status}).`, '');
      continue;
    }
    if (r.summary.fields) {
      out.push('| Term | Value | Source |', '|---|---|---|');
      for (const [key, f] of Object.entries(r.summary.fields)) out.push(`| ${key} | ${md(f.value) || '—'} | ${md(cite(f.citation))} |`);
      out.push('');
    } else {
      out.push(r.summary.text ?? '', '');
      if (r.summary.citations.length) out.push('Sources:', ...r.summary.citations.map((c) => `- ${cite(c)}`), '');
    }
  }
  return `${out.join('\n')}\n`;
}

const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function toCsv(rows: ExportRow[]): string {
  const fieldKeys = [...new Set(rows.flatMap((r) => Object.keys(r.summary?.fields ?? {})))];
  const header = ['file', 'status', 'error', ...(fieldKeys.length
    ? fieldKeys.flatMap((k) => [k, `${k}_page`, `${k}_quote`])
    : ['summary', 'citations'])];
  const lines = [header];
  for (const r of rows) {
    const base = [r.file, r.status, r.error ?? ''];
    if (fieldKeys.length) {
      lines.push([...base, ...fieldKeys.flatMap((k) => {
        const f = r.summary?.fields?.[k];
        return [f?.value ?? '', f?.page ? String(f.page) : '', f?.citation?.quote ?? ''];
      })]);
    } else {
      lines.push([...base, r.summary?.text ?? '', (r.summary?.citations ?? []).map(cite).join('; ')]);
    }
  }
  return `${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** RFC 4180: quoted when needed, quotes doubled; a leading =, +, - or @ is defused for spreadsheets. */
function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
