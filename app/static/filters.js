// On a phone the search filters start folded, so the results come first; a tap on "Filter"
// unfolds them. Without this script (or on a wide screen) they stay open beside the results.
document.addEventListener("DOMContentLoaded", function () {
  var panel = document.getElementById("filters");
  if (panel && window.matchMedia("(max-width: 800px)").matches) {
    panel.removeAttribute("open");
  }
});
// A window widened past the phone layout shows the filters again (the toggle is hidden there).
window.matchMedia("(min-width: 801px)").addEventListener("change", function (event) {
  var panel = document.getElementById("filters");
  if (panel && event.matches) {
    panel.setAttribute("open", "");
  }
});
