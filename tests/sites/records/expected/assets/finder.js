// The name finder of a team directory too large to list every team on
// one page: finds a team by part of its name, in either language. The
// names (/teams/names.json) are fetched only when the reader starts
// typing. Without JavaScript the finder stays hidden, and the pages of
// each town and kind of team list them all.
(function () {
  "use strict";
  var form = document.querySelector("form[data-finder]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input");
  var list = form.querySelector("[data-finder-results]");
  var status = form.querySelector("[data-finder-status]");
  var SHOWN = 50;
  var teams = null;
  var loading = null;

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-finder"))
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) { teams = data; });
      loading.catch(function () { loading = null; }); // try again on the next key
    }
    return loading;
  }
  function plain(s) { return s.toLowerCase().replace(/\s+/g, ""); }
  function say(name, n, q) {
    var text = form.getAttribute(n === 1 && name === "data-found" ? "data-found-one" : name);
    return text.replace("{n}", n).replace("{q}", q).replace("{shown}", SHOWN);
  }
  function show() {
    var q = plain(input.value);
    list.textContent = "";
    if (!q) { status.textContent = ""; return; }
    var found = teams.filter(function (team) {
      return [team.name].concat(team.also).some(function (name) { return plain(name).indexOf(q) !== -1; });
    });
    found.slice(0, SHOWN).forEach(function (team) {
      var item = document.createElement("li");
      item.className = "record-card";
      var heading = document.createElement("h3");
      var link = document.createElement("a");
      link.href = team.url;
      link.textContent = team.name;
      heading.appendChild(link);
      item.appendChild(heading);
      if (team.where) {
        var where = document.createElement("p");
        where.className = "record-meta";
        where.textContent = team.where;
        item.appendChild(where);
      }
      list.appendChild(item);
    });
    if (!found.length) status.textContent = say("data-none", 0, input.value.trim());
    else if (found.length > SHOWN) status.textContent = say("data-many", found.length, "");
    else status.textContent = say("data-found", found.length, "");
  }

  form.hidden = false;
  input.addEventListener("input", function () {
    load().then(show, function () { status.textContent = form.getAttribute("data-failed"); });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault(); // nothing to send: Enter goes to the first team found
    var first = list.querySelector("a");
    if (first) first.focus();
  });
})();
