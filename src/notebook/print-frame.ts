/**
 * Show a danfojs DataFrame (数据框) as a table, the pandas way: in a notebook (and the book) a real table with its
 * shape under it — `showFrame` — and in a terminal or a log readable text — `printFrame`. danfo's own `print` cuts
 * every cell at 16 characters, which turns *no checking account* into *no checking acc…*, prints every float digit,
 * and draws box characters that wrap in JupyterLab. Both round non-integer numbers to `digits` decimals; the frame
 * itself is not changed.
 *
 * ```ts
 * showFrame(credit.df.head(5));                               // a table: index, columns, 3 decimals, "5 rows × 21 columns"
 * showFrame(df.loc({ columns: numeric }).describe(), { digits: 1 });
 * printFrame(new dfd.DataFrame(policyRows), { width: 40 });   // text, columns as wide as their values
 * frameMarkdown(frame);                                       // the table as Markdown (what showFrame displays)
 * ```
 */
import type * as Dfd from 'danfojs-node';
import { lazyDanfo } from '../data/lazy-danfo';
import { notebookDisplay } from './display';

export interface PrintFrameOptions {
  /** Widest column, in characters; longer cells are cut (default 28). */
  width?: number;
  /** Rows printed before danfo elides the rest (default 30). */
  maxRows?: number;
  /** Decimals of non-integer numbers (default 3). */
  digits?: number;
}

/** Print `frame` with columns as wide as their content (up to `width`) and numbers to `digits` decimals. */
export function printFrame(frame: Dfd.DataFrame, options: PrintFrameOptions = {}): void {
  const { width = 28, maxRows = 30, digits = 3 } = options;
  const data: Record<string, (string | number)[]> = {};
  for (const c of frame.columns) {
    data[c] = (frame.column(c).values as (string | number)[]).map((v) =>
      (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(digits)) : v));
  }
  const out = new (lazyDanfo().DataFrame)(data, { index: frame.index });
  const cellWidth = (values: (string | number)[]): number => Math.min(width, Math.max(3, ...values.map((v) => String(v).length)));
  const columns: Record<number, { width: number; truncate: number }> = { 0: { width: cellWidth(frame.index), truncate: width } };
  frame.columns.forEach((c, j) => { columns[j + 1] = { width: cellWidth([c, ...data[c]!]), truncate: width }; });
  out.config.setTableDisplayConfig({ columns });
  out.config.setMaxRow(maxRows);
  out.print();
}

/** A cell as Markdown table text: numbers rounded; `|` and Markdown's markup characters escaped; line breaks as spaces. */
function markdownCell(v: unknown, digits: number): string {
  const text = typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(digits) : String(v);
  return text.replace(/[\\|*_`<>[\]]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

/**
 * `frame` as a Markdown table — the index as the first column, at most `maxRows` rows (then a row of "…") — and its
 * shape in italics below, e.g. `*1000 rows × 21 columns*`.
 */
export function frameMarkdown(frame: Dfd.DataFrame, options: Pick<PrintFrameOptions, 'maxRows' | 'digits'> = {}): string {
  const { maxRows = 30, digits = 3 } = options;
  const columns = frame.columns as string[];
  const index = frame.index as (string | number)[];
  const shown = Math.min(index.length, maxRows);
  const values = columns.map((c) => frame.column(c).values as unknown[]);
  const lines = [
    `| | ${columns.map((c) => markdownCell(c, digits)).join(' | ')} |`,
    `|---|${columns.map((_, j) => (typeof values[j]![0] === 'number' ? '---:' : '---')).join('|')}|`,
  ];
  for (let i = 0; i < shown; i++) lines.push(`| ${markdownCell(index[i], digits)} | ${values.map((col) => markdownCell(col[i], digits)).join(' | ')} |`);
  if (shown < index.length) lines.push(`| … | ${columns.map(() => '…').join(' | ')} |`);
  return `${lines.join('\n')}\n\n*${index.length} rows × ${columns.length} columns*`;
}

/** In a notebook, show `frame` as a table with its shape (`frameMarkdown`); elsewhere print it as text (`printFrame`). */
export function showFrame(frame: Dfd.DataFrame, options: PrintFrameOptions = {}): void {
  const d = notebookDisplay();
  if (d) d.markdown(frameMarkdown(frame, options));
  else printFrame(frame, options);
}
