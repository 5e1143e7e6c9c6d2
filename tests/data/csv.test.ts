import { csvNumberColumns, parseCsvStrict } from '../../src/data/csv';

test('parses a header and rows, with quotes, escaped quotes, CRLF and a BOM', () => {
  const t = parseCsvStrict('\ufeffa,b,c\r\n1,"x,y",3\r\n4,"say ""hi""",6\r\n"multi\nline",,9\n', { file: 'q.csv' });
  expect(t.header).toEqual(['a', 'b', 'c']);
  expect(t.rows).toEqual([['1', 'x,y', '3'], ['4', 'say "hi"', '6'], ['multi\nline', '', '9']]);
  expect(t.lines).toEqual([2, 3, 4]);
});

test('a row with the wrong number of fields is an error with its line number and the fix', () => {
  expect(() => parseCsvStrict('a,b\n1,2\n3\n5,6\n', { file: 'data.csv' }))
    .toThrow('data.csv line 3: expected 2 fields (as in the header), found 1. The file is damaged or not the expected one: run `npm run data` to fetch a verified copy.');
  expect(() => parseCsvStrict('a,b\n1,2,3\n', { file: 'data.csv', hint: 'Fix it.' })).toThrow('data.csv line 2: expected 2 fields (as in the header), found 3. Fix it.');
});

test('other malformed input: open quote, stray quote, empty line, duplicate column, empty file', () => {
  expect(() => parseCsvStrict('a,b\n1,"oops\n2,3\n', { file: 'f.csv' })).toThrow(/f\.csv line 2: a quoted field is not closed/);
  expect(() => parseCsvStrict('a,b\n1,x"y\n', { file: 'f.csv' })).toThrow(/f\.csv line 2: a quote inside an unquoted field/);
  expect(() => parseCsvStrict('a,b\n1,"x"y\n', { file: 'f.csv' })).toThrow(/f\.csv line 2: unexpected 'y' after a closing quote/);
  expect(() => parseCsvStrict('a,b\n1,2\n\n3,4\n', { file: 'f.csv' })).toThrow(/f\.csv line 3: empty line inside the data/);
  expect(() => parseCsvStrict('a,a\n1,2\n', { file: 'f.csv' })).toThrow(/f\.csv line 1: column 'a' appears twice/);
  expect(() => parseCsvStrict('', { file: 'f.csv' })).toThrow(/f\.csv: the file is empty/);
});

test('csvNumberColumns converts columns and names the line and column of a bad number', () => {
  const t = parseCsvStrict('x,y\n1,2.5\n-3,4e2\n', { file: 'n.csv' });
  const cols = csvNumberColumns(t);
  expect(Array.from(cols.x!)).toEqual([1, -3]);
  expect(Array.from(cols.y!)).toEqual([2.5, 400]);
  expect(() => csvNumberColumns(t, { integer: true })).toThrow("n.csv line 2, column 'y': '2.5' is not an integer.");
  const bad = parseCsvStrict('x,y\n1,2\n3,\n', { file: 'n.csv' });
  expect(() => csvNumberColumns(bad)).toThrow("n.csv line 3, column 'y': '' is not a number.");
});
