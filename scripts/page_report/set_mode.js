// Switch the theme to light or dark as its switch does: it sets these two attributes (and
// stores the choice, which is not done here: the next page opens in the reader's mode, as the
// init script left it).
(mode) => {
  // The theme's colours change with transitions: turn them off, so that the new colours hold
  // from the next frame on (waiting for the transitions took 0.4 s a page).
  if (!document.getElementById('no-transitions')) {
    const style = document.createElement('style');
    style.id = 'no-transitions';
    style.textContent = '*, *::before, *::after { transition: none !important; }';
    document.head.appendChild(style);
  }
  document.documentElement.dataset.mode = mode;
  document.documentElement.dataset.theme = mode;
  return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}
