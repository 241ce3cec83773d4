/* Version switcher: lists the audience's other versions (from
   ../versions-data.js, written beside the version folders on every build,
   so old frozen versions learn of newer ones) and links to the same page
   in each version when it exists there, else to that version's home. */
(function () {
  "use strict";
  var nav = document.querySelector("nav.version-switch");
  var data = window.GONGSHI_VERSIONS;
  if (!nav || !data || !data.length) { return; }
  var here = nav.getAttribute("data-version");
  var path = nav.getAttribute("data-path");
  var root = nav.getAttribute("data-root");
  var parts = path.split("/");
  var select = document.createElement("select");
  select.setAttribute("aria-label", nav.getAttribute("aria-label"));
  data.forEach(function (v) {
    var target = "index.html";
    if (parts.length === 1) {
      target = path;
    } else if (parts[1] === "index.html") {
      target = path;
    } else {
      var id = parts[1].replace(/\.html$/, "");
      var ids = (v.items && v.items[parts[0]]) || [];
      if (ids.indexOf(id) >= 0) { target = path; }
    }
    var opt = document.createElement("option");
    opt.value = root + "../" + encodeURIComponent(v.version) + "/" + target;
    opt.textContent = v.version;
    if (v.version === here) { opt.selected = true; }
    select.appendChild(opt);
  });
  select.addEventListener("change", function () { window.location.href = select.value; });
  nav.insertBefore(select, nav.firstChild);
})();
