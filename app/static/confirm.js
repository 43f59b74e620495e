// Forms marked data-confirm ask before they are sent (the pages hold no inline script: the
// Content-Security-Policy allows scripts from this site's files only).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
