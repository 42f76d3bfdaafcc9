// Live thermometer: the server relays the ledger's campaign-totals stream, already formatted
// in the page language; this only puts the figures in place.
(function () {
  var section = document.querySelector('.thermometer');
  if (!section || !window.EventSource) return;
  var source = new EventSource(section.getAttribute('data-stream'));
  source.addEventListener('totals', function (e) {
    var v = JSON.parse(e.data);
    var list = document.getElementById('raised');
    list.replaceChildren.apply(
      list,
      v.raised.map(function (r) {
        var li = document.createElement('li');
        li.setAttribute('data-currency', r.currency);
        li.textContent = r.text;
        return li;
      }),
    );
    document.getElementById('raised-empty').hidden = !v.empty;
    document.getElementById('donors').textContent = v.donors;
    document.getElementById('progress').value = v.percent;
    document.getElementById('goal').textContent = v.goal;
  });
})();
