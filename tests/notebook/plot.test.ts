import { barChart, describeFigure, heatmap, lineChart, PLOTLY_MIME, scatterChart, show } from '../../src/notebook/plot';

test('lineChart makes one scatter trace per series, sharing x', () => {
  const fig = lineChart({ x: [1, 2, 3], series: { train: [0.9, 0.5, 0.3], val: [1, 0.7, 0.6] } }, { title: 'Loss', xTitle: 'epoch', yTitle: 'loss' });
  expect(fig.data).toHaveLength(2);
  expect(fig.data[1]).toMatchObject({ type: 'scatter', mode: 'lines', name: 'val', x: [1, 2, 3], y: [1, 0.7, 0.6] });
  expect(fig.layout.title).toEqual({ text: 'Loss' });
  expect(fig.layout.xaxis?.title).toEqual({ text: 'epoch' });
});

test('a series of the wrong length is an error that names it', () => {
  expect(() => lineChart({ x: [1, 2, 3], series: { val: [1, 2] } })).toThrow(/series 'val' has 2 values but x has 3/);
  expect(() => barChart({ x: ['a'], series: { n: [1, 2] } })).toThrow(/series 'n'/);
  expect(() => scatterChart({ g: { x: [1], y: [] } })).toThrow(/series 'g'/);
});

test('heatmap checks shape, labels and writes cell text when annotated', () => {
  const fig = heatmap([[5, 1], [2, 7]], { x: ['a', 'b'], y: ['a', 'b'] }, { annotate: true });
  expect(fig.data[0]).toMatchObject({ type: 'heatmap', z: [[5, 1], [2, 7]], x: ['a', 'b'], text: [['5', '1'], ['2', '7']] });
  expect(fig.layout.yaxis).toMatchObject({ autorange: 'reversed' });
  expect(() => heatmap([[1, 2], [3]])).toThrow(/row 1 has 1 values/);
  expect(() => heatmap([[1, 2]], { x: ['a'] })).toThrow(/1 x labels for 2 columns/);
});

test('show refuses non-finite values and prints a summary outside a notebook', () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(() => show(lineChart({ x: [1, 2], series: { a: [1, Number.NaN] } }))).toThrow(/NaN at y\[1\]; use null for a gap/);
    const fig = barChart({ x: ['a', 'b'], series: { n: [3, 4] } }, { title: 'Counts' });
    expect(show(fig)).toBeUndefined();
    expect(log).toHaveBeenCalledWith(describeFigure(fig));
    expect(describeFigure(fig)).toBe("[figure] Counts: 1 trace(s) (bar 'n')");
  } finally {
    log.mockRestore();
  }
  expect(PLOTLY_MIME).toBe('application/vnd.plotly.v1+json');
});
