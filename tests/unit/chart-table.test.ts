// Reading tables of numbers out of an answer (for re-plotting next to the original figure), and the axis ticks.
import { describe, expect, it } from 'vitest';
import { decimalStyle, findDataTables, formatTick, niceTicks, parseNumber, rowLabels } from '../../src-renderer/lib/chart-table.js';

describe('findDataTables: pipe tables', () => {
  it('reads a table with outer pipes, an alignment row and a label column, and gives its offsets', () => {
    const table = '| Region | Sales |\n|:-------|------:|\n| North  | 120   |\n| South  | 95.5  |';
    const text = `The chart shows:\n\n${table}\n\nNorth leads.`;
    const [t, ...rest] = findDataTables(text);
    expect(rest).toEqual([]);
    expect(t).toEqual({
      columns: ['Region', 'Sales'],
      rows: [['North', '120'], ['South', '95.5']],
      start: 18,
      end: 18 + table.length,
      labelColumn: 0,
      series: [{ name: 'Sales', column: 1, values: [120, 95.5] }],
      kind: 'bar',
    });
    expect(text.slice(t!.start, t!.end)).toBe(table);
  });

  it('reads a table without outer pipes', () => {
    const [t] = findDataTables('Fruit | Count\n--- | ---\nApple | 3\nPear | 4');
    expect(t?.columns).toEqual(['Fruit', 'Count']);
    expect(t?.series).toEqual([{ name: 'Count', column: 1, values: [3, 4] }]);
  });

  it('keeps escaped pipes inside cells and pads or cuts ragged rows', () => {
    const [t] = findDataTables('| Item | A | B |\n|---|---|---|\n| x \\| y | 1 |\n| z | 2 | 3 | 99 |\n| w | 4 | 5 |');
    expect(t?.rows).toEqual([['x | y', '1', ''], ['z', '2', '3'], ['w', '4', '5']]);
    expect(t?.series.map((s) => s.values)).toEqual([[1, 2, 4], [null, 3, 5]]);
  });

  it('needs a delimiter row with as many cells as the header', () => {
    expect(findDataTables('| a | b |\n|---|\n| x | 1 |\n| y | 2 |')).toEqual([]);
    expect(findDataTables('a | b\nx | 1\ny | 2')).toEqual([]);
  });

  it('ends a table at a blank line or a line without a pipe', () => {
    const [t] = findDataTables('| k | v |\n|---|---|\n| a | 1 |\n| b | 2 |\nafter\n| c | 3 |');
    expect(t?.rows).toEqual([['a', '1'], ['b', '2']]);
  });
});

describe('numbers in cells', () => {
  it.each([
    ['1,234.5', 1234.5],
    ['1 234', 1234],
    ['1\u202f234\u00a0567', 1234567],
    ['12%', 12],
    ['12 %', 12],
    ['$3.5', 3.5],
    ['-$3.5', -3.5],
    ['$-3.5', -3.5],
    ['(12)', -12],
    ['(1,200.5)', -1200.5],
    ['−4', -4],
    ['+7', 7],
    ['3.2k', 3200],
    ['1.5M', 1_500_000],
    ['2bn', 2_000_000_000],
    ['$3.5m', 3_500_000],
    ['0.25', 0.25],
    ['.5', 0.5],
    ['**42**', 42],
    ['1,234', 1234],
    ['1.234', 1.234],
  ])('reads %j as %d (English separators)', (cell, value) => {
    expect(parseNumber(cell)).toBe(value);
  });

  it.each(['', '-', '—', '–', 'n/a', 'N/A', 'NaN', '…', 'about ten', '5m', '3,5', '1.2.3'])('reads %j as null', (cell) => {
    expect(parseNumber(cell)).toBeNull();
  });

  it.each([
    ['€3,5', 3.5],
    ['1.234,5', 1234.5],
    ['1 234,5 €', 1234.5],
    ['1.234', 1234],
    ['(0,75)', -0.75],
  ])('reads %j as %d with European separators', (cell, value) => {
    expect(parseNumber(cell, 'european')).toBe(value);
  });

  it('reads a column as European only when some cell can only be European and none can only be English', () => {
    expect(decimalStyle(['€3,5', '€4,25'])).toBe('european');
    expect(decimalStyle(['1.234,5', '1.234'])).toBe('european');
    expect(decimalStyle(['1.234.567', '12'])).toBe('european');
    expect(decimalStyle(['0,123'])).toBe('european');
    expect(decimalStyle(['1,234', '5,678'])).toBe('english');        // ambiguous: thousands
    expect(decimalStyle(['1.234', '12'])).toBe('english');            // ambiguous: a decimal point
    expect(decimalStyle(['3,5', '2.75'])).toBe('english');            // conflicting: English wins, "3,5" is not a number
    expect(decimalStyle(['1,234,567', '3,5'])).toBe('english');
  });

  it('applies the column rule inside a table', () => {
    const [eu, en] = findDataTables(
      '| Land | Preis |\n|---|---|\n| DE | 1.234 |\n| FR | 3,5 |\n\n| Land | Price |\n|---|---|\n| US | 1.234 |\n| UK | 1,234 |',
    );
    expect(eu?.series[0]?.values).toEqual([1234, 3.5]);
    expect(en?.series[0]?.values).toEqual([1.234, 1234]);
  });

  it('turns dashes and n/a into gaps, takes the unit the cells share, or one from the header', () => {
    const [t] = findDataTables('| Year | Share | Revenue ($bn) | Mixed |\n|---|---|---|---|\n| 2021 | 12% | 1.5 | $1 |\n| 2022 | — | n/a | 2% |\n| 2023 | 14 % | 2 | 3 |');
    expect(t?.series).toEqual([
      { name: 'Share', column: 1, values: [12, null, 14], unit: '%' },
      { name: 'Revenue ($bn)', column: 2, values: [1.5, null, 2], unit: '$bn' },
      { name: 'Mixed', column: 3, values: [1, 2, 3] },
    ]);
  });
});

