// Tables of numbers in a model's answer, found and read so the renderer can re-plot them beside the original
// figure. Text in, plain data out: no DOM here (DataChart.svelte draws; unit tests run this under Node).

export type ChartKind = 'bar' | 'line';

export interface DataSeries {
  name: string;
  /** Index into `columns` and into each row. */
  column: number;
  /** One per row; null where the cell is empty, a dash, "n/a" or not a number. */
  values: (number | null)[];
  /** '%', a currency symbol, or a header's "(…)" holding one; absent when the cells disagree. */
  unit?: string;
}

export interface DataTable {
  columns: string[];
  /** Every row has exactly columns.length cells (ragged rows padded with '' or cut). */
  rows: string[][];
  /** [start, end) character offsets of the whole table in the text (a fenced table includes its fences). */
  start: number;
  end: number;
  /** The column naming each row; -1 when there is none and rows are labelled by their number. */
  labelColumn: number;
  series: DataSeries[];
  kind: ChartKind;
}

/**
 * Which character separates decimals. A column is read 'european' (1.234,5) only when some cell can only be
 * European — dots grouping thousands before a comma, several dots, or a lone comma not followed by exactly three
 * digits ("3,5") — and no cell can only be English. Otherwise 'english': an ambiguous "1,234" is 1234.
 */
export type DecimalStyle = 'english' | 'european';

const MISSING = new Set(['', '-', '–', '—', '−', '--', 'n/a', 'na', 'n.a.', 'nan', 'null', 'none', '…', '...', '?']);
const SPACE = '[ \\u00a0\\u202f]';                      // thousands may be grouped by plain, no-break or thin spaces
const DIGITS: Record<DecimalStyle, RegExp> = {
  english: new RegExp(`^(?:\\d{1,3}(?:(?:,|${SPACE})\\d{3})+|\\d+)?(?:\\.\\d+)?$`),
  european: new RegExp(`^(?:\\d{1,3}(?:(?:\\.|${SPACE})\\d{3})+|\\d+)?(?:,\\d+)?$`),
};
const SCALE: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6, mn: 1e6, b: 1e9, B: 1e9, bn: 1e9, T: 1e12, tn: 1e12 };

type Cell = { value: number; unit?: string } | 'missing' | 'text';

/** Reads one cell: "1,234.5", "1 234", "12%", "$3.5", "(12)" = −12, "−4", "3.2k", "1.5M", "2bn"; dashes are missing. */
function readCell(raw: string, style: DecimalStyle): Cell {
  let s = stripMarkup(raw);
  if (MISSING.has(s.toLowerCase())) return 'missing';
  let sign = 1;
  let unit: string | undefined;
  const paren = /^\((.+)\)$/.exec(s);                   // accountants' negatives
  if (paren) [sign, s] = [-1, paren[1]!.trim()];
  const takeSign = (): void => {
    const m = /^([-−–+])\s*/.exec(s);
    if (m) [sign, s] = [m[1] === '+' ? sign : -sign, s.slice(m[0].length)];
  };
  takeSign();
  const pre = /^(US\$|[$€£¥₹])\s*/.exec(s);
  if (pre) [unit, s] = [pre[1]!, s.slice(pre[0].length)];
  takeSign();                                           // "$-5" as well as "-$5"
  const post = /\s*([%€£¥₹$])$/.exec(s);
  if (post) [unit, s] = [post[1]!, s.slice(0, post.index)];
  let scale = 1;
  // A lone "m" or "b" is money shorthand only after a currency sign; elsewhere it may be metres or bytes.
  const suffix = (unit && unit !== '%' ? /\s?(bn|mn|tn|[kKMBTmb])$/ : /\s?(bn|mn|tn|[kKMBT])$/).exec(s);
  if (suffix && /\d$/.test(s.slice(0, suffix.index))) {
    scale = SCALE[suffix[1]!]!;
    s = s.slice(0, suffix.index);
  }
  if (!/\d/.test(s) || !DIGITS[style].test(s)) return 'text';
  const plain = style === 'english' ? s.replace(/[^\d.]/g, '') : s.replace(/[^\d,]/g, '').replace(',', '.');
  const value = sign * Number(plain) * scale;
  return unit ? { value, unit } : { value };
}

/** "**12**", "`12`", "_12_" are still 12: answers often bold a total. */
function stripMarkup(raw: string): string {
  let s = raw.trim();
  for (let m = /^(\*\*|__|\*|_|`)(.+)\1$/.exec(s); m; m = /^(\*\*|__|\*|_|`)(.+)\1$/.exec(s)) s = m[2]!.trim();
  return s;
}

