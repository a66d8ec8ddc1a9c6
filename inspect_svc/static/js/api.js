/* Calls from the pages to the JSON API with the session cookie and the page's CSRF token. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  /* POST `body` as JSON; resolves to {ok, status, data} and rejects only on network failure. */
  function post(url, body, headers) {
    var all = { "Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": csrfToken() };
    Object.keys(headers || {}).forEach(function (name) { all[name] = headers[name]; });
    return fetch(url, { method: "POST", credentials: "same-origin", headers: all,
                        body: JSON.stringify(body) })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          return { ok: response.ok, status: response.status, data: data };
        });
      });
  }

  /* The problem+json `detail` and one line per field error, for showing to the user. */
  function problemLines(result) {
    var data = result.data || {};
    var lines = [data.detail || data.title || ("Request failed with status " + result.status)];
    var errors = data.errors || {};
    Object.keys(errors).forEach(function (field) {
      var messages = errors[field];
      lines.push(field + ": " + (Array.isArray(messages) ? messages.join(" ") : String(messages)));
    });
    return lines;
  }

  /* A random UUID; crypto.randomUUID exists only in secure contexts (https, localhost). */
  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
            hex.slice(20)].join("-");
  }

  /* Replace the children of `list` with one <li> per line, as text. */
  function showLines(list, lines) {
    list.replaceChildren();
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
  }

  window.inspectApi = { post: post, problemLines: problemLines, uuid: uuid, showLines: showLines };
})();