describe('series, labels and kind', () => {
  it('counts a column as a series when at least 60 % of its present cells are numbers', () => {
    const rows = (cells: string[]): string => cells.map((c, i) => `| r${i} | ${c} |`).join('\n');
    const [three] = findDataTables(`| k | v |\n|---|---|\n${rows(['1', '2', '3', 'x', '—'])}`);   // 3 of 4 present
    expect(three?.series[0]?.values).toEqual([1, 2, 3, null, null]);
    expect(findDataTables(`| k | v |\n|---|---|\n${rows(['1', 'y', 'x', '4', '—'])}`)).toEqual([]);   // 2 of 4
  });

  it('ignores a table with no numeric column and a table with one row', () => {
    expect(findDataTables('| Name | Role |\n|---|---|\n| Ada | CEO |\n| Bob | CTO |')).toEqual([]);
    expect(findDataTables('| Name | Age |\n|---|---|\n| Ada | 36 |')).toEqual([]);
  });

  it('returns nothing for text without a table', () => {
    expect(findDataTables('Revenue grew 12% in 2023 | a pipe in prose.\n\n---\n\nThe end.')).toEqual([]);
    expect(findDataTables('')).toEqual([]);
  });

  it('takes the first text column as labels, and labels rows by number when there is none', () => {
    const [mid] = findDataTables('| A | Name | B |\n|---|---|---|\n| 5 | x | 1 |\n| 3 | y | 2 |');
    expect(mid?.labelColumn).toBe(1);
    expect(mid?.series.map((s) => s.column)).toEqual([0, 2]);
    const [none] = findDataTables('| A | B |\n|---|---|\n| 5 | 1 |\n| 3 | 2 |');
    expect(none?.labelColumn).toBe(-1);
    expect(none?.kind).toBe('bar');
    expect(rowLabels(none!)).toEqual(['1', '2']);
  });

  it('uses a numeric first column of years or increasing x values as labels, drawn as a line', () => {
    const [years] = findDataTables('| Year | GDP |\n|---|---|\n| 2021 | 3 |\n| 2022 | 4 |\n| 2023 | 2 |');
    expect([years?.labelColumn, years?.kind, years?.series.length]).toEqual([0, 'line', 1]);
    const [dose] = findDataTables('| Dose | Response |\n|---|---|\n| 10 | 0.2 |\n| 20 | 0.5 |\n| 40 | 0.4 |');
    expect([dose?.labelColumn, dose?.kind]).toEqual([0, 'line']);
    const [shuffled] = findDataTables('| Score | Count |\n|---|---|\n| 10 | 2 |\n| 5 | 5 |\n| 40 | 4 |');
    expect([shuffled?.labelColumn, shuffled?.series.length]).toEqual([-1, 2]);
  });

  it.each([
    [['2021', '2022', '2023'], 'line'],
    [['FY2022', 'FY2023', '2024E'], 'line'],
    [['Q1 2023', 'Q2 2023', "Q3 '23"], 'line'],
    [['2023-Q1', '2023-Q2'], 'line'],
    [['1Q23', '2Q23'], 'line'],
    [['Jan', 'Feb', 'March'], 'line'],
    [['January 2024', 'Feb-24'], 'line'],
    [['2024-01-31', '2024-02-29'], 'line'],
    [['Week 1', 'Week 2'], 'line'],
    [['1', '2', '10'], 'line'],
    [['North', 'South', 'East'], 'bar'],
    [['Jan', 'Other'], 'bar'],
    [['3', '1', '2'], 'bar'],
  ])('draws labels %j as a %s chart', (labels, kind) => {
    const text = `| Label | Value |\n|---|---|\n${labels.map((l, i) => `| ${l} | ${i + 1} |`).join('\n')}`;
    expect(findDataTables(text)[0]?.kind).toBe(kind);
  });
});

