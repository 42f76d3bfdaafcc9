// Office console home: whenever the office's stream reports a change (a donation, the stock,
// a reward), fetch the server-rendered live part again and swap it in. No reload.
(function () {
  var live = document.getElementById('live');
  if (!live || !window.EventSource) return;
  var pending = null;
  function refresh() {
    pending = null;
    fetch(live.getAttribute('data-fragment'), { headers: { accept: 'text/html' } }).then(
      function (res) {
        if (res.status !== 200) return;
        return res.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          live.replaceChildren.apply(live, Array.prototype.slice.call(doc.body.childNodes));
          live.setAttribute('data-updated', String(Date.now()));
        });
      },
      function () {},
    );
  }
  var source = new EventSource(live.getAttribute('data-stream'));
  source.addEventListener('changed', function () {
    // Several changes in a burst (payment, then reward) become one fetch.
    if (!pending) pending = setTimeout(refresh, 300);
  });
})();
