/* The inspect page's contents table: the shipper's EPCIS data against the scans so far.
 * Fetched on load and after each triaged scan; all data is inserted with textContent. */
(function () {
  "use strict";

  var root = document.getElementById("inspect");
  var card = document.getElementById("contents");
  if (!root || !card) { return; }
  var url = card.dataset.contentsUrl;
  var body = document.getElementById("contents-rows");
  var summary = document.getElementById("contents-summary");
  var pending = null;

  function cell(text) {
    var node = document.createElement("td");
    node.textContent = text;
    return node;
  }

  function show(data) {
    card.hidden = !data.epcis_attached;
    if (!data.epcis_attached) { return; }
    body.replaceChildren();
    data.lines.forEach(function (line) {
      var row = document.createElement("tr");
      if (line.missing > 0) { row.className = "missing"; }
      [line.ndc10 || line.gtin || "—", line.lot || "—", String(line.expected),
       String(line.scanned), String(line.present_sealed), String(line.missing)]
        .forEach(function (text) { row.appendChild(cell(text)); });
      body.appendChild(row);
    });
    var e = data.expected;
    summary.textContent = e.units + " packs in " + e.cases + " cases on " + e.pallets +
      " pallets expected. Missing " + data.missing_count + "; not expected " +
      data.unexpected_count + "; cases opened " + data.cases_opened.length + ".";
  }

  function refresh() {
    if (pending) { return; }
    pending = fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () { /* the table keeps its last state */ })
      .then(function () { pending = null; });
  }

  root.addEventListener("scan-triaged", refresh);
  refresh();
})();
