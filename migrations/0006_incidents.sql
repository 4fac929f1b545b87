CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"initial_precision" text NOT NULL,
	"initial_value" text,
	"final_precision" text,
	"final_value" text,
	"first_day" date,
	"last_day" date,
	"monitoring_status" text NOT NULL,
	"act_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"victim_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"parts" jsonb NOT NULL,
	"sealed" "bytea" NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incidents_version" CHECK ("incidents"."version" >= 1),
	CONSTRAINT "incidents_initial_precision" CHECK ("incidents"."initial_precision" in ('exact', 'approximate', 'month', 'year', 'unknown')),
	CONSTRAINT "incidents_final_precision" CHECK ("incidents"."final_precision" is null or "incidents"."final_precision" in ('exact', 'approximate', 'month', 'year', 'unknown'))
);
--> statement-breakpoint
CREATE INDEX "incidents_country_idx" ON "incidents" USING btree ("country");--> statement-breakpoint
CREATE INDEX "incidents_victims_idx" ON "incidents" USING gin ("victim_ids");--> statement-breakpoint
CREATE INDEX "incidents_act_types_idx" ON "incidents" USING gin ("act_types");--> statement-breakpoint
CREATE INDEX "incidents_days_idx" ON "incidents" USING btree ("first_day","last_day");