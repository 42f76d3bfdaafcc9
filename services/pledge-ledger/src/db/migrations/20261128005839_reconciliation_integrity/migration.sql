-- Hand-written migration: SQL that schema.prisma cannot express (functions, triggers, CHECKs).
-- Statement lines are provider facts: only the payout they were paid out in may be filled in
-- later (a payout import after a date-range import). Everything else is refused.
CREATE FUNCTION statement_line_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'statement lines are provider facts and are never deleted'
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF (NEW.provider, NEW.reference, NEW.source_ref, NEW.type, NEW.gross_minor, NEW.fee_minor, NEW.net_minor,
      NEW.currency, NEW.created_at)
     IS DISTINCT FROM
     (OLD.provider, OLD.reference, OLD.source_ref, OLD.type, OLD.gross_minor, OLD.fee_minor, OLD.net_minor,
      OLD.currency, OLD.created_at)
     OR (OLD.payout_id IS NOT NULL AND NEW.payout_id IS DISTINCT FROM OLD.payout_id) THEN
    RAISE EXCEPTION 'statement line %/% may only gain the payout it was paid out in', OLD.provider, OLD.reference
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER statement_line_guard
  BEFORE UPDATE OR DELETE ON statement_line
  FOR EACH ROW EXECUTE FUNCTION statement_line_guard();

-- The resolution audit trail is append-only (a later row supersedes an earlier one).
CREATE TRIGGER discrepancy_resolution_append_only
  BEFORE UPDATE OR DELETE ON discrepancy_resolution
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_correction_append_only
  BEFORE UPDATE OR DELETE ON ledger_correction
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

ALTER TABLE statement_line ADD CONSTRAINT statement_line_provider_check CHECK (provider IN ('stripe', 'paypal'));
ALTER TABLE statement_line ADD CONSTRAINT statement_line_type_check CHECK (type IN
  ('payment', 'refund', 'dispute', 'dispute-reversal', 'payout', 'other'));
ALTER TABLE statement_line ADD CONSTRAINT statement_line_net_check CHECK (net_minor = gross_minor - fee_minor);
ALTER TABLE statement_line ADD CONSTRAINT statement_line_currency_check CHECK (currency ~ '^[A-Z]{3}$');
ALTER TABLE reconciliation_run ADD CONSTRAINT reconciliation_run_status_check CHECK (status IN ('running', 'completed', 'failed'));
ALTER TABLE reconciliation_run ADD CONSTRAINT reconciliation_run_period_check CHECK (period_from < period_to);
ALTER TABLE discrepancy_resolution ADD CONSTRAINT discrepancy_resolution_action_check CHECK (action IN ('accepted', 'corrected', 'reopened'));
