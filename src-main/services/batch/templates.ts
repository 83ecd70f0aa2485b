// What a batch asks of each document. Built in: `summary` (a plain summary with page citations) and `contract`
// (key terms as JSON fields, each with the page it was read from, decoded under the JSON schema). A template file
// holds instructions for a plain-text result ("Summarize the risks …"); its hash keys the cached partial summaries.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';

export interface TemplateField {
  key: string;
  label: string;
}

export interface Template {
  name: string;
  /** What the model is asked to do with the document (or with one section of it). */
  instructions: string;
  /** Present for field templates: the result is JSON of these fields, each {value, page}. */
  fields?: TemplateField[];
  sha256: string;
}

const SUMMARY = 'Summarize the document below in a few short paragraphs. After each statement, cite the page it comes from as [p. N].';

export const CONTRACT_FIELDS: TemplateField[] = [
  { key: 'parties', label: 'Parties' },
  { key: 'effective_date', label: 'Effective date' },
  { key: 'term', label: 'Term' },
  { key: 'renewal', label: 'Renewal' },
  { key: 'termination', label: 'Termination' },
  { key: 'payment', label: 'Payment' },
  { key: 'liability_cap', label: 'Liability cap' },
  { key: 'governing_law', label: 'Governing law' },
];

const CONTRACT = 'Read the contract below and extract its key terms: ' + CONTRACT_FIELDS.map((f) => f.label.toLowerCase()).join(', ') +
  '. For each, give the value as the contract states it and the page it is on (0 when the contract does not say). Answer in JSON.';

const MAX_TEMPLATE_BYTES = 64 * 1024;

function make(name: string, instructions: string, fields?: TemplateField[]): Template {
  const sha256 = createHash('sha256').update(JSON.stringify({ instructions, fields: fields ?? null })).digest('hex');
  return { name, instructions, ...(fields ? { fields } : {}), sha256 };
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** `summary`, `contract`, or the path of a text file with instructions. */
export function resolveTemplate(nameOrFile: string): Template {
  if (nameOrFile === 'summary') return make('summary', SUMMARY);
  if (nameOrFile === 'contract') return make('contract', CONTRACT, CONTRACT_FIELDS);
  if (!existsSync(nameOrFile)) throw new TemplateError(`no template "${nameOrFile}": use summary, contract, or a text file of instructions`);
  if (statSync(nameOrFile).size > MAX_TEMPLATE_BYTES) throw new TemplateError(`the template ${nameOrFile} is larger than 64 KiB`);
  const text = readFileSync(nameOrFile, 'utf8').trim();
  if (!text) throw new TemplateError(`the template ${nameOrFile} is empty`);
  return make(nameOrFile, text);
}
