// The page's layout as shown at its viewport: every code cell (and how far its code runs past
// its box), the outputs that scroll or spill past the content column, the text outputs that
// wrap, the blocks outside cells that overflow, and every figure (shown and natural width, the
// dpi from the PNG's pHYs chunk, a transparent top-left pixel, alt text, and the tick labels'
// estimated size on the screen). Collapsed solutions and hidden inputs are opened to measure
// them, then closed again. `tickPt`: the course style's tick label size in points.
async (tickPt) => {
  const opened = Array.from(document.querySelectorAll('details:not([open])'));
  opened.forEach(d => { d.open = true; });
  const article = document.querySelector('article.bd-article') || document.body;
  const right = article.getBoundingClientRect().right  // the column's edge, padding excluded
                - parseFloat(getComputedStyle(article).paddingRight);
  const clips = el => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  // How far an element's content runs past what is shown: it scrolls, or spills past the column.
  // (MathJax's copy for screen readers makes a formula's box scroll by a few px when nothing
  // is hidden: a formula is measured by its typeset part, mjx-math, against its box.)
  const excess = el => Math.max(
    !clips(el) ? 0 : el.matches('.math') ? Math.max(0, ...Array.from(
      el.querySelectorAll('mjx-math'),
      m => m.getBoundingClientRect().right - el.getBoundingClientRect().right))
      : el.scrollWidth - el.clientWidth,
    el.getBoundingClientRect().right - right);
  const worst = root => {
    let best = null, px = 0;
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (el.closest('mjx-assistive-mml')) continue;  // MathJax's off-screen copy for readers
      const e = excess(el);
      if (e > px + 0.5) { px = e; best = el; }
    }
    return best && px > 1 ? {px: Math.round(px), el: best} : null;
  };
  const text = el => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
  const cells = Array.from(article.querySelectorAll('div.cell'));
  const code = [], outputs = [], wrapped = [], blocks = [], figures = [];
  cells.forEach((cell, i) => {
    const pre = cell.querySelector('.cell_input pre');
    if (pre) {
      const lines = pre.textContent.replace(/\n$/, '').split('\n');
      const e = worst(cell.querySelector('.cell_input'));
      code.push({cell: i + 1, first: lines[0].slice(0, 60), lines: lines.length,
                 longest: Math.max(...lines.map(l => l.length)), excess: e ? e.px : 0});
    }
    cell.querySelectorAll('.cell_output > *').forEach(out => {
      const e = worst(out);
      if (e) outputs.push({cell: i + 1, text: text(out).slice(0, 60), excess: e.px,
                           element: e.el.tagName.toLowerCase()});
      // Text outputs wrap (_static/course.css): a wrapped line shows as a taller box.
      out.querySelectorAll('pre').forEach(pre => {
        const style = getComputedStyle(pre);
        const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
        const height = pre.clientHeight - parseFloat(style.paddingTop)
                       - parseFloat(style.paddingBottom);
        const lines = pre.textContent.replace(/\n$/, '').split('\n');
        if (height > (lines.length + 0.5) * line) {
          wrapped.push({cell: i + 1, longest: Math.max(...lines.map(l => l.length)),
                        text: lines.reduce((a, b) => b.length > a.length ? b : a).slice(0, 60)});
        }
      });
    });
  });
  // Code blocks, tables and display math outside cells.
  article.querySelectorAll('div.highlight, table, div.math').forEach(el => {
    if (el.closest('div.cell')) return;
    const e = worst(el);
    if (e) blocks.push({text: text(el).slice(0, 60), excess: e.px,
                        element: e.el.tagName.toLowerCase()});
  });
  for (const img of article.querySelectorAll('img')) {
    if (!img.complete || !img.naturalWidth) continue;
    const attr = parseFloat(img.getAttribute('width'));
    const natural = attr > 0 && !/%/.test(img.getAttribute('width')) ? attr : img.naturalWidth;
    const shown = img.getBoundingClientRect().width;
    if (!shown) continue;
    const cell = img.closest('div.cell');
    const figure = {cell: cell ? cells.indexOf(cell) + 1 : null, src: img.src.split('/').pop(),
                    alt: img.getAttribute('alt') || '', natural: Math.round(natural),
                    shown: Math.round(shown), ratio: shown / natural, dpi: null,
                    label_px: null, transparent: null};
    if (/\.png($|\?)/i.test(img.src)) {
      try {  // the PNG's pHYs chunk holds the dpi that matplotlib saved it with
        const bytes = new DataView(await (await fetch(img.src)).arrayBuffer());
        for (let at = 8; at + 8 <= bytes.byteLength;) {
          const length = bytes.getUint32(at);
          const type = String.fromCharCode(...[4, 5, 6, 7].map(k => bytes.getUint8(at + k)));
          if (type === 'pHYs' && bytes.getUint8(at + 16) === 1) {
            figure.dpi = Math.round(bytes.getUint32(at + 8) * 0.0254);
          }
          if (type === 'IDAT' || type === 'IEND') break;
          at += 12 + length;
        }
      } catch (e) {}
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 1;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0, 1, 1, 0, 0, 1, 1);
      figure.transparent = ctx.getImageData(0, 0, 1, 1).data[3] < 255;
      // Natural size in image pixels per CSS pixel (an @2x figure states half its width).
      const density = img.naturalWidth / natural;
      if (figure.dpi) figure.label_px = tickPt * figure.dpi / 72 / density * figure.ratio;
    }
    figures.push(figure);
  }
  opened.forEach(d => { d.open = false; });
  return {code, outputs, wrapped, blocks, figures};
}
