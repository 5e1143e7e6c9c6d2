#!/usr/bin/env node
// @ts-check
// The whole book as ONE PDF (`npm run book -- --pdf`, #21 item 6): a print page (print.html in the book) holds the
// contents and every chapter's <main> in order, each chapter starting on a new page; headless Chromium (playwright-core)
// loads it from a local server, waits until every Plotly figure is drawn (KaTeX is HTML already), and prints it with
// page numbers in the footer to book.pdf next to the pages.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const PRINT_CSS = `
@media print {
  .chapter-nav, .book-search, .notebook-link, .anchor, .modebar-container { display: none !important; }
  section.print-chapter { break-before: page; }
  figure.plot, .katex-display, tr { break-inside: avoid; }
  main { max-width: none; padding: 0; }
}
ol.print-toc > li { margin: 0.4em 0; }
`;

/**
 * A page of the book's chapters in order, after a contents page. Figure ids are prefixed with the chapter's name, so that
 * every chapter's figure-1 stays its own.
 * @param {string} out   the built book
 * @param {{ file: string, title: string }[]} chapters
 * @returns {string} the print page's HTML
 */
function printHtml(out, chapters) {
  const bodies = chapters.map((ch) => {
    const html = fs.readFileSync(path.join(out, ch.file), 'utf8');
    const main = (/<main>([\s\S]*)<\/main>/.exec(html) || ['', ''])[1] || '';
    const prefix = ch.file.replace(/\.html$/, '');
    const body = main.replace(/(["'])figure-(\d+)/g, `$1${prefix}-figure-$2`);
    return `<section class="print-chapter" id="${prefix}">\n${body}\n</section>`;
  });
  const toc = chapters.map((ch) => `<li><a href="#${ch.file.replace(/\.html$/, '')}">${ch.title.replace(/</g, '&lt;')}</a></li>`).join('\n');
  const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  const title = (/<header class="book-title">[\s\S]*?<\/header>/.exec(index) || [''])[0];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The book (print)</title>
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/book.css">
<style>${PRINT_CSS}</style>
<script src="assets/plotly.min.js"></script>
<script src="assets/figures.js"></script>
</head>
<body>
<main>
${title}
<h2>Contents · 目录</h2>
<ol class="print-toc">
${toc}
</ol>
${bodies.join('\n')}
</main>
</body>
</html>
`;
}

/**
 * Pages in a PDF: its /Type /Page objects (Chromium writes no object streams).
 * @param {Buffer} pdf
 */
function pdfPageCount(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

/**
 * Print the built book in `out` to out/book.pdf. Returns { file, bytes, pages, seconds }.
 * @param {string} out
 * @param {{ file: string, title: string }[]} chapters
 */
async function printBook(out, chapters) {
  const t0 = Date.now();
  const { serve } = require('./book-test');
  const { findChromium, CHROMIUM_ARGS } = require('./browser-test');
  const { chromium } = require('playwright-core');
  fs.writeFileSync(path.join(out, 'print.html'), printHtml(out, chapters));
  const { server, base } = await serve(out);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'course-book-pdf-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true, viewport: { width: 1000, height: 1400 } });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/print.html`, { waitUntil: 'load', timeout: 120000 });
    await page.waitForFunction(() => {
      const figs = [...document.querySelectorAll('.output.figure')];
      return figs.every((f) => f.getAttribute('data-rendered') === 'true' || f.classList.contains('figure-error'));
    }, undefined, { timeout: 300000, polling: 500 });
    const failed = await page.evaluate(() => [...document.querySelectorAll('.figure-error')].map((f) => f.id));
    if (failed.length) throw new Error(`figures not drawn for the PDF: ${failed.join(', ')}`);
    const file = path.join(out, 'book.pdf');
    await page.pdf({
      path: file, format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
      displayHeaderFooter: true, headerTemplate: '<span></span>',
      footerTemplate: '<div style="font-size:9px;width:100%;text-align:center;color:#59636e"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
    });
    const pdf = fs.readFileSync(file);
    return { file, bytes: pdf.length, pages: pdfPageCount(pdf), seconds: (Date.now() - t0) / 1000 };
  } finally {
    await context.close().catch(() => {});
    await new Promise((r) => server.close(() => r(undefined)));
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

module.exports = { printHtml, printBook, pdfPageCount };
