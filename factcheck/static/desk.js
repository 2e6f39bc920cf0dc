// Progressive enhancement for the desk: suggest similar claims while a new one is typed.
// Without JavaScript the server shows the same suggestions after the first submit.
(function () {
  "use strict";
  var box = document.getElementById("similar-box");
  var text = document.querySelector("textarea[data-similar-url]");
  if (!box || !text) { return; }
  var timer = null;
  var last = "";

  function render(items) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (!items.length) { return; }
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = "Similar claims already exist:";
    p.appendChild(strong);
    box.appendChild(p);
    var ul = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var status = document.createElement("span");
      status.className = "status";
      status.textContent = item.status;
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.text;
      li.appendChild(status);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    var label = document.createElement("label");
    var check = document.createElement("input");
    check.type = "checkbox";
    check.name = "confirm_new";
    check.value = "1";
    label.appendChild(check);
    label.appendChild(document.createTextNode(" None of these: create a new claim"));
    box.appendChild(label);
  }

  function lookUp() {
    var value = text.value.trim();
    if (value === last) { return; }
    last = value;
    if (value.length < 8) { render([]); return; }
    fetch(text.dataset.similarUrl + "?text=" + encodeURIComponent(value), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {similar: []}; })
      .then(function (data) { render(data.similar || []); })
      .catch(function () { /* suggestions are a convenience; the server checks again */ });
  }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 300);
  });
}());
