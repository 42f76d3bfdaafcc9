// Finance console, progressive: the fund-totals chart (uPlot), a reconciliation run's progress
// bar (polled), and the statement upload (the file itself sent as text/csv). Every page works
// without it except the upload; the chart repeats the table of days beside it.

function csrfToken(form) {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const field = form && form.querySelector('input[name="_csrf"]');
  return (meta && meta.getAttribute('content')) || (field && field.value) || '';
}

async function drawChart() {
  const box = document.getElementById('totals-chart');
  const data = document.getElementById('totals-data');
  if (!box || !data) return;
  const rows = JSON.parse(data.textContent || '[]');
  if (rows.length === 0) return;
  const { default: uPlot } = await import('/static/vendor/uPlot.esm.js');
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = '/static/vendor/uPlot.min.css';
  document.head.append(link);
  // One chart per currency: amounts of different currencies never share an axis.
  const currencies = [...new Set(rows.map((r) => r.currency))];
  for (const currency of currencies) {
    const mine = rows.filter((r) => r.currency === currency);
    const xs = mine.map((r) => Date.parse(`${r.day}T00:00:00Z`) / 1000);
    const gross = mine.map((r) => r.gross / 100);
    const net = mine.map((r) => r.net / 100);
    const holder = document.createElement('figure');
    holder.className = 'fin-chart-one';
    const caption = document.createElement('figcaption');
    caption.textContent = currency;
    holder.append(caption);
    box.append(holder);
    const width = Math.max(280, Math.min(box.clientWidth || 600, 960));
    new uPlot(
      {
        width,
        height: 260,
        series: [
          {},
          { label: `${box.dataset.labelGross} (${currency})`, stroke: '#1c6fb8', width: 2 },
          { label: `${box.dataset.labelNet} (${currency})`, stroke: '#1a7f37', width: 2 },
        ],
        axes: [{}, { size: 70 }],
      },
      [xs, gross, net],
      holder,
    );
  }
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));
}

function watchRun() {
  const box = document.getElementById('run-progress');
  if (!box) return;
  const bar = document.getElementById('run-bar');
  const phase = document.getElementById('run-phase');
  const count = document.getElementById('run-count');
  const reload = document.getElementById('run-reload');
  const d = box.dataset;
  let stopped = false;
  async function poll() {
    if (stopped) return;
    try {
      const res = await fetch(d.poll, { headers: { accept: 'application/json' } });
      if (res.ok) {
        const run = await res.json();
        if (run.status !== 'running') {
          stopped = true;
          bar.value = 100;
          bar.textContent = '100%';
          reload.hidden = false;
          window.location.reload();
          return;
        }
        const p = run.progress;
        if (p) {
          const pct = p.total ? Math.min(99, Math.floor((p.processed / p.total) * 100)) : 0;
          bar.value = pct;
          bar.textContent = `${pct}%`;
          phase.textContent = d[`t${p.phase[0].toUpperCase()}${p.phase.slice(1)}`] || '';
          count.textContent = p.total
            ? fill(d.tProcessed, { processed: p.processed, total: p.total })
            : fill(d.tProcessedNoTotal, { processed: p.processed });
        }
      }
    } catch {
      /* the next poll tries again */
    }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
}

function enableUpload() {
  const form = document.getElementById('upload-form');
  if (!form) return;
  const out = document.getElementById('upload-result');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = form.querySelector('input[type="file"]').files[0];
    if (!file) return;
    const format = form.querySelector('select[name="format"]').value;
    out.textContent = form.dataset.uploading;
    const q = new URLSearchParams({ format, filename: file.name });
    try {
      const res = await fetch(`/finance/statements/upload?${q}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-csrf-token': csrfToken(form) },
        body: await file.text(),
      });
      const body = await res.json().catch(() => ({}));
      out.textContent = body.message || body.detail || String(res.status);
      out.className = res.ok ? 'notice fin-ok' : 'notice refused';
    } catch (err) {
      out.textContent = String(err);
      out.className = 'notice refused';
    }
  });
}

drawChart();
watchRun();
enableUpload();
