// The counter screen: a countdown to the QR's expiry, and the live status and reward from the
// console's counter stream (worded by the server). The stream ends once nothing more can happen.
(function () {
  var counter = document.getElementById('counter');
  if (!counter) return;
  var countdown = document.getElementById('countdown');
  var status = document.getElementById('counter-status');
  var reward = document.getElementById('counter-reward');
  var expires = Date.parse(counter.getAttribute('data-expires'));
  var used = counter.getAttribute('data-state') !== 'waiting';
  var timer = null;

  function tick() {
    var left = Math.max(0, Math.round((expires - Date.now()) / 1000));
    if (used) {
      document.getElementById('countdown-line').hidden = true;
      return clearInterval(timer);
    }
    if (left === 0) {
      countdown.textContent = countdown.getAttribute('data-expired');
      counter.classList.add('expired');
      return clearInterval(timer);
    }
    var m = Math.floor(left / 60);
    var s = left % 60;
    countdown.textContent = m + ':' + (s < 10 ? '0' : '') + s;
  }
  timer = setInterval(tick, 1000);
  tick();

  if (!window.EventSource) return;
  var source = new EventSource(counter.getAttribute('data-stream'));
  source.addEventListener('counter', function (e) {
    var v = JSON.parse(e.data);
    counter.setAttribute('data-state', v.state);
    status.textContent = v.text;
    if (v.state !== 'waiting' && v.state !== 'expired') used = true;
    if (v.state !== 'waiting') counter.classList.add('scanned');
    if (v.reward) {
      reward.textContent = v.reward;
      reward.hidden = false;
    }
    if (v.settled) {
      counter.classList.add('settled');
      source.close();
    }
    tick();
  });
})();
