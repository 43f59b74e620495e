// The progress page of an upload being read (admin/upload_job.html): asks its status every
// second and shows it; opens the review when the reading is done, reloads the page (which
// then says why) when it failed. Without scripts, the page's Refresh link does the same.
(function () {
  var box = document.querySelector("[data-job-status]");
  if (!box || box.getAttribute("data-job-state") === "failed") {
    return;
  }
  var url = box.getAttribute("data-job-status");
  var bar = box.querySelector("progress");
  var findings = box.querySelector("[data-job-findings]");

  function field(name, value) {
    var el = box.querySelector('[data-job-field="' + name + '"]');
    if (el) {
      el.textContent = value;
    }
  }

  function show(job) {
    field("rows_read", Number(job.rows_read).toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "id-ID"));
    field("percent", String(job.percent));
    if (bar) {
      bar.value = job.percent;
      bar.textContent = job.percent + "%";
    }
    if (findings && job.findings) {
      findings.textContent = "";
      var lines = job.findings.length ? job.findings : [findings.getAttribute("data-none")];
      lines.forEach(function (text) {
        var li = document.createElement("li");
        li.textContent = text;
        findings.appendChild(li);
      });
    }
  }

  function tick() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (job.state === "done" && job.review_url) {
          window.location.assign(job.review_url);
        } else if (job.state === "failed" || job.state !== box.getAttribute("data-job-state")) {
          window.location.reload();
        } else {
          window.setTimeout(tick, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(tick, 3000);
      });
  }

  window.setTimeout(tick, 500);
})();
