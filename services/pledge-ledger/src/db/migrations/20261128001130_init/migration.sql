-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "fund" (
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "restricted" BOOLEAN NOT NULL,
    "fee_policy" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fund_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "journal_entry" (
    "id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "donation_id" UUID,
    "fund" TEXT,
    "channel" TEXT,
    "office_id" TEXT,
    "provider" TEXT,
    "provider_ref" TEXT,
    "source_event_id" UUID,
    "description" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "journal_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "journal_line" (
    "entry_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "account" TEXT NOT NULL,
    "account_type" TEXT NOT NULL,
    "fund" TEXT,
    "currency" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,

    CONSTRAINT "journal_line_pkey" PRIMARY KEY ("entry_id","line_no")
);

-- CreateTable
CREATE TABLE "ledger_chain_head" (
    "id" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "ledger_chain_head_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_donation" (
    "id" UUID NOT NULL,
    "fund" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "office_id" TEXT,
    "provider" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "gross_minor" BIGINT NOT NULL,
    "refunded_minor" BIGINT NOT NULL DEFAULT 0,
    "held_minor" BIGINT NOT NULL DEFAULT 0,
    "lost_minor" BIGINT NOT NULL DEFAULT 0,
    "provider_ref" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_donation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_dispute" (
    "id" TEXT NOT NULL,
    "donation_id" UUID NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "status" TEXT NOT NULL,

    CONSTRAINT "ledger_dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "parked_event" (
    "event_id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "donation_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "parked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "parked_event_pkey" PRIMARY KEY ("event_id")
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
CREATE UNIQUE INDEX "journal_entry_seq_key" ON "journal_entry"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "journal_entry_idempotency_key_key" ON "journal_entry"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "journal_entry_hash_key" ON "journal_entry"("hash");

-- CreateIndex
CREATE INDEX "journal_entry_occurred_at_seq_idx" ON "journal_entry"("occurred_at", "seq");

-- CreateIndex
CREATE INDEX "journal_entry_donation_id_idx" ON "journal_entry"("donation_id");

-- CreateIndex
CREATE INDEX "journal_entry_provider_ref_idx" ON "journal_entry"("provider_ref");

-- CreateIndex
CREATE INDEX "journal_line_fund_account_type_idx" ON "journal_line"("fund", "account_type");

-- CreateIndex
CREATE INDEX "ledger_dispute_donation_id_idx" ON "ledger_dispute"("donation_id");

-- CreateIndex
CREATE UNIQUE INDEX "parked_event_seq_key" ON "parked_event"("seq");

-- CreateIndex
CREATE INDEX "parked_event_donation_id_seq_idx" ON "parked_event"("donation_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_seq_key" ON "outbox_event"("seq");

-- CreateIndex
CREATE INDEX "outbox_event_sent_at_seq_idx" ON "outbox_event"("sent_at", "seq");

-- AddForeignKey
ALTER TABLE "journal_line" ADD CONSTRAINT "journal_line_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "journal_entry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
