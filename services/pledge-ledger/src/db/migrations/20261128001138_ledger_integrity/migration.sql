-- Hand-written migration: what schema.prisma cannot express. The drift check
-- (@bfi/db expectNoDrift) ignores FUNCTION / TRIGGER objects and CHECK constraints, so these
-- are verified by behaviour in test/ledger-integrity.test.ts instead.

-- 1. Every journal entry balances: at least 2 lines, and per currency the signed amounts
--    (debit > 0, credit < 0) sum to zero. Checked at COMMIT (deferred constraint triggers), so
--    an entry and its lines can be inserted one statement at a time inside a transaction, but
--    no transaction can commit an unbalanced entry, whatever code path wrote it.
CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_entry uuid;
  v_lines integer;
  v_bad record;
BEGIN
  IF TG_TABLE_NAME = 'journal_entry' THEN
    v_entry := NEW.id;
  ELSE
    v_entry := NEW.entry_id;
  END IF;
  SELECT count(*) INTO v_lines FROM journal_line WHERE entry_id = v_entry;
  IF v_lines < 2 THEN
    RAISE EXCEPTION 'journal entry % has % line(s); a journal entry needs at least 2 lines', v_entry, v_lines
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT currency, sum(amount_minor) AS total INTO v_bad
    FROM journal_line WHERE entry_id = v_entry
    GROUP BY currency HAVING sum(amount_minor) <> 0
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal entry % does not balance in %: debits minus credits = % minor units', v_entry, v_bad.currency, v_bad.total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER journal_entry_balanced
  AFTER INSERT ON journal_entry
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

CREATE CONSTRAINT TRIGGER journal_line_balanced
  AFTER INSERT ON journal_line
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

-- 2. Append-only: a posted entry is never edited or removed; corrections are new entries.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the journal is append-only: % on % is not allowed; post a correcting entry instead', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER journal_entry_append_only
  BEFORE UPDATE OR DELETE ON journal_entry
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER journal_entry_no_truncate
  BEFORE TRUNCATE ON journal_entry
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER journal_line_append_only
  BEFORE UPDATE OR DELETE ON journal_line
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER journal_line_no_truncate
  BEFORE TRUNCATE ON journal_line
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- 3. Value rules (CHECK constraints; Prisma has no syntax for them).
ALTER TABLE fund ADD CONSTRAINT fund_fee_policy_check CHECK (fee_policy IN ('fund', 'general'));
ALTER TABLE fund ADD CONSTRAINT fund_slug_check CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$');
ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_kind_check CHECK (kind IN
  ('donation', 'fee', 'refund', 'dispute-opened', 'dispute-won', 'dispute-lost', 'payout', 'correction'));
ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_hash_check CHECK (hash ~ '^[0-9a-f]{64}$' AND prev_hash ~ '^[0-9a-f]{64}$');
ALTER TABLE journal_line ADD CONSTRAINT journal_line_amount_check CHECK (amount_minor <> 0);
ALTER TABLE journal_line ADD CONSTRAINT journal_line_account_type_check CHECK (account_type IN
  ('clearing', 'bank', 'fees', 'fund', 'disputes-held'));
ALTER TABLE ledger_chain_head ADD CONSTRAINT ledger_chain_head_single_row CHECK (id = 1);
ALTER TABLE ledger_donation ADD CONSTRAINT ledger_donation_amounts_check CHECK (
  gross_minor > 0 AND refunded_minor >= 0 AND held_minor >= 0 AND lost_minor >= 0
  AND refunded_minor + held_minor + lost_minor <= gross_minor);
ALTER TABLE ledger_dispute ADD CONSTRAINT ledger_dispute_status_check CHECK (status IN ('open', 'won', 'lost'));

-- 4. Reference data: the campaign's two funds and the genesis of the hash chain.
INSERT INTO fund (slug, name, restricted, fee_policy, description) VALUES
  ('specialist-training', 'Training of specialists who help victims of cyberbullying', true, 'fund',
   'Restricted: money raised to train psychologists and counsellors who treat cyberbullying victims'),
  ('general', 'General fund', false, 'fund', 'Unrestricted donations to the campaign');
INSERT INTO ledger_chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
