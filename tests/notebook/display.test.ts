import { newNotebookDisplay, notebookDisplay, showMarkdown } from '../../src/notebook/display';

test('outside a tslab kernel there is no notebook display, and markdown goes to the console as text', () => {
  expect(notebookDisplay()).toBeNull();
  expect(newNotebookDisplay()).toBeNull();
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
  try {
    showMarkdown('**AUC** 0.75');
  } finally {
    spy.mockRestore();
  }
  expect(lines.join('\n')).toContain('AUC');
});
