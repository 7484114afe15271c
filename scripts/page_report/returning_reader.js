// sphinx-book-theme logs "Got invalid theme mode" when local storage has no theme yet: every
// page is opened as by a returning reader, whose browser has stored mode and theme already.
// (An init script: it runs before the page's own scripts.)
try {
  if (!window.localStorage.getItem("mode")) window.localStorage.setItem("mode", "auto");
  if (!window.localStorage.getItem("theme")) window.localStorage.setItem("theme", "light");
} catch (e) {}
