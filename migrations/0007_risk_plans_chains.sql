CREATE TABLE "chain_links" (
	"from_incident_id" uuid NOT NULL,
	"to_incident_id" uuid NOT NULL,
	"chain_type" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "chain_links_from_incident_id_to_incident_id_chain_type_pk" PRIMARY KEY("from_incident_id","to_incident_id","chain_type"),
	CONSTRAINT "chain_links_not_self" CHECK ("chain_links"."from_incident_id" <> "chain_links"."to_incident_id")
);
--> statement-breakpoint
CREATE TABLE "plan_measures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"strategy" text NOT NULL,
	"addresses" jsonb,
	"owner" text,
	"due_on" date,
	"status" text NOT NULL,
	"sealed" "bytea" NOT NULL,
	CONSTRAINT "plan_measures_strategy" CHECK ("plan_measures"."strategy" in ('acceptance', 'deterrence', 'protection'))
);
--> statement-breakpoint
CREATE TABLE "review_flags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"assessment_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"victim_id" uuid NOT NULL,
	"incident_date" date NOT NULL,
	"act_type" text NOT NULL,
	"relation" text NOT NULL,
	"via" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid
);
--> statement-breakpoint
CREATE TABLE "risk_assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"subject_id" uuid NOT NULL,
	"subject_kind" text NOT NULL,
	"status" text NOT NULL,
	"assessed_on" date NOT NULL,
	"next_review_on" date NOT NULL,
	"overall_level" text,
	"suggested_level" text,
	"defender_took_part" boolean NOT NULL,
	"superseded_by" uuid,
	"sealed" "bytea" NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "risk_assessments_status" CHECK ("risk_assessments"."status" in ('draft', 'open', 'closed', 'superseded')),
	CONSTRAINT "risk_assessments_version" CHECK ("risk_assessments"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "security_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"subject_id" uuid NOT NULL,
	"assessment_id" uuid,
	"status" text NOT NULL,
	"next_review_on" date NOT NULL,
	"review_every_days" integer NOT NULL,
	"sealed" "bytea" NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "security_plans_status" CHECK ("security_plans"."status" in ('active', 'retired')),
	CONSTRAINT "security_plans_version" CHECK ("security_plans"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "actors" ADD COLUMN "registered" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "perpetrator_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "chain_links" ADD CONSTRAINT "chain_links_from_incident_id_incidents_id_fk" FOREIGN KEY ("from_incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_links" ADD CONSTRAINT "chain_links_to_incident_id_incidents_id_fk" FOREIGN KEY ("to_incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_measures" ADD CONSTRAINT "plan_measures_plan_id_security_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."security_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_flags" ADD CONSTRAINT "review_flags_assessment_id_risk_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."risk_assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_flags" ADD CONSTRAINT "review_flags_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_assessments" ADD CONSTRAINT "risk_assessments_subject_id_actors_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "security_plans" ADD CONSTRAINT "security_plans_subject_id_actors_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "security_plans" ADD CONSTRAINT "security_plans_assessment_id_risk_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."risk_assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chain_links_to_idx" ON "chain_links" USING btree ("to_incident_id");--> statement-breakpoint
CREATE INDEX "plan_measures_plan_idx" ON "plan_measures" USING btree ("plan_id","position");--> statement-breakpoint
CREATE INDEX "plan_measures_due_idx" ON "plan_measures" USING btree ("status","due_on");--> statement-breakpoint
CREATE UNIQUE INDEX "review_flags_assessment_incident_idx" ON "review_flags" USING btree ("assessment_id","incident_id");--> statement-breakpoint
CREATE INDEX "review_flags_subject_idx" ON "review_flags" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "review_flags_open_idx" ON "review_flags" USING btree ("resolved_at");--> statement-breakpoint
CREATE INDEX "risk_assessments_subject_idx" ON "risk_assessments" USING btree ("subject_id","assessed_on");--> statement-breakpoint
CREATE INDEX "risk_assessments_review_idx" ON "risk_assessments" USING btree ("status","next_review_on");--> statement-breakpoint
CREATE INDEX "security_plans_subject_idx" ON "security_plans" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "security_plans_review_idx" ON "security_plans" USING btree ("status","next_review_on");--> statement-breakpoint
CREATE INDEX "incidents_perpetrators_idx" ON "incidents" USING gin ("perpetrator_ids");--> statement-breakpoint
UPDATE "incidents" SET "perpetrator_ids" = coalesce((SELECT array_agg(DISTINCT (inv->'perpetrator'->>'actorId')::uuid) FROM jsonb_array_elements("parts"->'involvements') AS inv WHERE inv->'perpetrator'->>'kind' = 'actor'), '{}'::uuid[]);
