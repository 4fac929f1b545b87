CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"principal" text NOT NULL,
	"source" text,
	"action" text NOT NULL,
	"record_type" text NOT NULL,
	"record_ids" text[] NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_records_idx" ON "audit_log" USING gin ("record_ids");