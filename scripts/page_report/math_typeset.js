// True when MathJax has typeset every formula of the page (at once on a page without math).
() => Array.from(document.querySelectorAll('.math')).every(
    m => m.tagName === 'MJX-CONTAINER' || m.querySelector('mjx-container'))