describe('findDataTables: code fences', () => {
  it('reads CSV with quoted fields, and its offsets cover the fences', () => {
    const fence = '```csv\nMonth,"Sales, units",Note\nJan,"1,200","said ""hi"""\nFeb,"1,350",\n```';
    const text = `Data:\n${fence}\nDone.`;
    const [t] = findDataTables(text);
    expect(t?.columns).toEqual(['Month', 'Sales, units', 'Note']);
    expect(t?.rows).toEqual([['Jan', '1,200', 'said "hi"'], ['Feb', '1,350', '']]);
    expect(t?.series).toEqual([{ name: 'Sales, units', column: 1, values: [1200, 1350] }]);
    expect(t?.kind).toBe('line');
    expect(text.slice(t!.start, t!.end)).toBe(fence);
  });

  it('reads tab- and semicolon-separated fences (semicolon files keep decimal commas)', () => {
    const [tsv] = findDataTables('```\nCity\tPop\nOslo\t0.7\nBergen\t0.29\n```');
    expect(tsv?.series[0]?.values).toEqual([0.7, 0.29]);
    const [semi] = findDataTables('```text\nStadt;Wert\nWien;1.234,5\nGraz;3,5\n```');
    expect(semi?.series[0]?.values).toEqual([1234.5, 3.5]);
  });

  it('reads a pipe table inside a plain fence, and leaves code fences alone', () => {
    expect(findDataTables('~~~\n| a | b |\n|---|---|\n| x | 1 |\n| y | 2 |\n~~~')[0]?.series[0]?.values).toEqual([1, 2]);
    expect(findDataTables('```python\nx,y\n1,2\n3,4\n```')).toEqual([]);
    expect(findDataTables('```\njust some words\nno table here\n```')).toEqual([]);
  });

  it('does not read a pipe table that is inside a code fence of another language', () => {
    expect(findDataTables('```js\n// | a | b |\n// |---|---|\n```\n')).toEqual([]);
  });
});

describe('findDataTables: several tables', () => {
  it('finds two tables in order, each with its own offsets', () => {
    const a = '| City | Rain |\n|---|---|\n| Oslo | 76 |\n| Rome | 71 |';
    const b = '```csv\nYear,Visitors\n2022,10\n2023,12\n```';
    const text = `First:\n${a}\n\nThen:\n${b}\n`;
    const tables = findDataTables(text);
    expect(tables.map((t) => text.slice(t.start, t.end))).toEqual([a, b]);
    expect(tables.map((t) => t.kind)).toEqual(['bar', 'line']);
  });
});

describe('niceTicks', () => {
  it.each([
    [0, 97, [0, 20, 40, 60, 80, 100]],
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [-3.2, 8.7, [-4, -2, 0, 2, 4, 6, 8, 10]],
    [0.1, 0.37, [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]],
    [1200, 1380, [1200, 1250, 1300, 1350, 1400]],
    [-50, -10, [-50, -40, -30, -20, -10]],
    [0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [5, 5, [0, 2, 4, 6, 8, 10]],
  ])('ticks %d..%d are %j', (min, max, ticks) => {
    expect(niceTicks(min, max)).toEqual(ticks);
  });

  it('covers the range with a 1, 2 or 5 × 10^k step, and holds 0 when the range spans it', () => {
    for (const [min, max] of [[0, 3], [-17, 230], [0.003, 0.0091], [12345, 98765], [-1e6, 1], [-7, -2]] as const) {
      const ticks = niceTicks(min, max);
      expect(ticks[0]).toBeLessThanOrEqual(min);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
      const step = ticks[1]! - ticks[0]!;
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
      if (min <= 0 && max >= 0) expect(ticks).toContain(0);
    }
  });

  it('asks for about `count` intervals', () => {
    expect(niceTicks(0, 100, 10)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(niceTicks(0, 100, 2)).toEqual([0, 50, 100]);
  });

  it('swaps reversed ends and rejects non-finite ones', () => {
    expect(niceTicks(10, 0)).toEqual(niceTicks(0, 10));
    expect(() => niceTicks(0, Infinity)).toThrow(/finite/);
  });
});

describe('formatTick', () => {
  it.each([
    [0, undefined, '0'],
    [1500, undefined, '1.5k'],
    [2_000_000, '$', '$2M'],
    [-2_000_000, '$', '−$2M'],
    [0.1 + 0.2, '%', '0.3%'],
    [1005, undefined, '1.005k'],
    [-3, undefined, '−3'],
    [4.5e9, '€', '€4.5B'],
    [12, '$bn', '12'],
  ])('formats %d (%s) as %j', (value, unit, text) => {
    expect(formatTick(value, unit)).toBe(text);
  });
});
