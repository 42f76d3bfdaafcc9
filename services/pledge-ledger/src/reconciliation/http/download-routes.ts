import { defineRoute, type Route } from '@bfi/http';
import { fundTotalsDownload, journalLinesCsv, runLinesCsv, runReportPdf } from '../app/downloads';
import { sendDownload } from './downloads';
import { ExportQuery, ReportQuery, RunParam } from './recon-schemas';
import type { ReconRouteDeps } from './recon-routes';

const finance = ['finance'] as const;
const csv = (description: string) =>
  ({ status: 200, raw: true, contentType: 'text/csv', description }) as const;

/** CSV and PDF files, streamed (raw routes: sendDownload writes the answer). */
export function runDownloadRoutes({ db, logger }: ReconRouteDeps): Route[] {
  return [
    defineRoute({
      operationId: 'downloadReconciliationCsv',
      method: 'get',
      path: '/reconciliation/runs/:runId/lines.csv',
      summary: 'Reconciliation lines CSV (stable columns, see README)',
      tags: ['reconciliation'],
      access: finance,
      params: RunParam,
      response: csv("The run's lines"),
      problems: { 404: 'No such run', 409: 'The run is not completed' },
      handle: async ({ params, req, res }) => {
        const file = `reconciliation-${params.runId}.csv`;
        const download = { name: 'lines.csv', type: 'text/csv', fileName: file };
        await sendDownload(req, res, logger, download, await runLinesCsv(db, params.runId));
      },
    }),
    defineRoute({
      operationId: 'downloadReconciliationReport',
      method: 'get',
      path: '/reconciliation/runs/:runId/report.pdf',
      summary: 'PDF report of the run',
      tags: ['reconciliation'],
      access: finance,
      params: RunParam,
      query: ReportQuery,
      response: {
        status: 200,
        raw: true,
        contentType: 'application/pdf',
        description: 'The report',
      },
      problems: { 404: 'No such run or fund', 409: 'The run is not completed' },
      handle: async ({ params, query, req, res }) => {
        const file = `reconciliation-${params.runId}.pdf`;
        const download = { name: 'report.pdf', type: 'application/pdf', fileName: file };
        const body = await runReportPdf(db, params.runId, query.fund);
        await sendDownload(req, res, logger, download, body);
      },
    }),
  ];
}

/** Journal and fund totals for accounting (no run needed). */
export function exportRoutes({ db, logger }: ReconRouteDeps): Route[] {
  return [
    defineRoute({
      operationId: 'exportJournalCsv',
      method: 'get',
      path: '/exports/journal.csv',
      summary: 'Journal lines CSV for accounting import',
      tags: ['exports'],
      access: finance,
      query: ExportQuery,
      response: csv('Journal lines'),
      handle: async ({ query: q, req, res }) => {
        const download = { name: 'journal.csv', type: 'text/csv', fileName: 'journal.csv' };
        const body = journalLinesCsv(db, { from: q.from, to: q.to, fund: q.fund });
        await sendDownload(req, res, logger, download, body);
      },
    }),
    defineRoute({
      operationId: 'exportFundTotalsCsv',
      method: 'get',
      path: '/exports/fund-totals.csv',
      summary: 'Fund totals CSV (per currency and group)',
      tags: ['exports'],
      access: finance,
      query: ExportQuery,
      response: csv('Fund totals'),
      problems: { 404: 'No such fund' },
      handle: async ({ query: q, req, res }) => {
        const download = { name: 'fund-totals.csv', type: 'text/csv', fileName: 'fund-totals.csv' };
        const body = await fundTotalsDownload(db, q);
        await sendDownload(req, res, logger, download, body);
      },
    }),
  ];
}
