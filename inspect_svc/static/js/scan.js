/* The inspect page's scan field: keyboard-wedge input, posting scans, showing verdicts.
 * All data is inserted with textContent; the row markup comes from a server <template>. */
(function () {
  "use strict";

  var GS = "\u001d";
  var WORDS = { green: "Clear", amber: "Check", red: "Stop" };
  var RETRY_DELAYS_MS = [500, 1000, 2000, 4000];
  var SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"];

  var root = document.getElementById("inspect");
  if (!root) { return; }
  var api = window.inspectApi;
  var input = document.getElementById("scan-input");
  var form = document.getElementById("scan-form");
  var list = document.getElementById("scans");
  var template = document.getElementById("scan-row-template");
  var status = document.getElementById("scan-status");
  var url = root.dataset.scansUrl;

  /* Keep the scan field focused unless the user has moved to another control. */
  function refocusSoon() {
    window.setTimeout(function () {
      var active = document.activeElement;
      if (!active || active === document.body || active === document.documentElement) {
        input.focus();
      }
    }, 0);
  }
  input.addEventListener("blur", refocusSoon);
  document.addEventListener("keydown", function (event) {
    if (document.activeElement === document.body) { input.focus(); }
  }, true);
  document.addEventListener("click", function (event) {
    var interactive = event.target.closest("a, button, input, select, textarea, summary, label");
    if (!interactive && !String(window.getSelection())) { input.focus(); }
  });

  /* Ctrl+] is how a US-layout wedge scanner types the GS1 group separator. */
  input.addEventListener("keydown", function (event) {
    if (event.ctrlKey && !event.altKey && (event.key === "]" || event.code === "BracketRight")) {
      event.preventDefault();
      insertAtCaret(GS);
    }
  });

  function insertAtCaret(text) {
    var start = input.selectionStart, end = input.selectionEnd;
    input.value = input.value.slice(0, start) + text + input.value.slice(end);
    input.selectionStart = input.selectionEnd = start + text.length;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var raw = input.value;
    input.value = "";
    if (raw.trim() === "") { return; }
    var body = { raw: raw, idempotency_key: api.uuid(), device_id: "web",
                 scanned_at: new Date().toISOString() };
    var row = template.content.firstElementChild.cloneNode(true);
    setField(row, "verdict-colour", "…");
    setField(row, "verdict-word", "Checking");
    setField(row, "product", "Checking…");
    setRaw(row, raw);
    list.insertBefore(row, list.firstChild);
    send(row, body, 0);
  });

  /* Post one scan; a retry reuses the body and idempotency key, so nothing is stored twice. */
  function send(row, body, attempt) {
    api.post(url, body, {}).then(function (result) {
      if (result.ok) { return showResult(row, result.data); }
      if ((result.status >= 500 || result.status === 429) && attempt < RETRY_DELAYS_MS.length) {
        return retryLater(row, body, attempt);
      }
      showProblem(row, api.problemLines(result), null);
    }, function () {
      if (attempt < RETRY_DELAYS_MS.length) { return retryLater(row, body, attempt); }
      showProblem(row, ["The service could not be reached."], body);
    });
  }

  function retryLater(row, body, attempt) {
    setField(row, "verdict-word", "Retrying");
    window.setTimeout(function () { send(row, body, attempt + 1); }, RETRY_DELAYS_MS[attempt]);
  }

  function showResult(row, data) {
    var scan = data.scans[0];
    var i = scan.interpretation || {};
    var product = scan.product;
    row.classList.remove("verdict-pending");
    row.classList.add("verdict-" + scan.verdict);
    row.dataset.verdict = scan.verdict;
    row.dataset.scanId = String(scan.scan_id);
    setField(row, "verdict-colour", capitalise(scan.verdict));
    setField(row, "verdict-word", WORDS[scan.verdict] || "");
    setField(row, "product", product ? product.name : "Product not in the NDC directory");
    setField(row, "generic", product ? [product.generic_name, product.labeler].filter(Boolean)
      .join(" · ") : "");
    setField(row, "lot", i.lot || "—");
    setField(row, "expiry", i.expiry || "—");
    setField(row, "serial", i.serial || "—");
    setField(row, "ndc", (product && product.ndc) || i.ndc || i.ndc10 || "—");
    setField(row, "gtin", i.gtin || "—");
    field(row, "duplicate").hidden = !scan.duplicate;
    showProblems(row, i);
    showFindings(field(row, "findings"), scan.findings || []);
    setRaw(row, scan.raw);
    updateRecommendation(data.shipment);
    status.textContent = "Scan " + scan.scan_id + ": " + scan.verdict + " — " +
      (WORDS[scan.verdict] || "") + ". Recommendation " + data.shipment.recommendation + ".";
    if (scan.verdict === "amber" || scan.verdict === "red") { window.inspectAudio.play(scan.verdict); }
    root.dispatchEvent(new CustomEvent("scan-triaged", { detail: scan }));
  }

  function showProblem(row, lines, body) {
    row.classList.remove("verdict-pending");
    row.classList.add("verdict-error");
    row.dataset.verdict = "error";
    setField(row, "verdict-colour", "Error");
    setField(row, "verdict-word", "Not triaged");
    setField(row, "product", lines[0]);
    api.showLines(field(row, "findings"), lines.slice(1));
    if (body) {
      var again = document.createElement("button");
      again.type = "button";
      again.textContent = "Send again";
      again.addEventListener("click", function () {
        again.remove();
        row.classList.remove("verdict-error");
        row.classList.add("verdict-pending");
        row.dataset.verdict = "pending";
        setField(row, "verdict-word", "Checking");
        send(row, body, 0);
      });
      field(row, "product").appendChild(again);
    }
    status.textContent = "Scan not triaged: " + lines[0];
    window.inspectAudio.play("error");
  }

  function showProblems(row, interpretation) {
    var parts = [];
    if ((interpretation.errors || []).length) {
      parts.push("Scan errors: " + interpretation.errors.join(", ") + ".");
    }
    if ((interpretation.warnings || []).length) {
      parts.push("Warnings: " + interpretation.warnings.join(", ") + ".");
    }
    var node = field(row, "problems");
    node.textContent = parts.join(" ");
    node.hidden = parts.length === 0;
  }

  function showFindings(listNode, findings) {
    listNode.replaceChildren();
    var rank = function (finding) { return Math.max(SEVERITY_ORDER.indexOf(finding.severity), 0); };
    findings.slice().sort(function (a, b) { return rank(a) - rank(b); }).forEach(function (finding) {
      var item = document.createElement("li");
      item.className = "sev-" + finding.severity;
      item.appendChild(span("sev", capitalise(finding.severity)));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(span("msg", finding.message));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(span("rule", finding.rule));
      listNode.appendChild(item);
    });
  }

  function updateRecommendation(shipment) {
    var panel = document.getElementById("recommendation");
    panel.className = "recommendation rec-" + shipment.recommendation;
    document.querySelectorAll('[data-field="recommendation"]').forEach(function (node) {
      node.textContent = node.closest("#recommendation") ? shipment.recommendation.toUpperCase()
        : shipment.recommendation;
    });
    setField(panel, "risk", String(Math.round(shipment.risk_score)));
    setField(panel, "status", shipment.status || "");
    setField(panel, "ruleset", shipment.ruleset_version || "—");
    setField(panel, "assessment", String(shipment.assessment_id));
    var reopened = field(panel, "reopened");
    reopened.hidden = !shipment.reopened_reason;
    setField(panel, "reopened-reason", shipment.reopened_reason || "");
    var decision = document.getElementById("decision-form");
    if (decision) {
      decision.dataset.recommendation = shipment.recommendation;
      decision.dataset.assessmentId = String(shipment.assessment_id);
    }
  }

  /* The raw scan as text, each invisible group separator shown as a marked "GS". */
  function setRaw(row, raw) {
    var code = field(row, "raw");
    code.replaceChildren();
    raw.split(GS).forEach(function (part, index) {
      if (index > 0) {
        var mark = document.createElement("abbr");
        mark.className = "gs";
        mark.title = "group separator (GS, 0x1D)";
        mark.textContent = "GS";
        code.appendChild(mark);
      }
      code.appendChild(document.createTextNode(part));
    });
  }

  function field(row, name) { return row.querySelector('[data-field="' + name + '"]'); }
  function setField(row, name, text) { field(row, name).textContent = text; }
  function span(className, text) {
    var node = document.createElement("span");
    node.className = className;
    node.textContent = text;
    return node;
  }
  function capitalise(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  input.focus();
})();
