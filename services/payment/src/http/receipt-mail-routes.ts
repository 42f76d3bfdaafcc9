// GET /receipt-mails (finance, admin): every receipt e-mail and how its sending went;
// POST /receipt-mails/{id}/retry: queue a given-up mail again.
import { defineRoute, type Route } from '@bfi/http';
import { z } from 'zod';
import { listReceiptMails, retryReceiptMail } from '../app/receipt-mails';
import type { RouteContext } from './context';
import { ReceiptMailQuery, UuidParam } from './schemas';
import { ReceiptMailListSchema, ReceiptMailRetrySchema } from './views';

const tags = ['Receipt e-mails'];

export function receiptMailRoutes({ deps }: RouteContext): Route[] {
  return [
    defineRoute({
      operationId: 'listReceiptMails',
      method: 'get',
      path: '/receipt-mails',
      summary: 'Receipt e-mails and their sending status (finance, admin); donor address masked',
      tags,
      access: ['admin', 'finance'],
      query: ReceiptMailQuery,
      response: {
        status: 200,
        description: 'The mails, newest first, and whether an SMTP server is configured',
        schema: ReceiptMailListSchema,
      },
      handle: ({ query }) => listReceiptMails(deps, query),
    }),
    defineRoute({
      operationId: 'retryReceiptMail',
      method: 'post',
      path: '/receipt-mails/:id/retry',
      summary: 'Queue a failed (given-up) receipt e-mail again (finance, admin)',
      tags,
      access: ['admin', 'finance'],
      params: z.object({ id: UuidParam }),
      response: { status: 202, description: 'Queued', schema: ReceiptMailRetrySchema },
      problems: { 409: 'No given-up mail of this donation' },
      handle: async ({ params }) => {
        await retryReceiptMail(deps, params.id);
        return { donationId: params.id, status: 'retrying' as const };
      },
    }),
  ];
}
