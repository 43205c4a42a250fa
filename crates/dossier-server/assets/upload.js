// Dossier's upload page, progressively enhanced: the form is sent with
// XMLHttpRequest so the bytes sent can be shown as they go; the server's
// answer is followed as the plain form would follow it. Without this script
// (or with scripts off) the form posts as usual. No other script exists.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  var bar = document.getElementById('upload-progress');
  var status = document.getElementById('upload-status');
  if (!form || !bar || !status || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  form.setAttribute('data-enhanced', 'true');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action'));
    bar.hidden = false;
    bar.value = 0;
    status.textContent = 'Sending…';
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) {
        bar.max = e.total;
        bar.value = e.loaded;
        status.textContent = Math.round((100 * e.loaded) / e.total) + '% sent';
      }
    });
    xhr.upload.addEventListener('load', function () {
      status.textContent = 'Sent; archiving and extracting…';
    });
    xhr.addEventListener('load', function () {
      if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL) {
        status.textContent = 'Done; opening the source.';
        window.location.assign(xhr.responseURL);
        return;
      }
      var page = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      var main = page.querySelector('main');
      status.textContent = 'Not ingested (' + xhr.status + '): ' + (main ? main.textContent.trim() : 'the server refused it');
      bar.hidden = true;
    });
    xhr.addEventListener('error', function () {
      status.textContent = 'The upload failed: the connection was lost.';
      bar.hidden = true;
    });
    xhr.send(new FormData(form));
  });
})();
