/* The decision form: release / exam / detain with reason codes, posted to the API.
 * An action less severe than the recommendation reveals the justification box first.
 * Each decision names the assessment the page shows; when the shipment was re-assessed
 * meanwhile the service refuses it (409) and the page shows the current assessment. */
(function () {
  "use strict";

  var SEVERITY = { release: 0, exam: 1, detain: 2 };
  var STATUS_AFTER = { release: "released", exam: "exam", detain: "detained" };
  var form = document.getElementById("decision-form");
  if (!form) { return; }
  var api = window.inspectApi;
  var box = document.getElementById("justification-box");
  var justification = document.getElementById("justification");
  var help = document.getElementById("justification-help");
  var status = document.getElementById("decision-status");
  var errors = document.getElementById("decision-errors");

  function isOverride(action) {
    return SEVERITY[action] < SEVERITY[form.dataset.recommendation];
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = event.submitter;
    if (!button || !button.value) { return; }
    var action = button.value;
    api.showLines(errors, []);
    if (isOverride(action)) {
      box.hidden = false;
      help.textContent = "Deciding " + action + " goes against the recommendation " +
        form.dataset.recommendation + ": explain why" +
        (form.dataset.role === "inspector" ? " (an officer must record this decision)." : ".");
      if (!justification.value.trim()) {
        status.textContent = "A justification is required for " + action + ".";
        justification.focus();
        return;
      }
    }
    record(action, button);
  });

  function record(action, button) {
    var body = {
      action: action,
      reason_codes: Array.prototype.map.call(
        form.querySelectorAll('input[name="reason_codes"]:checked'), function (box) {
          return box.value;
        }),
      notes: form.elements.notes.value.trim() || null
    };
    if (!box.hidden && justification.value.trim()) {
      body.justification = justification.value.trim();
    }
    if (form.dataset.assessmentId) { body.assessment_id = Number(form.dataset.assessmentId); }
    button.disabled = true;
    status.textContent = "Recording " + action + "…";
    api.post(form.dataset.url, body, {}).then(function (result) {
      button.disabled = false;
      if (result.status === 409 && result.data && result.data.current_assessment !== undefined) {
        showStale(result.data.current_assessment);
        return;
      }
      if (!result.ok) {
        var lines = api.problemLines(result);
        status.textContent = "Not recorded: " + lines[0];
        api.showLines(errors, lines.slice(1));
        return;
      }
      status.textContent = "Decision recorded: " + result.data.action + ".";
      addDecision(result.data);
      form.reset();
      box.hidden = true;
    }, function () {
      button.disabled = false;
      status.textContent = "Not recorded: the service could not be reached. Try again.";
    });
  }

  /* The shipment changed since the page showed it: show the assessment now current. */
  function showStale(current) {
    if (!current) {
      status.textContent = "Not recorded: the shipment was re-assessed. Reload the page.";
      return;
    }
    form.dataset.assessmentId = String(current.id);
    form.dataset.recommendation = current.recommendation;
    var panel = document.getElementById("recommendation");
    if (panel) {
      panel.className = "recommendation rec-" + current.recommendation;
      setText(panel, "risk", String(Math.round(current.risk_score)));
      setText(panel, "assessment", String(current.id));
    }
    document.querySelectorAll('[data-field="recommendation"]').forEach(function (node) {
      node.textContent = node.closest("#recommendation") ? current.recommendation.toUpperCase()
        : current.recommendation;
    });
    status.textContent = "Not recorded: the shipment was re-assessed since this page showed it. " +
      "Now recommended: " + current.recommendation + " (risk " + Math.round(current.risk_score) +
      "). Review the findings below and decide again.";
    api.showLines(errors, (current.findings || []).concat(current.unit_findings || [])
      .map(function (finding) {
        return finding.rule + " (" + finding.severity + ")" +
          (finding.message ? ": " + finding.message : "");
      }));
  }

  function setText(root, name, text) {
    var node = root.querySelector('[data-field="' + name + '"]');
    if (node) { node.textContent = text; }
  }

  function addDecision(decision) {
    var list = document.getElementById("decisions");
    if (!list) { return; }
    var item = document.createElement("li");
    item.className = "decided act-" + decision.action;
    var strong = document.createElement("strong");
    strong.textContent = decision.action.charAt(0).toUpperCase() + decision.action.slice(1);
    item.appendChild(strong);
    var when = String(decision.decided_at).slice(0, 16).replace("T", " ") + " UTC";
    var text = " by " + decision.actor_name + " (" + decision.role + ") at " + when;
    if (decision.override) { text += " — override of " + decision.recommendation_at_decision; }
    item.appendChild(document.createTextNode(text));
    [["Reasons: ", (decision.reason_codes || []).join(", ")],
     ["Justification: ", decision.justification], ["Notes: ", decision.notes]]
      .forEach(function (pair) {
        if (pair[1]) {
          item.appendChild(document.createElement("br"));
          item.appendChild(document.createTextNode(pair[0] + pair[1]));
        }
      });
    list.insertBefore(item, list.firstChild);
    var none = document.getElementById("no-decisions");
    if (none) { none.hidden = true; }
    var current = document.querySelector('#recommendation [data-field="status"]');
    if (current) { current.textContent = STATUS_AFTER[decision.action]; }
    var reopened = document.querySelector('#recommendation [data-field="reopened"]');
    if (reopened) { reopened.hidden = true; }
  }
})();
