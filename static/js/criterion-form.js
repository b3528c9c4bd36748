/* The criterion form (templates/criteria/criterion_form.html): each condition row shows the fields its
   metric takes, from the json_script tag "metric-info"; "添加条件" adds a row from the empty form. */
(function () {
  const info = JSON.parse(document.getElementById("metric-info").textContent);
  const box = document.getElementById("conditions");
  const pick = (row, name) => row.querySelector(`[name$="-${name}"]`);
  function sync(row, changed) {
    const metric = pick(row, "metric"), m = info[metric.value];
    const yesno = !!m && m.yesno;
    // a row without a metric (the blank new row) shows only what it needs first: its metric
    row.querySelectorAll("[data-param]").forEach(el => { el.hidden = !(m && m.params.includes(el.dataset.param)); });
    row.querySelectorAll("[data-numeric]").forEach(el => { el.hidden = !m || yesno; });
    row.querySelectorAll("[data-yesno]").forEach(el => { el.hidden = !yesno; });
    if (changed) {
      const before = info[metric.dataset.before] || {unit: ""};
      const label = pick(row, "label"), unit = pick(row, "unit");
      if (!label.value || label.value === metric.dataset.before) label.value = m ? metric.value : "";
      if (!unit.value || unit.value === before.unit) unit.value = m ? m.unit : "";
      const operator = pick(row, "operator");   // option 0 is 是 (no comparison), option 1 不低于
      if (yesno) { operator.selectedIndex = 0; pick(row, "threshold").value = ""; }
      else if (m && operator.selectedIndex <= 0) operator.selectedIndex = 1;   // the notice's usual 以上
    }
    metric.dataset.before = metric.value;
  }
  box.querySelectorAll(".condition").forEach(row => sync(row, false));
  box.addEventListener("change", e => {
    if (e.target.matches('select[name$="-metric"]')) sync(e.target.closest(".condition"), true);
  });
  document.getElementById("add-condition").addEventListener("click", () => {
    const total = document.getElementById("id_conditions-TOTAL_FORMS");
    const html = document.getElementById("empty-condition").innerHTML.replace(/__prefix__/g, total.value);
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const row = holder.firstElementChild;
    document.getElementById("add-condition").before(row);
    total.value = Number(total.value) + 1;
    sync(row, false);
    pick(row, "metric").focus();
  });
})();
