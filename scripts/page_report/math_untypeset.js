// The text of the first three formulas that MathJax has not typeset.
() => Array.from(document.querySelectorAll('.math'))
    .filter(m => !m.querySelector('mjx-container')).slice(0, 3)
    .map(m => m.textContent)
