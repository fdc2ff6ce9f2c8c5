// widget.js: puts the customer widget on any page, in an iframe so that the
// page's styles and scripts cannot reach it.
//
//   <script src="https://baton.example.com/widget.js" async
//           data-title="Chat with us"
//           data-queues="sales:Sales,support:Customer support"></script>
//
// data-title, data-queues, data-topics, data-queue and data-topic go to
// /widget as they are (docs/consoles.md).
(function () {
  const script = document.currentScript;
  if (!script || document.getElementById('baton-widget')) return;
  const src = new URL('widget', script.src);
  for (const key of ['title', 'queues', 'topics', 'queue', 'topic']) {
    const value = script.getAttribute('data-' + key);
    if (value) src.searchParams.set(key, value);
  }

  const frame = document.createElement('iframe');
  frame.id = 'baton-widget';
  frame.title = script.getAttribute('data-title') || 'Chat with us';
  frame.src = src.href;
  frame.hidden = true;
  frame.style.cssText =
    'position:fixed;right:16px;bottom:76px;z-index:2147483647;' +
    'width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 96px));' +
    'border:1px solid #d9dde4;border-radius:12px;background:#fff;' +
    'box-shadow:0 8px 28px rgba(0,0,0,.18)';

  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = frame.title;
  button.setAttribute('aria-controls', frame.id);
  button.setAttribute('aria-expanded', 'false');
  button.style.cssText =
    'position:fixed;right:16px;bottom:16px;z-index:2147483647;' +
    'padding:12px 18px;border:0;border-radius:24px;background:#1f5fbf;' +
    'color:#fff;font:600 15px system-ui,sans-serif;cursor:pointer;' +
    'box-shadow:0 4px 14px rgba(0,0,0,.2)';
  button.addEventListener('click', function () {
    frame.hidden = !frame.hidden;
    button.setAttribute('aria-expanded', String(!frame.hidden));
    if (!frame.hidden) frame.focus();
  });

  document.body.appendChild(frame);
  document.body.appendChild(button);
})();
