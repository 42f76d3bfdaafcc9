-- Hand-written migration: SQL that schema.prisma cannot express (functions, triggers, CHECKs).

-- Stock never goes negative, whatever the code does (also under concurrency: the conditional
-- UPDATE ... WHERE available > 0 is the fast path, these are the last line of defence).
ALTER TABLE "office_stock" ADD CONSTRAINT "office_stock_available_non_negative" CHECK ("available" >= 0);
ALTER TABLE "office_stock" ADD CONSTRAINT "office_stock_reserved_non_negative" CHECK ("reserved" >= 0);

ALTER TABLE "reward_rule" ADD CONSTRAINT "reward_rule_channel" CHECK ("channel" IN ('online', 'office'));
ALTER TABLE "reward_rule" ADD CONSTRAINT "reward_rule_kind" CHECK ("kind" IN ('physical-sticker-pack', 'digital-sticker-pack'));
ALTER TABLE "reward_rule" ADD CONSTRAINT "reward_rule_out_of_stock" CHECK ("out_of_stock" IN ('wait-for-stock', 'digital-fallback'));
-- A physical pack is handed out in an office: an online rule can only give a digital pack.
ALTER TABLE "reward_rule" ADD CONSTRAINT "reward_rule_physical_in_office" CHECK ("kind" <> 'physical-sticker-pack' OR "channel" = 'office');
ALTER TABLE "reward_rule" ADD CONSTRAINT "reward_rule_period" CHECK ("active_until" IS NULL OR "active_until" > "active_from");
ALTER TABLE "rule_minimum" ADD CONSTRAINT "rule_minimum_positive" CHECK ("minor" > 0);

ALTER TABLE "decision" ADD CONSTRAINT "decision_outcome" CHECK ("outcome" IN ('rewarded', 'no-reward'));
ALTER TABLE "decision" ADD CONSTRAINT "decision_reversed_range" CHECK ("reversed_minor" >= 0 AND "reversed_minor" <= "gross_minor");

ALTER TABLE "reward" ADD CONSTRAINT "reward_kind" CHECK ("kind" IN ('physical-sticker-pack', 'digital-sticker-pack'));
ALTER TABLE "reward" ADD CONSTRAINT "reward_status" CHECK ("status" IN ('available', 'waiting-list', 'handed-out', 'revoked', 'flagged', 'expired'));
ALTER TABLE "reward" ADD CONSTRAINT "reward_physical_has_office" CHECK ("kind" <> 'physical-sticker-pack' OR "office_id" IS NOT NULL);
ALTER TABLE "reward" ADD CONSTRAINT "reward_handed_out_has_time" CHECK ("status" NOT IN ('handed-out', 'flagged') OR "handed_out_at" IS NOT NULL);

ALTER TABLE "stock_movement" ADD CONSTRAINT "stock_movement_kind" CHECK ("kind" IN ('delivery', 'reservation', 'hand-out', 'return', 'adjustment', 'count'));
-- A count that matches the books is still recorded (who counted, when), with zero deltas.
ALTER TABLE "stock_movement" ADD CONSTRAINT "stock_movement_changes_something" CHECK ("kind" = 'count' OR "available_delta" <> 0 OR "reserved_delta" <> 0);
ALTER TABLE "stock_movement" ADD CONSTRAINT "stock_movement_adjustment_reason" CHECK ("kind" NOT IN ('adjustment', 'count') OR length(btrim(coalesce("reason", ''))) > 0);

-- The stock ledger is append-only: corrections are new movements, never edits.
CREATE FUNCTION stock_movement_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_movement is append-only: record a correcting movement instead of %', TG_OP;
END;
$$;
CREATE TRIGGER stock_movement_no_update_delete
  BEFORE UPDATE OR DELETE ON "stock_movement"
  FOR EACH ROW EXECUTE FUNCTION stock_movement_append_only();
