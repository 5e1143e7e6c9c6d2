/**
 * Talking to the notebook: display, plots, progress, claim studies, the notebook preamble.
 *
 * The public names of src/notebook/, listed one by one: what is not here is internal to the library.
 */
export { bookExportDir, bookExportDone, describeBookExport, exportForBook } from './book-export';
export type { BookExportOptions, BookExportReport, BookModel, BookModelReport, BookSamples } from './book-export';
export { buildClaimStudy, checkClaim, claimSpreadFigure, claimTable, claimThreshold, claimVerdict, claimVerdictLines, describeClaimStudy, loadClaimStudy, summarizeClaim, validateClaimStudy } from './claims';
export type { CheckClaimOptions, ClaimCheck, ClaimDirection, ClaimPath, ClaimRecord, ClaimRow, ClaimRun, ClaimRunRecords, ClaimStudy, ClaimSummary, ClaimValue, ClaimVerdict } from './claims';
export { newNotebookDisplay, showMarkdown } from './display';
export type { NotebookDisplay } from './display';
export { courseLanguage, labelKey, labelTableProblems, loadExerciseHints, loadLabelTable, MissingLabelError, sha256Hex, translateFigure, translateLabel, zhExerciseHint, zhSourceDir } from './language';
export type { CourseLanguage, LabelTable, ZhHint } from './language';
export { barChart, describeFigure, figure, heatmap, lineChart, PLOTLY_MIME, scatterChart, show } from './plot';
export type { Axis, ChartOptions, Figure, Layout, Trace } from './plot';
export { frameMarkdown, printFrame, showFrame } from './print-frame';
export type { PrintFrameOptions } from './print-frame';
export { formatBytes, progress, progressLine } from './progress';
export type { Progress, ProgressOptions } from './progress';
export { check, startNotebook } from './start';
export type { NotebookStart, StartNotebookOptions } from './start';
