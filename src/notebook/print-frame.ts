/**
 * Print a danfojs DataFrame (数据框) readably: danfo cuts every cell at 16 characters, which turns
 * *no checking account* into *no checking acc…*, and prints every float digit. `printFrame` sizes
 * each column to its content (up to `width` characters) and rounds non-integer numbers to `digits`
 * decimals; the frame itself is not changed.
 *
 * ```ts
 * printFrame(credit.df.head(5));                              // columns as wide as their values, 3 decimals
 * printFrame(df.loc({ columns: numeric }).describe(), { digits: 1 });
 * printFrame(new dfd.DataFrame(policyRows), { width: 40 });   // longer text cells
 * ```
 */
import type * as Dfd from 'danfojs-node';
import { lazyDanfo } from '../data/lazy-danfo';

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
