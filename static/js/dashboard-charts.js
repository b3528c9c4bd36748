/* 目标看板: the targets' sparklines, the pool by tier (funnel), and the pool and new titles by town
   and by industry (bars), drawn with the vendored ECharts from the json_script tag
   "dashboard-chart-data". No inline script or style (CSP); tooltips drawn as rich text. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var instances = [];
  var COLORS = {below: "#c0392b", within: "#198754", above: "#2f6db5", pool: "#2f6db5", titles: "#e0a526"};

  function make(box) {
    var chart = echarts.init(box, null, {renderer: "canvas"});
    instances.push(chart);
    return chart;
  }

  function sparkline(box, line) {
    var goal = line.floor;
    make(box).setOption({
      animation: false,
      // the value axis is hidden: a fixed grid (containLabel would measure its labels all the same)
      grid: {left: 6, right: 6, top: 8, bottom: 20},
      tooltip: {trigger: "axis", renderMode: "richText", confine: true,
                valueFormatter: function (v) { return v + line.unit; }},
      xAxis: {type: "category", data: line.years.map(function (y) { return y + "年"; }), boundaryGap: true,
              axisTick: {show: false}, axisLabel: {fontSize: 10}},
      yAxis: {type: "value", show: false, min: 0, max: function (v) { return Math.max(v.max, goal) * 1.1; }},
      series: [{type: "line", data: line.values, symbolSize: 6, lineStyle: {width: 2},
                itemStyle: {color: "#2f6db5"}, areaStyle: {opacity: 0.08},
                markLine: {silent: true, symbol: "none", lineStyle: {type: "dashed", color: "#999"},
                           label: {show: false}, data: [{yAxis: goal, name: data.labels.floor}]}}]
    });
  }

  function bars(box, set) {
    var many = set.names.length > 6;
    make(box).setOption({
      animation: false,
      legend: {top: 0},
      grid: {left: 8, right: 8, top: 30, bottom: 4, containLabel: true},
      tooltip: {trigger: "axis", renderMode: "richText", confine: true},
      xAxis: {type: "category", data: set.names,
              axisLabel: {interval: 0, rotate: many ? 40 : 0, fontSize: 11, width: 80, overflow: "truncate"}},
      yAxis: {type: "value", minInterval: 1},
      series: [{name: data.labels.pool, type: "bar", data: set.pool, itemStyle: {color: COLORS.pool}, barMaxWidth: 28},
               {name: data.labels.titles, type: "bar", data: set.titles, itemStyle: {color: COLORS.titles},
                barMaxWidth: 28}]
    });
  }

  function funnel(box, tiers) {
    make(box).setOption({
      animation: false,
      tooltip: {trigger: "item", renderMode: "richText", confine: true,
                formatter: function (p) { return p.name + "：" + p.value + data.labels.firms; }},
      series: [{type: "funnel", left: "5%", width: "90%", top: 8, bottom: 8, sort: "none", minSize: "18%",
                gap: 2, label: {position: "inside", formatter: "{c}", fontSize: 13},
                color: ["#9ec5fe", "#6ea8fe", "#2f6db5", "#0a3a7a"],
                data: tiers.map(function (t) { return {name: t.label, value: t.value}; })}]
    });
  }

  document.querySelectorAll("[data-sparkline]").forEach(function (box) {
    var line = data.sparklines[box.getAttribute("data-sparkline")];
    if (line) { sparkline(box, line); }
  });
  var box = document.getElementById("funnel-chart");
  if (box) { funnel(box, data.funnel); }
  box = document.getElementById("towns-chart");
  if (box) { bars(box, data.towns); }
  box = document.getElementById("industries-chart");
  if (box) { bars(box, data.industries); }

  window.addEventListener("resize", function () {
    instances.forEach(function (chart) { chart.resize(); });
  });
})();
