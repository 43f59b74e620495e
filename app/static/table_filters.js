// A table filter's "to" field only counts for "between": it is hidden while another comparison
// is chosen. Without this script it stays visible (and is ignored unless "between" is chosen).
document.addEventListener("DOMContentLoaded", function () {
  var fields = document.querySelectorAll("#table-filter .table-filter__field");
  Array.prototype.forEach.call(fields, function (field) {
    var op = field.querySelector("select.table-filter__op");
    var to = field.querySelector(".table-filter__to");
    if (!op || !to) {
      return;
    }
    var show = function () {
      to.hidden = op.value !== "between";
    };
    op.addEventListener("change", show);
    show();
  });
});
