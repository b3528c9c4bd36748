/* The cultivation plan page: rules still missing and items done over time (ECharts), from the
   json_script tag "plan-progress-data". */
(function () {
  var data = JSON.parse(document.getElementById("plan-progress-data").textContent);
  var chart = echarts.init(document.getElementById("plan-progress-chart"));
  chart.setOption({
    // richText: ECharts draws the tooltip on the canvas; its HTML tooltip carries style="" attributes
    // that the Content-Security-Policy refuses.
    tooltip: {trigger: "axis", renderMode: "richText", confine: true}, legend: {top: 0},
    grid: {left: 36, right: 16, top: 32, bottom: 40},
    xAxis: {type: "category", data: data.dates, axisLabel: {formatter: function (v) { return v.slice(0, 10); }}},
    yAxis: {type: "value", minInterval: 1},
    series: [
      {name: data.labels.lacking, type: "line", step: "end", data: data.lacking, itemStyle: {color: "#dc3545"}},
      {name: data.labels.done, type: "line", step: "end", data: data.done, itemStyle: {color: "#198754"}}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
