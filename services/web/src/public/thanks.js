// Live status of the donation (payment's stream, relayed and worded by the server), then the
// reward once the reward service has decided: the server renders it, this inserts it.
(function () {
  var status = document.getElementById('status');
  if (!status) return;
  var rewardSection = document.getElementById('reward');
  var rewardAsked = false;

  function loadReward(attempt) {
    fetch(status.getAttribute('data-reward'), { headers: { accept: 'text/html' } }).then(
      function (res) {
        if (res.status === 200)
          return res.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, 'text/html');
            rewardSection.replaceChildren.apply(
              rewardSection,
              Array.prototype.slice.call(doc.body.childNodes),
            );
            rewardSection.hidden = false;
          });
        if (attempt < 40)
          setTimeout(function () {
            loadReward(attempt + 1);
          }, 1500);
      },
      function () {
        if (attempt < 40)
          setTimeout(function () {
            loadReward(attempt + 1);
          }, 3000);
      },
    );
  }

  function apply(s) {
    var paid = s === 'succeeded' || s === 'partially_refunded' || s === 'refunded';
    status.setAttribute('data-status', s);
    var over = s === 'failed' || s === 'expired';
    document.getElementById('retry').hidden = !over;
    document.getElementById('receipt-link').hidden = !paid;
    document.getElementById('receipt-later').hidden = paid || over;
    if (paid && !rewardAsked && !rewardSection.querySelector('h2')) {
      rewardAsked = true;
      loadReward(0);
    }
  }

  if (window.EventSource) {
    var source = new EventSource(status.getAttribute('data-stream'));
    source.addEventListener('status', function (e) {
      var v = JSON.parse(e.data);
      document.getElementById('status-text').textContent = v.text;
      apply(v.status);
    });
  }
  apply(status.getAttribute('data-status'));
})();
