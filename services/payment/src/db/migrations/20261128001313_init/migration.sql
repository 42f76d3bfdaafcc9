-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "office" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "office_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "donation_point" (
    "id" UUID NOT NULL,
    "office_id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "donation_point_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "qr_token" (
    "jti" UUID NOT NULL,
    "point_id" UUID NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "donation_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "qr_token_pkey" PRIMARY KEY ("jti")
);

-- CreateTable
CREATE TABLE "donation" (
    "id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "fund" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "office_id" TEXT,
    "donation_point_id" UUID,
    "donor_name" TEXT,
    "donor_email" TEXT,
    "fee_minor" BIGINT,
    "fee_currency" TEXT,
    "refunded_minor" BIGINT NOT NULL DEFAULT 0,
    "dispute_status" TEXT,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "donation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_payment" (
    "donation_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "checkout_session_id" TEXT,
    "payment_intent_id" TEXT,
    "charge_id" TEXT,
    "order_id" TEXT,
    "capture_id" TEXT,
    "redirect_url" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_payment_pkey" PRIMARY KEY ("donation_id")
);

-- CreateTable
CREATE TABLE "refund" (
    "id" UUID NOT NULL,
    "donation_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_refund_id" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dispute" (
    "id" UUID NOT NULL,
    "donation_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_dispute_id" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "donation_id" UUID,
    "outcome" TEXT NOT NULL,
    "raw_body" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_key" (
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "donation_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("key")
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
CREATE INDEX "donation_point_office_id_idx" ON "donation_point"("office_id");

-- CreateIndex
CREATE UNIQUE INDEX "qr_token_donation_id_key" ON "qr_token"("donation_id");

-- CreateIndex
CREATE INDEX "donation_office_id_created_at_idx" ON "donation"("office_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "provider_payment_checkout_session_id_key" ON "provider_payment"("checkout_session_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_payment_payment_intent_id_key" ON "provider_payment"("payment_intent_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_payment_charge_id_key" ON "provider_payment"("charge_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_payment_order_id_key" ON "provider_payment"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_payment_capture_id_key" ON "provider_payment"("capture_id");

-- CreateIndex
CREATE INDEX "refund_donation_id_idx" ON "refund"("donation_id");

-- CreateIndex
CREATE UNIQUE INDEX "refund_provider_provider_refund_id_key" ON "refund"("provider", "provider_refund_id");

-- CreateIndex
CREATE UNIQUE INDEX "dispute_provider_provider_dispute_id_key" ON "dispute"("provider", "provider_dispute_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_provider_provider_event_id_key" ON "webhook_delivery"("provider", "provider_event_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_seq_key" ON "outbox_event"("seq");

-- CreateIndex
CREATE INDEX "outbox_event_sent_at_seq_idx" ON "outbox_event"("sent_at", "seq");

-- AddForeignKey
ALTER TABLE "donation_point" ADD CONSTRAINT "donation_point_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "office"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "qr_token" ADD CONSTRAINT "qr_token_point_id_fkey" FOREIGN KEY ("point_id") REFERENCES "donation_point"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_payment" ADD CONSTRAINT "provider_payment_donation_id_fkey" FOREIGN KEY ("donation_id") REFERENCES "donation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refund" ADD CONSTRAINT "refund_donation_id_fkey" FOREIGN KEY ("donation_id") REFERENCES "donation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_donation_id_fkey" FOREIGN KEY ("donation_id") REFERENCES "donation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
