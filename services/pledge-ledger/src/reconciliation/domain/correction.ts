import { isCurrency, type Currency } from '@bfi/money';
import {
  bankAccount,
  clearingAccount,
  feesAccount,
  fundAccount,
  type Account,
  type ProviderName,
} from '../../ledger';
import { balanced, type EntryDraft, type LineDraft } from '../../ledger';
import type { ReconLine } from './matching';

/** Discrepancies a correcting entry can fix; the others are explained (accepted) with a comment. */
export const CORRECTABLE = [
  'amount-mismatch',
  'fee-mismatch',
  'currency-mismatch',
  'missing-in-ledger',
  'missing-at-provider',
] as const;

export class CorrectionError extends Error {
  override readonly name = 'CorrectionError';
}

/** A movement as the provider sees it, in one currency. */
interface Movement {
  currency: Currency;
  gross: number;
  fee: number;
}

export interface CorrectionRequest {
  line: Pick<
    ReconLine,
    | 'provider'
    | 'type'
    | 'ref'
    | 'status'
    | 'statementCurrency'
    | 'statementGross'
    | 'statementFee'
    | 'ledgerCurrency'
    | 'ledgerGross'
    | 'ledgerFee'
  >;
  /** The fund whose money moved (the ledger's fund for the key, or finance's choice). */
  fund: string | null;
  /** Who bears fees (by the fund's fee policy). */
  feeFund: string | null;
  resolutionId: string;
  comment: string;
  occurredAt: string;
}

/**
 * Lines that post a movement the way the ledger does: clearing += gross, and the other side
 * is the fund (payments, refunds, disputes, other) or the bank (payouts); a fee moves from
 * clearing to the fees account of the fund that bears it.
 */
function movementLines(
  provider: ProviderName,
  type: string,
  m: Movement,
  fund: string | null,
  feeFund: string | null,
  sign: 1 | -1,
): LineDraft[] {
  const lines: LineDraft[] = [];
  const add = (account: Account, amount: number) => {
    if (amount !== 0) lines.push({ account, amount: sign * amount });
  };
  const clearing = clearingAccount(provider, m.currency);
  add(clearing, m.gross - m.fee);
  if (type === 'payout') {
    add(bankAccount(m.currency), -m.gross);
  } else if (m.gross !== 0) {
    if (!fund)
      throw new CorrectionError(
        'choose the fund this money belongs to ("fund"): the ledger has no entry to take it from',
      );
    add(fundAccount(fund, m.currency), -m.gross);
  }
  if (m.fee !== 0) {
    if (!feeFund) throw new CorrectionError('choose the fund that bears the fee ("fund")');
    add(feesAccount(provider, m.currency, feeFund), m.fee);
  }
  return lines;
}

function movement(currency: string | null, gross: number | null, fee: number | null) {
  if (currency === null || gross === null) return null;
  if (!isCurrency(currency)) throw new CorrectionError(`currency ${currency} is not supported`);
  return { currency, gross, fee: fee ?? 0 };
}

/** Lines on the same account are netted; zero lines dropped. */
function net(lines: LineDraft[]): LineDraft[] {
  const byCode = new Map<string, LineDraft>();
  for (const l of lines) {
    const prev = byCode.get(l.account.code);
    byCode.set(l.account.code, { account: l.account, amount: (prev?.amount ?? 0) + l.amount });
  }
  return [...byCode.values()].filter((l) => l.amount !== 0);
}

/**
 * The correcting entry of a discrepancy: the provider's movement minus the ledger's movement,
 * posted as a new entry (kind `correction`, never an edit). Afterwards the ledger side of the
 * key equals the statement, so the next run finds it matched.
 */
export function correctionPosting(req: CorrectionRequest): EntryDraft {
  const { line } = req;
  if (!(CORRECTABLE as readonly string[]).includes(line.status)) {
    throw new CorrectionError(
      `a ${line.status} line cannot be corrected by a posting; accept it with a comment instead`,
    );
  }
  if (line.provider !== 'stripe' && line.provider !== 'paypal')
    throw new CorrectionError(`unknown provider ${line.provider}`);
  const provider: ProviderName = line.provider;
  const wanted = movement(line.statementCurrency, line.statementGross, line.statementFee);
  const have = movement(line.ledgerCurrency, line.ledgerGross, line.ledgerFee);
  const lines = net([
    ...(wanted ? movementLines(provider, line.type, wanted, req.fund, req.feeFund, 1) : []),
    ...(have ? movementLines(provider, line.type, have, req.fund, req.feeFund, -1) : []),
  ]);
  if (lines.length === 0)
    throw new CorrectionError('the ledger already equals the statement: nothing to correct');
  const note = req.comment.length > 300 ? `${req.comment.slice(0, 297)}...` : req.comment;
  return balanced({
    kind: 'correction',
    idempotencyKey: `correction:${req.resolutionId}`,
    donationId: null,
    fund: req.fund,
    channel: null,
    officeId: null,
    provider,
    providerRef: line.ref,
    description: `Correction of ${line.status} on ${provider} ${line.type} ${line.ref}: ${note}`,
    occurredAt: req.occurredAt,
    lines,
  });
}
