/**
 * A strict CSV parser (严格的 CSV 解析) that reports problems by line number: every row must have
 * as many fields as the header, quotes must be balanced, and numeric columns must hold numbers.
 * RFC 4180 quoting (`"a,b"`, `""` for a quote) and LF or CRLF line ends are accepted.
 *
 * ```ts
 * const t = parseCsvStrict('a,b\n1,2\n3,4\n', { file: 'x.csv' });
 * t.header;      // ['a', 'b']
 * t.rows;        // [['1', '2'], ['3', '4']]
 * csvNumberColumns(t);   // { a: Float64Array [1, 3], b: Float64Array [2, 4] }
 * ```
 */

export interface CsvTable {
  /** Name used in errors (usually the file path). */
  file: string;
  header: string[];
  rows: string[][];
  /** The 1-based line on which each row starts. */
  lines: number[];
}

export interface CsvOptions {
  file?: string;
  delimiter?: string;
  /** The fix to suggest in errors (default: fetch a verified copy with `npm run data`). */
  hint?: string;
}

/** Parse CSV text with a header row; any malformed row is an error naming the file and line. */
export function parseCsvStrict(text: string, options: CsvOptions = {}): CsvTable {
  const file = options.file ?? '<csv>';
  const d = options.delimiter ?? ',';
  const hint = options.hint ?? 'The file is damaged or not the expected one: run `npm run data` to fetch a verified copy.';
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') throw new Error(`parseCsvStrict: bad delimiter ${JSON.stringify(d)}`);
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { fields: string[]; line: number }[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (src[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new Error(`${file} line ${startLine}: a quoted field is not closed before the end of the file. ${hint}`);
          const ch = src[i]!;
          if (ch === '"') {
            if (src[i + 1] === '"') { value += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (ch === '\n') line++;
          value += ch;
          i++;
        }
        if (i < n && src[i] !== d && src[i] !== '\n' && src[i] !== '\r') {
          throw new Error(`${file} line ${line}: unexpected '${src[i]}' after a closing quote. ${hint}`);
        }
      } else {
        const start = i;
        while (i < n && src[i] !== d && src[i] !== '\n' && src[i] !== '\r') {
          if (src[i] === '"') throw new Error(`${file} line ${line}: a quote inside an unquoted field. ${hint}`);
          i++;
        }
        value = src.slice(start, i);
      }
      fields.push(value);
      if (i < n && src[i] === d) { i++; continue; }
      break;
    }
    if (src[i] === '\r') i++;
    if (i < n && src[i] !== '\n') throw new Error(`${file} line ${line}: a bare carriage return inside a row. ${hint}`);
    i++;
    line++;
    records.push({ fields, line: startLine });
  }
  if (records.length === 0) throw new Error(`${file}: the file is empty (no header row). ${hint}`);
  const header = records[0]!.fields;
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new Error(`${file} line 1: column '${h}' appears twice in the header. ${hint}`);
    seen.add(h);
  }
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const { fields, line: at } = records[r]!;
    if (fields.length === 1 && fields[0] === '') throw new Error(`${file} line ${at}: empty line inside the data. ${hint}`);
    if (fields.length !== header.length) {
      throw new Error(`${file} line ${at}: expected ${header.length} fields (as in the header), found ${fields.length}. ${hint}`);
    }
    rows.push(fields);
    lines.push(at);
  }
  return { file, header, rows, lines };
}

/**
 * Every column of `table` as numbers (Float64Array per column); a field that is not a finite
 * number is an error naming the file, line and column. `integer: true` also requires integers.
 */
export function csvNumberColumns(table: CsvTable, options: { integer?: boolean; hint?: string } = {}): Record<string, Float64Array> {
  const hint = options.hint ?? 'The file is damaged or not the expected one: run `npm run data` to fetch a verified copy.';
  const out: Record<string, Float64Array> = {};
  const cols = table.header.map(() => new Float64Array(table.rows.length));
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r]!;
    for (let c = 0; c < row.length; c++) {
      const s = row[c]!.trim();
      const v = s === '' ? NaN : Number(s);
      if (!Number.isFinite(v) || (options.integer && !Number.isInteger(v))) {
        throw new Error(`${table.file} line ${table.lines[r]}, column '${table.header[c]}': '${row[c]}' is not ${options.integer ? 'an integer' : 'a number'}. ${hint}`);
      }
      cols[c]![r] = v;
    }
  }
  table.header.forEach((h, c) => { out[h] = cols[c]!; });
  return out;
}
