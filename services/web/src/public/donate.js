// The donate form: presets follow the currency, PayPal only where it takes the currency (with
// the reason shown), and the same checks as the server before anything is sent. A module, so
// nothing here is global.
const AMOUNT = /^\s*\d+([.,]\d{1,2})?\s*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const form = document.getElementById('donate-form');

function currency() {
  const checked =
    form.querySelector('input[name=currency]:checked') ||
    form.querySelector('input[name=currency]');
  return checked ? checked.value : 'BYN';
}

function sync() {
  const c = currency();
  form.querySelectorAll('.presets').forEach((group) => {
    group.hidden = group.getAttribute('data-currency') !== c;
  });
  const accepted = form.querySelector('.methods').getAttribute('data-paypal-currencies').split(' ');
  const paypalOk = accepted.includes(c);
  const paypal = form.querySelector('input[name=provider][value=paypal]');
  document.getElementById('paypal-option').hidden = !paypalOk;
  document.getElementById('paypal-reason').hidden = paypalOk;
  paypal.disabled = !paypalOk;
  if (!paypalOk && paypal.checked)
    form.querySelector('input[name=provider][value=stripe]').checked = true;
  document.getElementById('donorName').disabled = document.getElementById('anonymous').checked;
}

function show(id, message) {
  const error = document.getElementById(`${id}-error`);
  const input = document.getElementById(id === 'amount' ? 'custom' : id);
  error.textContent = message || '';
  error.hidden = !message;
  if (input && message) input.setAttribute('aria-invalid', 'true');
  else if (input) input.removeAttribute('aria-invalid');
  return !message;
}

function amountError() {
  const custom = document.getElementById('custom');
  if (!custom) return ''; // a counter QR's fixed amount
  const typed = custom.value.trim();
  const preset = form.querySelector('.presets:not([hidden]) input:checked');
  const ok = typed ? AMOUNT.test(typed) && /[1-9]/.test(typed) : Boolean(preset);
  return ok ? '' : form.getAttribute('data-error-amount');
}

function validate() {
  const email = document.getElementById('email').value.trim();
  const amountOk = show('amount', amountError());
  const emailOk = show(
    'email',
    email && !EMAIL.test(email) ? form.getAttribute('data-error-email') : '',
  );
  return amountOk && emailOk;
}

if (form) {
  form.addEventListener('change', sync);
  const custom = document.getElementById('custom');
  // A typed amount replaces the preset, so the two never disagree.
  custom?.addEventListener('input', () => {
    if (custom.value.trim())
      form.querySelectorAll('.presets input:checked').forEach((i) => (i.checked = false));
  });
  form.addEventListener('submit', (e) => {
    if (validate()) return;
    e.preventDefault();
    form.querySelector('[aria-invalid=true]')?.focus();
  });
  sync();
}