/** The separator rule of `DecimalStyle`, applied to one column's cells. */
export function decimalStyle(cells: string[]): DecimalStyle {
  let european = false;
  for (const cell of cells) {
    const core = stripMarkup(cell).replace(/[^\d.,]/g, '');
    if (/^\d{1,3}(,\d{3})+\.\d+$|^\d{1,3}(,\d{3}){2,}$|^\d*\.(\d{1,2}|\d{4,})$|^0\.\d+$/.test(core)) return 'english';
    if (/^\d{1,3}(\.\d{3})+,\d+$|^\d{1,3}(\.\d{3}){2,}$|^\d+,(\d{1,2}|\d{4,})$|^0,\d+$/.test(core)) european = true;
  }
  return european ? 'european' : 'english';
}

/** One cell as a number, or null when it is missing or not a number. */
export function parseNumber(text: string, style: DecimalStyle = 'english'): number | null {
  const cell = readCell(text, style);
  return typeof cell === 'object' ? cell.value : null;
}

/** Every table of numbers in `text`, in order: pipe tables, and CSV/TSV/semicolon tables in code fences. */
export function findDataTables(text: string): DataTable[] {
  const found: RawTable[] = [];
  for (const block of blocks(text)) {
    if (block.fence === undefined) {
      found.push(...pipeTables(block.lines));
    } else if (PLAIN_FENCE.test(block.fence)) {
      const pipes = pipeTables(block.lines);
      const csv = pipes.length ? undefined : delimitedTable(text.slice(block.start, block.end), block.start);
      const tables = csv ? [csv] : pipes;
      // A fence holding exactly one table is replaced whole, so its offsets cover the fences too.
      if (tables.length === 1) found.push({ ...tables[0]!, start: block.outerStart, end: block.outerEnd });
      else found.push(...tables);
    }
  }
  return found.flatMap((t) => toDataTable(t) ?? []);
}

type Line = { text: string; start: number; end: number };
type Block = { lines: Line[]; fence?: string; start: number; end: number; outerStart: number; outerEnd: number };
type RawTable = { columns: string[]; rows: string[][]; start: number; end: number };

const PLAIN_FENCE = /^(|csv|tsv|text|txt|plain|plaintext|table|data|markdown|md)$/i;

/** Splits text into runs of plain lines and fenced code blocks (CommonMark: an unclosed fence runs to the end). */
function blocks(text: string): Block[] {
  const lines: Line[] = [];
  for (let start = 0; start <= text.length;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    lines.push({ text: text.slice(start, end).replace(/\r$/, ''), start, end });
    start = end + 1;
  }
  const out: Block[] = [];
  let plain: Line[] = [];
  const flush = (): void => {
    if (plain.length) out.push({ lines: plain, start: 0, end: 0, outerStart: 0, outerEnd: 0 });
    plain = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!.text);
    if (!open) {
      plain.push(lines[i]!);
      continue;
    }
    flush();
    const marker = open[1]!;
    let j = i + 1;
    while (j < lines.length && !isFenceClose(lines[j]!.text, marker)) j++;
    const body = lines.slice(i + 1, j);
    const last = lines[Math.min(j, lines.length - 1)]!;
    out.push({
      lines: body, fence: open[2]!,
      start: body[0]?.start ?? last.start, end: body.at(-1)?.end ?? last.start,
      outerStart: lines[i]!.start, outerEnd: last.end,
    });
    i = j;
  }
  flush();
  return out;
}

function isFenceClose(line: string, marker: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return !!m && m[1]![0] === marker[0] && m[1]!.length >= marker.length;
}

const hasPipe = (line: string): boolean => /(^|[^\\])\|/.test(line);
const isDelimiterRow = (line: string): boolean => hasPipe(line) && splitCells(line).every((c) => /^:?-+:?$/.test(c));

/** GitHub pipe tables: a header row, a delimiter row with as many cells, then rows until a blank or pipeless line. */
function pipeTables(lines: Line[]): RawTable[] {
  const tables: RawTable[] = [];
  for (let i = 1; i < lines.length; i++) {
    const head = lines[i - 1]!;
    if (!hasPipe(head.text) || !isDelimiterRow(lines[i]!.text)) continue;
    const columns = splitCells(head.text);
    if (columns.length !== splitCells(lines[i]!.text).length) continue;
    let j = i + 1;
    while (j < lines.length && lines[j]!.text.trim() && hasPipe(lines[j]!.text)) j++;
    tables.push({ columns, rows: lines.slice(i + 1, j).map((l) => splitCells(l.text)), start: head.start, end: lines[j - 1]!.end });
    i = j;
  }
  return tables;
}

