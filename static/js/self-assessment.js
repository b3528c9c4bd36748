/* The self-assessment page: the year under each figure column follows the assessment year typed. */
(function () {
  var year = document.getElementById("id_assessment_year");
  if (!year) { return; }
  function relabel() {
    var y = parseInt(year.value, 10);
    if (!(y > 1900 && y < 2101)) { return; }
    document.querySelectorAll(".fy-year").forEach(function (el) {
      el.textContent = (y - parseInt(el.dataset.offset, 10)) + "年";
    });
  }
  year.addEventListener("input", relabel);
  relabel();
})();
