"""Uploads are for signed-in editors only, however the server was started (launcher or ``streamlit run app.py``).

An anonymous visitor of /direct sends a file to Streamlit's upload endpoint with its own session
and XSRF token, as a script in its browser would; the real server refuses it.
"""

from __future__ import annotations

import pytest

from tests.aides.navigateur import wait_for_app

#: Keep the session id Streamlit sends to the page (in its first binary messages) where the test can read it.
_CAPTURE_SESSION = """(() => {
  const Native = window.WebSocket;
  window.__sessions = [];
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', (event) => {
      const read = (buffer) => {
        const text = new TextDecoder('latin1').decode(new Uint8Array(buffer));
        for (const m of text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)) {
          if (!window.__sessions.includes(m[0])) window.__sessions.push(m[0]);
        }
      };
      if (event.data instanceof ArrayBuffer) read(event.data);
      else if (event.data instanceof Blob) event.data.arrayBuffer().then(read);
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();"""

#: Send a small file to the upload endpoint for each session id seen; the statuses the server answered.
_UPLOAD = """async () => {
  const token = (document.cookie.match(/(?:^|; )_streamlit_xsrf=([^;]*)/) || [])[1] || '';
  const statuses = [];
  for (const session of window.__sessions) {
    const body = new FormData();
    body.append('file', new Blob(['a;b\\n1;2\\n'], {type: 'text/csv'}), 'reponses.csv');
    const answer = await fetch(`/_stcore/upload_file/${session}/essai-depot`, {
      method: 'PUT', body, headers: {'X-Xsrftoken': decodeURIComponent(token)}, credentials: 'same-origin'});
    statuses.push(answer.status);
  }
  return statuses;
}"""


@pytest.mark.parametrize("started", ["lanceur", "streamlit run app.py"])
def test_an_anonymous_visitor_cannot_upload_a_file_however_the_server_was_started(
    browser, server_url, plain_server_url, started
):
    url = server_url if started == "lanceur" else plain_server_url
    context = browser.new_context(viewport={"width": 412, "height": 915}, locale="fr-FR")
    page = context.new_page()
    try:
        page.add_init_script(_CAPTURE_SESSION)
        page.goto(f"{url}/direct", wait_until="domcontentloaded")
        wait_for_app(page)
        page.wait_for_function("() => window.__sessions.length > 0", timeout=30_000)
        statuses = page.evaluate(_UPLOAD)
    finally:
        context.close()
    # One of the ids is the page's session: the server knows it (not 400) and refuses the file (403).
    assert 403 in statuses, statuses
    assert not [s for s in statuses if 200 <= s < 300], statuses
