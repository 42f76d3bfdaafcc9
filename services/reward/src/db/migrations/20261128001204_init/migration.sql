-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "reward_rule" (
    "id" UUID NOT NULL,
    "campaign" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "fund" TEXT,
    "kind" TEXT NOT NULL,
    "out_of_stock" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "active_from" TIMESTAMPTZ(3) NOT NULL,
    "active_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reward_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_minimum" (
    "rule_id" UUID NOT NULL,
    "currency" TEXT NOT NULL,
    "minor" BIGINT NOT NULL,

    CONSTRAINT "rule_minimum_pkey" PRIMARY KEY ("rule_id","currency")
);

-- CreateTable
CREATE TABLE "decision" (
    "donation_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "rule_id" UUID,
    "channel" TEXT NOT NULL,
    "office_id" TEXT,
    "fund" TEXT NOT NULL,
    "gross_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "threshold_minor" BIGINT,
    "reversed_minor" BIGINT NOT NULL DEFAULT 0,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "decision_pkey" PRIMARY KEY ("donation_id")
);

-- CreateTable
CREATE TABLE "reward" (
    "id" UUID NOT NULL,
    "donation_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "office_id" TEXT,
    "claim_code" TEXT NOT NULL,
    "claim_expires_at" TIMESTAMPTZ(3),
    "fallback" BOOLEAN NOT NULL DEFAULT false,
    "handed_out_at" TIMESTAMPTZ(3),
    "handed_out_by" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "office_stock" (
    "office_id" TEXT NOT NULL,
    "available" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "office_stock_pkey" PRIMARY KEY ("office_id")
);

-- CreateTable
CREATE TABLE "stock_movement" (
    "id" BIGSERIAL NOT NULL,
    "office_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "available_delta" INTEGER NOT NULL,
    "reserved_delta" INTEGER NOT NULL,
    "reward_id" UUID,
    "reason" TEXT,
    "actor" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_movement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_event" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbox_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "reward_rule_channel_active_from_idx" ON "reward_rule"("channel", "active_from");

-- CreateIndex
CREATE UNIQUE INDEX "reward_donation_id_key" ON "reward"("donation_id");

-- CreateIndex
CREATE UNIQUE INDEX "reward_claim_code_key" ON "reward"("claim_code");

-- CreateIndex
CREATE INDEX "reward_office_id_status_created_at_idx" ON "reward"("office_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "reward_status_handed_out_at_idx" ON "reward"("status", "handed_out_at");

-- CreateIndex
CREATE INDEX "stock_movement_office_id_id_idx" ON "stock_movement"("office_id", "id");

-- CreateIndex
CREATE INDEX "stock_movement_reward_id_idx" ON "stock_movement"("reward_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_seq_key" ON "outbox_event"("seq");

-- CreateIndex
CREATE INDEX "outbox_event_sent_at_seq_idx" ON "outbox_event"("sent_at", "seq");

-- AddForeignKey
ALTER TABLE "rule_minimum" ADD CONSTRAINT "rule_minimum_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "reward_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decision" ADD CONSTRAINT "decision_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "reward_rule"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reward" ADD CONSTRAINT "reward_donation_id_fkey" FOREIGN KEY ("donation_id") REFERENCES "decision"("donation_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movement" ADD CONSTRAINT "stock_movement_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "office_stock"("office_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movement" ADD CONSTRAINT "stock_movement_reward_id_fkey" FOREIGN KEY ("reward_id") REFERENCES "reward"("id") ON DELETE SET NULL ON UPDATE CASCADE;
