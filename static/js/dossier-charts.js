/* 一企一册: the small trend charts of the yearly figures (ECharts, vendored) and the print button.
   The data come from the json_script tag "dossier-chart-data"; no inline script, ready for a CSP. */
(function () {
  "use strict";

  function format(value, places) {
    if (value === null || value === undefined) { return "—"; }
    return Number(value).toLocaleString("zh-CN", {minimumFractionDigits: places, maximumFractionDigits: places});
  }

  function draw(box, chart) {
    var places = chart.unit === "人" ? 0 : 2;
    var instance = echarts.init(box, null, {renderer: "canvas"});
    instance.setOption({
      animation: false,
      grid: {left: 6, right: 6, top: 22, bottom: 4, containLabel: true},
      // richText: drawn on the canvas (the HTML tooltip's style="" attributes are refused by the CSP)
      tooltip: {trigger: "axis", renderMode: "richText", confine: true,
                valueFormatter: function (v) { return format(v, places) + chart.unit; }},
      xAxis: {type: "category", data: chart.years.map(String), axisTick: {show: false},
              axisLabel: {fontSize: 10}},
      yAxis: {type: "value", show: false},
      series: [{
        type: "bar", data: chart.values, barMaxWidth: 28,
        itemStyle: {color: function (p) { return p.value < 0 ? "#c0392b" : "#2f6db5"; }},
        label: {show: true, position: "top", fontSize: 9,
                formatter: function (p) { return format(p.value, places); }},
        labelLayout: {hideOverlap: true}
      }]
    });
    return instance;
  }

  function init() {
    var source = document.getElementById("dossier-chart-data");
    var charts = source ? JSON.parse(source.textContent) : [];
    var instances = [];
    if (typeof echarts !== "undefined") {
      charts.forEach(function (chart) {
        var box = document.querySelector('.dossier-chart[data-figure="' + chart.name + '"]');
        if (box) { instances.push(draw(box, chart)); }
      });
    }
    window.addEventListener("resize", function () {
      instances.forEach(function (i) { i.resize(); });
    });
    window.addEventListener("beforeprint", function () {
      instances.forEach(function (i) { i.resize(); });
    });
    document.querySelectorAll('[data-action="print"]').forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
