// Finance console, progressive: the fund-totals chart (uPlot) and a reconciliation run's
// progress bar (polled). Every page works without it: the chart repeats the table of days
// beside it, and a running run's page shows where it was when it was loaded.

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

drawChart();
watchRun();
