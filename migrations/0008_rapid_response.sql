CREATE TABLE "alert_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"step" integer,
	"round" integer NOT NULL,
	"purpose" text NOT NULL,
	"recipient_kind" text,
	"recipient_id" uuid,
	"channel_id" uuid,
	"channel_kind" text NOT NULL,
	"address" text,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "alert_deliveries_purpose" CHECK ("alert_deliveries"."purpose" in ('alert', 'acknowledged', 'resolved')),
	CONSTRAINT "alert_deliveries_status" CHECK ("alert_deliveries"."status" in ('pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled')),
	CONSTRAINT "alert_deliveries_channel_kind" CHECK ("alert_deliveries"."channel_kind" in ('email', 'webhook', 'sms', 'in_app')),
	CONSTRAINT "alert_deliveries_recipient" CHECK (("alert_deliveries"."recipient_kind" is null) = ("alert_deliveries"."recipient_id" is null))
);
--> statement-breakpoint
CREATE TABLE "alert_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "alert_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"alert_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"step" integer,
	"delivery_id" uuid,
	"recipient_kind" text,
	"recipient_id" uuid,
	"channel_kind" text,
	"detail" text,
	CONSTRAINT "alert_events_recipient" CHECK (("alert_events"."recipient_kind" is null) = ("alert_events"."recipient_id" is null))
);
--> statement-breakpoint
CREATE TABLE "alert_responders" (
	"alert_id" uuid NOT NULL,
	"recipient_kind" text NOT NULL,
	"recipient_id" uuid NOT NULL,
	"ack_digest" text NOT NULL,
	"reply_code_digest" text NOT NULL,
	"first_notified_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_responders_alert_id_recipient_kind_recipient_id_pk" PRIMARY KEY("alert_id","recipient_kind","recipient_id"),
	CONSTRAINT "alert_responders_ack_digest_unique" UNIQUE("ack_digest"),
	CONSTRAINT "alert_responders_recipient_kind" CHECK ("alert_responders"."recipient_kind" in ('user', 'actor'))
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_id" uuid NOT NULL,
	"source" text NOT NULL,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"silent" boolean NOT NULL,
	"ladder" jsonb,
	"cursor" jsonb NOT NULL,
	"next_step_at" timestamp with time zone,
	"raised_by" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"check_in_id" uuid,
	"incident_id" uuid,
	"sealed" "bytea" NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "alerts_source" CHECK ("alerts"."source" in ('sos', 'check_in_missed', 'duress', 'coordinator', 'incident')),
	CONSTRAINT "alerts_severity" CHECK ("alerts"."severity" in ('medium', 'high', 'critical')),
	CONSTRAINT "alerts_status" CHECK ("alerts"."status" in ('open', 'acknowledged', 'resolved')),
	CONSTRAINT "alerts_version" CHECK ("alerts"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "check_ins" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"every_hours" integer,
	"due_at" timestamp with time zone NOT NULL,
	"grace_minutes" integer NOT NULL,
	"alarm_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"sealed" "bytea" NOT NULL,
	"last_check_in_at" timestamp with time zone,
	"alert_id" uuid,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "check_ins_kind" CHECK ("check_ins"."kind" in ('recurring', 'one_off')),
	CONSTRAINT "check_ins_status" CHECK ("check_ins"."status" in ('active', 'missed', 'ended')),
	CONSTRAINT "check_ins_version" CHECK ("check_ins"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "duty_shifts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	CONSTRAINT "duty_shifts_span" CHECK ("duty_shifts"."ends_at" > "duty_shifts"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "escalation_ladders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_actor_id" uuid,
	"steps" jsonb NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "escalation_ladders_scope" CHECK ("escalation_ladders"."scope_kind" in ('actor', 'network')),
	CONSTRAINT "escalation_ladders_scope_actor" CHECK (("escalation_ladders"."scope_kind" = 'actor') = ("escalation_ladders"."scope_actor_id" is not null)),
	CONSTRAINT "escalation_ladders_version" CHECK ("escalation_ladders"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "notification_channels" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_kind" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"position" integer NOT NULL,
	"enabled" boolean NOT NULL,
	"sealed" "bytea" NOT NULL,
	"last_failure" text,
	"last_failure_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notification_channels_owner_kind" CHECK ("notification_channels"."owner_kind" in ('user', 'actor')),
	CONSTRAINT "notification_channels_kind" CHECK ("notification_channels"."kind" in ('email', 'webhook', 'sms', 'in_app'))
);
--> statement-breakpoint
CREATE TABLE "safety_credentials" (
	"actor_id" uuid PRIMARY KEY NOT NULL,
	"link_digest" text,
	"code_digest" text,
	"pin_hash" text,
	"duress_pin_hash" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "safety_credentials_link_digest_unique" UNIQUE("link_digest"),
	CONSTRAINT "safety_credentials_code_digest_unique" UNIQUE("code_digest")
);
--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_responders" ADD CONSTRAINT "alert_responders_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_shifts" ADD CONSTRAINT "duty_shifts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalation_ladders" ADD CONSTRAINT "escalation_ladders_scope_actor_id_actors_id_fk" FOREIGN KEY ("scope_actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_credentials" ADD CONSTRAINT "safety_credentials_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_deliveries_alert_idx" ON "alert_deliveries" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "alert_deliveries_due_idx" ON "alert_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "alert_deliveries_lease_idx" ON "alert_deliveries" USING btree ("status","lease_until");--> statement-breakpoint
CREATE INDEX "alert_events_alert_idx" ON "alert_events" USING btree ("alert_id","at","seq");--> statement-breakpoint
CREATE INDEX "alert_events_at_idx" ON "alert_events" USING btree ("at","seq");--> statement-breakpoint
CREATE INDEX "alert_responders_reply_code_idx" ON "alert_responders" USING btree ("reply_code_digest");--> statement-breakpoint
CREATE INDEX "alerts_due_idx" ON "alerts" USING btree ("status","next_step_at");--> statement-breakpoint
CREATE INDEX "alerts_actor_idx" ON "alerts" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "alerts_recent_idx" ON "alerts" USING btree ("raised_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "check_ins_alarm_idx" ON "check_ins" USING btree ("status","alarm_at");--> statement-breakpoint
CREATE INDEX "check_ins_actor_idx" ON "check_ins" USING btree ("actor_id","due_at");--> statement-breakpoint
CREATE INDEX "duty_shifts_ends_idx" ON "duty_shifts" USING btree ("ends_at","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "escalation_ladders_actor_idx" ON "escalation_ladders" USING btree ("scope_actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "escalation_ladders_network_idx" ON "escalation_ladders" USING btree ("scope_kind") WHERE "escalation_ladders"."scope_kind" = 'network';--> statement-breakpoint
CREATE INDEX "notification_channels_owner_idx" ON "notification_channels" USING btree ("owner_kind","owner_id","position");