// A classic script, not a module: it runs where main.js cannot, in a page opened from disk
// (browsers load no module script and no worker from a file:// URL), and says what to do.
if (location.protocol === 'file:') {
  document.addEventListener('DOMContentLoaded', function () {
    var status = document.getElementById('status');
    if (status === null) return;
    status.textContent = 'This page was opened as a file, and browsers run no simulator from file:// addresses. '
      + 'Serve this folder with a web server and open it over http: for example run python3 -m http.server 8000 '
      + 'in this folder and open http://localhost:8000/ (or run dtrain playground).';
    status.className = 'notice error';
  });
}
