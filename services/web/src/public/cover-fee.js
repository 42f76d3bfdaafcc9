// The "add the card fee" checkbox follows the chosen provider, currency and amount: the words
// (with the estimate) come from the web server, in the page language. Without this script the
// page still shows the server's figure for what was rendered, and payment adds its estimate.
const form = document.getElementById('donate-form');
const field = document.getElementById('cover-fee');
const AMOUNT = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*$/;

/** The chosen gift in minor units (every donate currency has two decimals), or null. */
function minorAmount() {
  const fixed = form.querySelector('input[name=fixed]');
  if (fixed) return null; // a counter's fixed amount: the server's figure is already right
  const custom = document.getElementById('custom');
  const typed = custom ? custom.value : '';
  if (typed.trim()) {
    const m = AMOUNT.exec(typed);
    return m ? Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) : null;
  }
  const preset = form.querySelector('.presets:not([hidden]) input:checked');
  return preset ? Number(preset.value) : null;
}

function choice(name) {
  const checked = form.querySelector(`input[name=${name}]:checked`);
  return checked ? checked.value : null;
}

let asked = 0;
async function update() {
  const amount = minorAmount();
  const currency = choice('currency');
  const provider = choice('provider') || 'stripe';
  if (amount === null || !currency || amount <= 0) return;
  const mine = ++asked;
  const url = new URL(field.getAttribute('data-estimate-url'), window.location.href);
  url.searchParams.set('provider', provider);
  url.searchParams.set('currency', currency);
  url.searchParams.set('amount', String(amount));
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok || mine !== asked) return; // a later change is on its way
    const words = await res.json();
    document.getElementById('cover-fee-label').textContent = words.label;
    const hint = document.getElementById('cover-fee-hint');
    hint.textContent = words.hint;
    hint.hidden = !words.hint;
  } catch {
    /* offline: the last figure stays; payment estimates again on submit */
  }
}

if (form && field) {
  form.addEventListener('change', update);
  document.getElementById('custom')?.addEventListener('input', update);
}
