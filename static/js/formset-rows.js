/* "添加一行" under a formset table (button.add-row data-prefix="..."): adds a row made from the
   formset's empty form (<template id="empty-PREFIX">) and counts it in PREFIX-TOTAL_FORMS. */
document.querySelectorAll("button.add-row").forEach(function (button) {
  button.addEventListener("click", function () {
    var prefix = button.dataset.prefix;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var row = document.getElementById("empty-" + prefix).innerHTML.replace(/__prefix__/g, total.value);
    document.querySelector("#records-" + prefix + " tbody").insertAdjacentHTML("beforeend", row);
    total.value = parseInt(total.value, 10) + 1;
  });
});
