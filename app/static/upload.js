// Upload forms (marked data-upload) are sent with XMLHttpRequest so that the admin sees how much of
// the file has gone (a progress bar with its percent, a live region saying it in steps of 10%), and
// the button stays disabled until the server answers: a double click sends one file, never two.
// The server's answer is then shown: a redirect (given as JSON to a script, see views/admin.py) is
// followed; a page (the form with its errors) replaces this page's <main>, with the file chosen
// before put back into its file input. Without this script the plain form works as it is.
(function () {
  "use strict";

  var kept = null; // the file last sent, put back into the answer's form when it names it

  function percentText(form, percent) {
    return (form.getAttribute("data-sent-text") || "{percent}").replace("{percent}", percent + "%");
  }

  function parts(form) {
    var box = form.querySelector(".upload-progress");
    return {
      box: box,
      bar: box && box.querySelector("progress"),
      label: box && box.querySelector(".upload-progress__label"),
      percent: box && box.querySelector(".upload-progress__percent"),
      status: box && document.getElementById(box.id + "-status"),
      buttons: form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]")
    };
  }

  function show(ui, form, percent) {
    if (!ui.bar) {
      return;
    }
    ui.bar.value = percent;
    ui.bar.setAttribute("aria-valuenow", String(percent));
    ui.percent.textContent = percent + "%";
    var step = percent === 100 ? 100 : Math.floor(percent / 10) * 10;
    if (ui.status && ui.status.getAttribute("data-step") !== String(step)) {
      ui.status.setAttribute("data-step", String(step));
      ui.status.textContent = percentText(form, step);
    }
  }

  function setSending(form, ui, sending) {
    if (sending) {
      form.setAttribute("data-sending", "");
      form.setAttribute("aria-busy", "true");
    } else {
      form.removeAttribute("data-sending");
      form.removeAttribute("aria-busy");
    }
    for (var i = 0; i < ui.buttons.length; i++) {
      ui.buttons[i].disabled = sending;
    }
  }

  function failed(form, ui) {
    setSending(form, ui, false);
    if (ui.box) {
      ui.box.hidden = true;
    }
    if (ui.status) {
      ui.status.removeAttribute("data-step");
      ui.status.textContent = form.getAttribute("data-failed-text") || "";
      ui.status.classList.remove("visually-hidden");
      ui.status.classList.add("field-error");
    }
  }

  // Give a file input the file sent last, when the server's answer names it (data-filename).
  function putBack(root) {
    if (!kept || typeof DataTransfer === "undefined") {
      return;
    }
    var inputs = root.querySelectorAll("input[type=file][data-filename]");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.getAttribute("data-filename") !== kept.name) {
        continue;
      }
      try {
        var transfer = new DataTransfer();
        transfer.items.add(kept);
        input.files = transfer.files;
      } catch (e) {
        continue; // an older browser: the page already asks to choose the file again
      }
      var note = document.getElementById(input.id + "-again");
      if (note && input.files.length === 1) {
        var again = note.querySelector(".upload-file__again");
        var still = note.querySelector(".upload-file__kept");
        if (again && still) {
          again.hidden = true;
          still.hidden = false;
        }
      }
    }
  }

  function showPage(html, form, ui) {
    var answer = new DOMParser().parseFromString(html, "text/html");
    var main = answer.querySelector("main");
    var current = document.querySelector("main");
    if (!main || !current) {
      failed(form, ui);
      return;
    }
    var fresh = document.importNode(main, true);
    current.parentNode.replaceChild(fresh, current);
    if (answer.title) {
      document.title = answer.title;
    }
    putBack(fresh);
    var focus = fresh.querySelector("[role=alert][tabindex]") || fresh;
    focus.focus();
    window.scrollTo(0, 0);
  }

  function send(form, submitter) {
    var ui = parts(form);
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    var input = form.querySelector("input[type=file]");
    kept = input && input.files && input.files.length ? input.files[0] : kept;
    setSending(form, ui, true);
    if (ui.box) {
      ui.box.hidden = false;
    }
    if (ui.status) {
      ui.status.classList.add("visually-hidden");
      ui.status.classList.remove("field-error");
      ui.status.removeAttribute("data-step");
    }
    show(ui, form, 0);

    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable && event.total > 0) {
        show(ui, form, Math.min(100, Math.floor(event.loaded * 100 / event.total)));
      }
    });
    xhr.upload.addEventListener("load", function () {
      show(ui, form, 100);
      var reading = form.getAttribute("data-reading-text");
      if (reading && ui.label) {
        ui.label.textContent = reading;
        ui.status.textContent = reading;
      }
    });
    xhr.addEventListener("load", function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (type.indexOf("application/json") === 0) {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (e) {
          answer = null;
        }
        if (answer && answer.location) {
          window.location.assign(answer.location);
          return;
        }
      } else if (type.indexOf("text/html") === 0) {
        showPage(xhr.responseText, form, ui);
        return;
      }
      failed(form, ui);
    });
    xhr.addEventListener("error", function () {
      failed(form, ui);
    });
    xhr.addEventListener("abort", function () {
      failed(form, ui);
    });
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-upload") || event.defaultPrevented) {
      return;
    }
    if (typeof FormData === "undefined" || typeof XMLHttpRequest === "undefined") {
      return; // the plain form
    }
    event.preventDefault();
    if (form.hasAttribute("data-sending")) {
      return; // a second click while the first one is being sent
    }
    send(form, event.submitter);
  });
})();