/** A row's cells: outer pipes optional, "\|" is a pipe inside a cell. */
function splitCells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let k = 0; k < s.length; k++) {
    if (s[k] === '\\' && s[k + 1] === '|') {
      cell += '|';
      k++;
    } else if (s[k] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += s[k];
    }
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * A fenced CSV, TSV or semicolon table (RFC 4180 quoting: "a, b" and "say ""hi"""). Tabs are tried first, then
 * semicolons (whose files use decimal commas), then commas; the first that gives the header ≥ 2 fields and
 * most rows the same count wins.
 */
function delimitedTable(body: string, start: number): RawTable | undefined {
  for (const sep of ['\t', ';', ',']) {
    const [header, ...rows] = splitDelimited(body, sep);
    if (!header || header.length < 2 || rows.length === 0) continue;
    if (rows.filter((r) => r.length === header.length).length >= 0.8 * rows.length) {
      return { columns: header.map((c) => c.trim()), rows: rows.map((r) => r.map((c) => c.trim())), start, end: start + body.length };
    }
  }
  return undefined;
}

function splitDelimited(body: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = (): void => {
    row.push(field);
    if (row.some((f) => f.trim())) rows.push(row);
    [row, field] = [[], ''];
  };
  for (let k = 0; k < body.length; k++) {
    const ch = body[k]!;
    if (quoted && ch === '"' && body[k + 1] === '"') {
      field += '"';                                      // "" inside quotes is one quote
      k++;
    } else if (quoted) {
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && !field.trim()) {
      quoted = true;
      field = '';
    } else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      endRow();
    } else if (ch !== '\r') {
      field += ch;
    }
  }
  endRow();
  return rows;
}

