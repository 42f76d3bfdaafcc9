// The donate form: presets follow the currency, PayPal only where it takes the currency (with
// the reason shown), and the same checks as the server before anything is sent.
(function () {
  var form = document.getElementById('donate-form');
  if (!form) return;
  var AMOUNT = /^\s*\d+([.,]\d{1,2})?\s*$/;
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  var methods = form.querySelector('.methods');
  var paypalCurrencies = methods.getAttribute('data-paypal-currencies').split(' ');

  function currency() {
    var checked =
      form.querySelector('input[name=currency]:checked') ||
      form.querySelector('input[name=currency]');
    return checked ? checked.value : 'BYN';
  }

  function sync() {
    var c = currency();
    form.querySelectorAll('.presets').forEach(function (group) {
      group.hidden = group.getAttribute('data-currency') !== c;
    });
    var paypalOk = paypalCurrencies.indexOf(c) >= 0;
    var paypal = form.querySelector('input[name=provider][value=paypal]');
    document.getElementById('paypal-option').hidden = !paypalOk;
    document.getElementById('paypal-reason').hidden = paypalOk;
    paypal.disabled = !paypalOk;
    if (!paypalOk && paypal.checked)
      form.querySelector('input[name=provider][value=stripe]').checked = true;
    var anonymous = document.getElementById('anonymous');
    document.getElementById('donorName').disabled = anonymous.checked;
  }

  function show(id, message) {
    var error = document.getElementById(id + '-error');
    var input = document.getElementById(id === 'amount' ? 'custom' : id);
    error.textContent = message || '';
    error.hidden = !message;
    if (input) {
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
    return !message;
  }

  function validate() {
    var ok = true;
    var custom = document.getElementById('custom');
    if (custom) {
      var preset = form.querySelector('.presets:not([hidden]) input:checked');
      var typed = custom.value.trim();
      ok =
        show(
          'amount',
          typed
            ? AMOUNT.test(typed) && /[1-9]/.test(typed)
              ? ''
              : form.getAttribute('data-error-amount')
            : preset
              ? ''
              : form.getAttribute('data-error-amount'),
        ) && ok;
    }
    var email = document.getElementById('email').value.trim();
    ok =
      show('email', email && !EMAIL.test(email) ? form.getAttribute('data-error-email') : '') && ok;
    return ok;
  }

  form.addEventListener('change', sync);
  var custom = document.getElementById('custom');
  if (custom)
    custom.addEventListener('input', function () {
      // A typed amount replaces the preset, so the two never disagree.
      if (custom.value.trim())
        form.querySelectorAll('.presets input:checked').forEach(function (i) {
          i.checked = false;
        });
    });
  form.addEventListener('submit', function (e) {
    if (!validate()) {
      e.preventDefault();
      var first = form.querySelector('[aria-invalid=true]');
      if (first) first.focus();
    }
  });
  sync();
})();
