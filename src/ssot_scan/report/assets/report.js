(function(){
  function cellValue(row, i){
    var t = row.cells[i] ? row.cells[i].textContent.trim() : "";
    var n = Number(t.replace('%',''));
    return t !== "" && !isNaN(n) ? n : t.toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function(table){
    table.querySelectorAll("th").forEach(function(th, i){
      th.setAttribute("aria-sort", "none");
      th.addEventListener("click", function(){
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var up = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function(o){ o.setAttribute("aria-sort","none"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        rows.sort(function(a, b){
          var x = cellValue(a, i), y = cellValue(b, i);
          return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
        });
        rows.forEach(function(r){ body.appendChild(r); });
      });
    });
  });
  var filters = document.querySelector(".filters");
  if (filters) {
    filters.hidden = false;
    var code = filters.querySelector("[data-filter=code]");
    var text = filters.querySelector("[data-filter=text]");
    var shown = filters.querySelector(".shown");
    var rows = document.querySelectorAll("table.findings tbody tr");
    var apply = function(){
      var c = code.value, q = text.value.toLowerCase(), n = 0;
      rows.forEach(function(r){
        var ok = (!c || r.dataset.code === c) &&
                 (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
        r.hidden = !ok; if (ok) n++;
      });
      shown.textContent = n + " of " + rows.length + " shown";
    };
    code.addEventListener("change", apply); text.addEventListener("input", apply); apply();
  }
  // What the browser drew, for tests that open the page headless (--dump-dom).
  function size(e){
    var r = e.getBoundingClientRect();
    return [Math.round(r.width), Math.round(r.height)];
  }
  document.documentElement.setAttribute("data-rendered", JSON.stringify({
    maps: Array.prototype.map.call(document.querySelectorAll("svg.map"), size),
    trend: Array.prototype.map.call(document.querySelectorAll("svg.trend"), size),
    nodes: document.querySelectorAll("svg.map g.node").length,
    breakers: document.querySelectorAll("svg.map g.edge.breaker").length,
    rows: document.querySelectorAll("table.findings tbody tr").length,
    filters: !document.querySelector(".filters").hidden
  }));
})();