const LABEL_HEADER = /^(years?|yr|fy|fiscal year|date|day|week|month|quarter|period|time|age|rank|#|no\.?|step|epoch|x)$/i;
const SERIES_SHARE = 0.6;                              // a column is a series when ≥ 60 % of its present cells are numbers

/** Reads a raw table's columns; undefined when it has fewer than 2 rows or no column of numbers. */
function toDataTable(raw: RawTable): DataTable | undefined {
  const { columns } = raw;
  const rows = raw.rows.map((r) => columns.map((_, c) => r[c] ?? ''));
  if (rows.length < 2) return undefined;
  const read = columns.map((_, c) => {
    const cells = rows.map((r) => r[c]!);
    const style = decimalStyle(cells);
    return cells.map((cell) => readCell(cell, style));
  });
  const numeric = read.map((cells) => {
    const present = cells.filter((x) => x !== 'missing').length;
    const numbers = cells.filter((x) => typeof x === 'object').length;
    return numbers > 0 && numbers >= SERIES_SHARE * present;
  });
  const labelColumn = pickLabelColumn(columns, rows, read, numeric);
  const series: DataSeries[] = [];
  columns.forEach((name, column) => {
    if (column === labelColumn || !numeric[column]) return;
    const cells = read[column]!;
    const unit = commonUnit(cells) ?? headerUnit(name);
    series.push({ name, column, values: cells.map((x) => (typeof x === 'object' ? x.value : null)), ...(unit ? { unit } : {}) });
  });
  if (series.length === 0) return undefined;
  const labels = labelColumn < 0 ? [] : rows.map((r) => r[labelColumn]!);
  return { columns, rows, start: raw.start, end: raw.end, labelColumn, series, kind: chartKind(labels) };
}

/**
 * The first column when it is text, or numbers that are really labels (years, a "Year"/"Rank"-like header, or
 * increasing x values ahead of other numbers); else the first text column; else -1.
 */
function pickLabelColumn(columns: string[], rows: string[][], read: Cell[][], numeric: boolean[]): number {
  if (columns.length > 0 && numeric[0]) {
    const labels = rows.map((r) => r[0]!);
    const others = numeric.slice(1).some(Boolean);
    if (others && (LABEL_HEADER.test(columns[0]!.trim()) || labels.every(isTimeLabel) || increasing(read[0]!))) return 0;
  }
  return numeric.findIndex((n) => !n);
}

function commonUnit(cells: Cell[]): string | undefined {
  const units = new Set(cells.flatMap((x) => (typeof x === 'object' ? [x.unit ?? ''] : [])));
  const [only] = units;
  return units.size === 1 && only ? only : undefined;
}

/** "Share (%)", "Revenue ($bn)", "Cost [€]": a trailing bracket naming a percentage or a currency. */
function headerUnit(header: string): string | undefined {
  const m = /[([]\s*([^()[\]]{1,12}?)\s*[)\]]\s*$/.exec(header);
  return m && /[%$€£¥₹]/.test(m[1]!) ? m[1] : undefined;
}

function increasing(cells: Cell[]): boolean {
  const values = cells.map((x) => (typeof x === 'object' ? x.value : NaN));
  return values.length >= 2 && values.every((v, i) => !Number.isNaN(v) && (i === 0 || v > values[i - 1]!));
}

const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const YEAR = "(?:'?\\d{2}|\\d{4})";
const TIME_LABELS = [
  /^(?:FY\s?)?(?:1[5-9]|2\d)\d{2}(?:\s?[EFPA])?$/i,                   // 2023, FY2023, 2024E
  /^FY\s?'?\d{2}$/i,                                                   // FY23
  /^(?:1[5-9]|2\d)\d{2}\s?[/-]\s?\d{2}(?:\d{2})?$/,                    // 2023/24, 2023-01
  new RegExp(`^[QH][1-4](?:[\\s/'-]*${YEAR})?$`, 'i'),                 // Q1, Q1 2023, Q1 '23, H2-2024
  new RegExp(`^[1-4][QH]\\s?${YEAR}$`, 'i'),                            // 1Q23
  /^\d{4}\s?[-/ ]?\s?[QH][1-4]$/i,                                     // 2023-Q1, 2023 H1
  new RegExp(`^${MONTH}(?:[\\s/'-]*${YEAR})?$`, 'i'),                  // Jan, January 2023, Jan-23
  /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$|^\d{1,2}[/.]\d{4}$/, // 2023-01-31, 31.12.2023, 01/2023
  /^(?:week|wk|w)\s?\d{1,2}$/i,
  /^(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?$/i,
];

function isTimeLabel(label: string): boolean {
  const s = stripMarkup(label);
  return TIME_LABELS.some((re) => re.test(s));
}

/** Lines for time (years, quarters, months, dates) and for increasing numbers; bars for categories. */
function chartKind(labels: string[]): ChartKind {
  const present = labels.filter((l) => stripMarkup(l));
  if (present.length < 2) return 'bar';
  if (present.every(isTimeLabel)) return 'line';
  const style = decimalStyle(present);
  return increasing(present.map((l) => readCell(l, style))) ? 'line' : 'bar';
}

/** Each row's label: the label column's cell, or its 1-based number when there is no label column. */
export function rowLabels(table: DataTable): string[] {
  return table.rows.map((r, i) => (table.labelColumn < 0 ? String(i + 1) : r[table.labelColumn] ?? ''));
}

/**
 * Round axis ticks: a step of 1, 2 or 5 × 10^k giving about `count` intervals, the first tick ≤ min and the last
 * ≥ max. Ticks are multiples of the step, so 0 is one of them whenever the range reaches it (callers drawing bars
 * pass min ≤ 0). Equal ends are widened so there is always more than one tick.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`niceTicks needs finite numbers, got ${min} and ${max}`);
  if (min > max) [min, max] = [max, min];
  if (min === max) [min, max] = min === 0 ? [0, 1] : [Math.min(0, 2 * min), Math.max(0, 2 * max)];
  const rough = (max - min) / Math.max(1, count);
  const power = Math.floor(Math.log10(rough));
  const error = rough / 10 ** power;
  // Thresholds at the geometric means between candidate steps pick the closest of 1, 2, 5, 10.
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  const step = factor * 10 ** power;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(decimals)) || 0);
  return ticks;
}

const TICK_SCALES: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];

/**
 * A short label for a tick or value: 1500 → "1.5k", 2000000 → "2M", 0.25 → "0.25", −3 → "−3" (a true minus).
 * '%' follows the number and a currency sign precedes it; other units belong in the axis title, not each tick.
 */
export function formatTick(value: number, unit?: string): string {
  const abs = Math.abs(value);
  const [scale, suffix] = TICK_SCALES.find(([limit]) => abs >= limit) ?? [1, ''];
  // Six significant digits hide float noise (0.30000000000000004) yet keep round ticks such as 1.005k distinct.
  const digits = String(Number((abs / scale).toPrecision(6)));
  const sign = value < 0 && digits !== '0' ? '−' : '';
  if (unit === '%') return `${sign}${digits}${suffix}%`;
  if (unit && /^(US\$|[$€£¥₹])$/.test(unit)) return `${sign}${unit}${digits}${suffix}`;
  return `${sign}${digits}${suffix}`;
}
