// Scans the donor's claim-code QR with the device camera: the browser's BarcodeDetector where
// there is one, else jsQR (kept, pinned, served from this origin) on canvas frames. A code read
// fills the form and submits it, so the server checks it exactly like a typed one. (A module:
// its top level runs once, after the page is parsed.)
var box = document.getElementById('scanner');
var video = document.getElementById('scan-video');
var canvas = document.getElementById('scan-canvas');
var message = document.getElementById('scan-message');
var start = document.getElementById('scan-start');
var stop = document.getElementById('scan-stop');
var input = document.getElementById('code');
var form = document.getElementById('code-form');
var stream = null;
var detect = null;

function noCamera() {
  message.textContent = box.getAttribute('data-no-camera');
  start.hidden = true;
  stop.hidden = true;
}

function loadJsQr() {
  return new Promise(function (resolve, reject) {
    if (window.jsQR) return resolve(window.jsQR);
    var s = document.createElement('script');
    s.src = box.getAttribute('data-jsqr');
    s.onload = function () {
      resolve(window.jsQR);
    };
    s.onerror = reject;
    document.head.appendChild(s);
  });
}

function detector() {
  if ('BarcodeDetector' in window) {
    var d = new window.BarcodeDetector({ formats: ['qr_code'] });
    return Promise.resolve(function () {
      return d.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    });
  }
  return loadJsQr().then(function (jsQR) {
    var g = canvas.getContext('2d', { willReadFrequently: true });
    return function () {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      if (!canvas.width) return Promise.resolve(null);
      g.drawImage(video, 0, 0);
      var img = g.getImageData(0, 0, canvas.width, canvas.height);
      var found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
      return Promise.resolve(found ? found.data : null);
    };
  });
}

function found(text) {
  stopCamera();
  input.value = text.trim();
  form.requestSubmit ? form.requestSubmit() : form.submit();
}

function loop() {
  if (!stream) return;
  detect().then(
    function (text) {
      if (text) return found(text);
      setTimeout(loop, 200);
    },
    function () {
      setTimeout(loop, 500);
    },
  );
}

function stopCamera() {
  if (stream)
    stream.getTracks().forEach(function (t) {
      t.stop();
    });
  stream = null;
  video.hidden = true;
  stop.hidden = true;
  start.hidden = false;
}

function startCamera() {
  start.hidden = true;
  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
    .then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      stop.hidden = false;
      return video.play().then(detector);
    })
    .then(function (d) {
      detect = d;
      box.setAttribute('data-scanning', 'true');
      loop();
    })
    .catch(function () {
      stopCamera();
      noCamera();
    });
}

if (box && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  start.addEventListener('click', startCamera);
  stop.addEventListener('click', stopCamera);
  start.hidden = false;
  startCamera();
} else if (box) {
  noCamera();
}
