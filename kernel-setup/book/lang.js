// The language switch (English ⇄ 中文) on every page of the book keeps the reader's place: on click it adds the id
// of the cell at the top of the window to the other edition's page. Both editions are built from the same notebook
// cells (the Chinese notebook keeps every cell id), so the same `cell-<id>` exists on both pages.
(function () {
  'use strict';
  /** The id of the first cell whose bottom is below the top of the window (the one being read), or ''. */
  function cellInView() {
    const cells = document.querySelectorAll('main section.cell[id]');
    for (const cell of cells) {
      if (cell.getBoundingClientRect().bottom > 8) return cell.id;
    }
    return '';
  }
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('a.lang-switch') : null;
    if (!target) return;
    const id = cellInView();
    if (!id || window.scrollY < 8) return; // at the top of the page: the page itself
    const href = (target.getAttribute('href') || '').split('#')[0];
    target.setAttribute('href', `${href}#${encodeURIComponent(id)}`);
  });
})();
