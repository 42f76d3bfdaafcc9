-- Hand-written migration: SQL that schema.prisma cannot express (functions, triggers, CHECKs).
-- "Cover the fee": the donation entry of a gift whose donor added the card fee credits the
-- covered part to fee-cover:<provider>:<CUR> (fund dimension = the fee bearer), so the account
-- type CHECK learns it. Existing rows are untouched (append-only ledger).
ALTER TABLE journal_line DROP CONSTRAINT journal_line_account_type_check;
ALTER TABLE journal_line ADD CONSTRAINT journal_line_account_type_check CHECK (account_type IN
  ('clearing', 'bank', 'fees', 'fund', 'disputes-held', 'fee-cover'));
