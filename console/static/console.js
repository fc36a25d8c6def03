// chengxin console: live dashboard figures, the trend chart, upload progress.
(function () {
  "use strict";
  var trendEl = document.getElementById("trend");
  var chart = null;
  if (trendEl && window.echarts) {
    var d = JSON.parse(document.getElementById("trend-data").textContent);
    chart = echarts.init(trendEl, null, { renderer: "canvas" });
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [cxLabels.checks, cxLabels.hits], textStyle: { color: "#c9d6f2" } },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.days, axisLabel: { color: "#9fb3d9" } },
      yAxis: { type: "value", axisLabel: { color: "#9fb3d9" }, splitLine: { lineStyle: { color: "#27406e" } } },
      series: [
        { name: cxLabels.checks, type: "line", smooth: true, data: d.checks, areaStyle: { opacity: 0.15 }, itemStyle: { color: "#59d5ff" } },
        { name: cxLabels.hits, type: "line", smooth: true, data: d.hits, areaStyle: { opacity: 0.15 }, itemStyle: { color: "#ff6b6b" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var live = document.querySelectorAll("[data-live]");
  if (live.length) {
    var tick = function () {
      fetch("/console/live", { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (!j) return;
          live.forEach(function (el) {
            var p = el.getAttribute("data-live").split(".");
            var v = j[p[0]][p[1]];
            var s = el.hasAttribute("data-pct") ? (v * 100).toFixed(1) + "%" : String(v);
            if (el.textContent !== s) {
              el.textContent = s;
              el.classList.add("flash");
              setTimeout(function () { el.classList.remove("flash"); }, 800);
            }
          });
          if (chart && j.trend) {
            chart.setOption({ xAxis: { data: j.trend.days }, series: [{ data: j.trend.checks }, { data: j.trend.hits }] });
          }
          var tbody = document.getElementById("ranking");
          if (tbody && j.ranking && j.ranking.length) {
            // Rebuilt with text nodes only: names come from registrations.
            var rows = document.createDocumentFragment();
            j.ranking.forEach(function (d, i) {
              var tr = document.createElement("tr");
              var median = d.median_feedback_minutes == null ? "—" : String(d.median_feedback_minutes);
              [String(i + 1), d.name, String(d.checks), String(d.hits), (d.feedback_rate * 100).toFixed(1) + "%",
                String(d.feedback_overdue), String(d.allowed_on_block), median].forEach(function (v, k) {
                var td = document.createElement("td");
                td.textContent = v;
                if (k === 5 && d.feedback_overdue > 0) td.className = "warn";
                tr.appendChild(td);
              });
              rows.appendChild(tr);
            });
            tbody.replaceChildren(rows);
          }
          var at = document.getElementById("live-at");
          if (at) at.textContent = j.at;
        })
        .catch(function () {});
    };
    setInterval(tick, 2000);
  }
  var up = document.getElementById("upload");
  if (up && window.XMLHttpRequest) {
    up.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var bar = document.getElementById("upload-progress");
      bar.hidden = false; bar.value = 0;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", up.action);
      xhr.setRequestHeader("X-Fragment", "upload");
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(e.loaded / e.total * 100); };
      xhr.onload = function () { bar.value = 100; document.getElementById("upload-out").innerHTML = xhr.responseText; };
      xhr.send(new FormData(up));
    });
  }
})();
