// GET /receipt-mails (finance, admin): every receipt e-mail and how its sending went;
// POST /receipt-mails/{donationId}/retry: queue a given-up mail again.
import { parseInput, requireRole } from '@bfi/http';
import type { Express } from 'express';
import type { AppDeps } from '../app/deps';
import { listReceiptMails, retryReceiptMail } from '../app/receipt-mails';
import { ReceiptMailQuery, UuidParam } from './schemas';

export function mountReceiptMailRoutes(app: Express, deps: AppDeps): void {
  app.get('/receipt-mails', requireRole('admin', 'finance'), async (req, res) => {
    const query = parseInput(ReceiptMailQuery, req.query, 'receipt mail query');
    res.json(await listReceiptMails(deps, query));
  });
  app.post('/receipt-mails/:id/retry', requireRole('admin', 'finance'), async (req, res) => {
    const id = parseInput(UuidParam, String(req.params.id ?? ''), 'donation id');
    await retryReceiptMail(deps, id);
    res.status(202).json({ donationId: id, status: 'retrying' });
  });
}

export const receiptMailPaths = (secured: unknown[], problem: unknown) => ({
  '/receipt-mails': {
    get: {
      summary: 'Receipt e-mails and their sending status (finance, admin); donor address masked',
      security: secured,
      parameters: [
        {
          name: 'status',
          in: 'query',
          schema: { type: 'string', enum: ['pending', 'retrying', 'sent', 'failed'] },
        },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
      ],
      responses: { 200: { description: 'mails, smtpConfigured' }, 400: problem },
    },
  },
  '/receipt-mails/{id}/retry': {
    post: {
      summary: 'Queue a failed (given-up) receipt e-mail again (finance, admin)',
      security: secured,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 202: { description: 'Queued' }, 404: problem, 409: problem },
    },
  },
});
