CREATE TABLE "case_assessments" (
	"case_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "case_assessments_case_id_assessment_id_pk" PRIMARY KEY("case_id","assessment_id")
);
--> statement-breakpoint
CREATE TABLE "case_feedback" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"measure_id" uuid,
	"actor_id" uuid NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"useful" text,
	"increased_risk" text,
	"via" text,
	"sealed" "bytea" NOT NULL,
	CONSTRAINT "case_feedback_useful" CHECK ("case_feedback"."useful" is null or "case_feedback"."useful" in ('yes', 'partly', 'no')),
	CONSTRAINT "case_feedback_increased_risk" CHECK ("case_feedback"."increased_risk" is null or "case_feedback"."increased_risk" in ('no', 'yes', 'unsure')),
	CONSTRAINT "case_feedback_via" CHECK ("case_feedback"."via" is null or "case_feedback"."via" in ('self_service', 'staff'))
);
--> statement-breakpoint
CREATE TABLE "case_incidents" (
	"case_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "case_incidents_case_id_incident_id_pk" PRIMARY KEY("case_id","incident_id")
);
--> statement-breakpoint
CREATE TABLE "case_measure_beneficiaries" (
	"measure_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "case_measure_beneficiaries_measure_id_actor_id_pk" PRIMARY KEY("measure_id","actor_id")
);
--> statement-breakpoint
CREATE TABLE "case_measures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"owner_id" uuid,
	"partner_id" uuid,
	"next_visit_on" date,
	"agreement_kind" text,
	"agreement_at" timestamp with time zone,
	"outcome" text,
	"proposed_at" timestamp with time zone NOT NULL,
	"proposed_by" text NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"sealed" "bytea" NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "case_measures_kind" CHECK ("case_measures"."kind" in ('accompaniment', 'visits', 'trial_monitoring', 'legal_aid', 'psychosocial', 'digital_security', 'urgent_appeal', 'emergency_grant', 'relocation', 'referral')),
	CONSTRAINT "case_measures_status" CHECK ("case_measures"."status" in ('proposed', 'agreed', 'in_progress', 'done', 'cancelled')),
	CONSTRAINT "case_measures_agreement_kind" CHECK ("case_measures"."agreement_kind" is null or "case_measures"."agreement_kind" in ('agreed', 'declined', 'could_not_ask')),
	CONSTRAINT "case_measures_agreement" CHECK (("case_measures"."agreement_kind" is null) = ("case_measures"."agreement_at" is null)),
	CONSTRAINT "case_measures_outcome" CHECK ("case_measures"."outcome" is null or "case_measures"."outcome" in ('effective', 'partly_effective', 'not_effective', 'unknown')),
	CONSTRAINT "case_measures_partner" CHECK ("case_measures"."partner_id" is null or "case_measures"."kind" = 'referral'),
	CONSTRAINT "case_measures_version" CHECK ("case_measures"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "case_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"author_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"sealed" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_settings" (
	"id" integer PRIMARY KEY NOT NULL,
	"urgent_hours" integer DEFAULT 24 NOT NULL,
	"high_hours" integer DEFAULT 72 NOT NULL,
	"medium_hours" integer DEFAULT 168 NOT NULL,
	"low_hours" integer DEFAULT 336 NOT NULL,
	CONSTRAINT "case_settings_one_row" CHECK ("case_settings"."id" = 1),
	CONSTRAINT "case_settings_hours" CHECK ("case_settings"."urgent_hours" > 0 and "case_settings"."high_hours" > 0 and "case_settings"."medium_hours" > 0 and "case_settings"."low_hours" > 0)
);
--> statement-breakpoint
CREATE TABLE "case_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"due_on" date,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"sealed" "bytea" NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "case_tasks_status" CHECK ("case_tasks"."status" in ('open', 'done', 'cancelled')),
	CONSTRAINT "case_tasks_version" CHECK ("case_tasks"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"beneficiary_kind" text NOT NULL,
	"priority" text NOT NULL,
	"status" text NOT NULL,
	"request_id" uuid,
	"lead_id" uuid,
	"opened_at" timestamp with time zone NOT NULL,
	"opened_by" text NOT NULL,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"sealed" "bytea" NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "cases_beneficiary_kind" CHECK ("cases"."beneficiary_kind" in ('individual', 'collective')),
	CONSTRAINT "cases_priority" CHECK ("cases"."priority" in ('urgent', 'high', 'medium', 'low')),
	CONSTRAINT "cases_status" CHECK ("cases"."status" in ('intake', 'assessing', 'active', 'monitoring', 'closed')),
	CONSTRAINT "cases_close_reason" CHECK ("cases"."close_reason" is null or "cases"."close_reason" in ('risk_reduced', 'defender_request', 'referred_elsewhere', 'lost_contact', 'no_longer_needed', 'other')),
	CONSTRAINT "cases_version" CHECK ("cases"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "help_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"actor_id" uuid,
	"stated_urgent" boolean NOT NULL,
	"priority" text,
	"status" text NOT NULL,
	"submitted_by" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"triaged_at" timestamp with time zone,
	"triaged_by" text,
	"first_response_at" timestamp with time zone,
	"first_response_by" text,
	"case_id" uuid,
	"sealed" "bytea" NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "help_requests_channel" CHECK ("help_requests"."channel" in ('self_service', 'intermediary', 'staff')),
	CONSTRAINT "help_requests_priority" CHECK ("help_requests"."priority" is null or "help_requests"."priority" in ('urgent', 'high', 'medium', 'low')),
	CONSTRAINT "help_requests_status" CHECK ("help_requests"."status" in ('new', 'triaged', 'case_opened', 'declined')),
	CONSTRAINT "help_requests_version" CHECK ("help_requests"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "case_assessments" ADD CONSTRAINT "case_assessments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_assessments" ADD CONSTRAINT "case_assessments_assessment_id_risk_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."risk_assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_feedback" ADD CONSTRAINT "case_feedback_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_feedback" ADD CONSTRAINT "case_feedback_measure_id_case_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."case_measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_feedback" ADD CONSTRAINT "case_feedback_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_incidents" ADD CONSTRAINT "case_incidents_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_incidents" ADD CONSTRAINT "case_incidents_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_measure_beneficiaries" ADD CONSTRAINT "case_measure_beneficiaries_measure_id_case_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."case_measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_measure_beneficiaries" ADD CONSTRAINT "case_measure_beneficiaries_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_measures" ADD CONSTRAINT "case_measures_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_measures" ADD CONSTRAINT "case_measures_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_measures" ADD CONSTRAINT "case_measures_partner_id_users_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_beneficiary_id_actors_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_request_id_help_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."help_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_lead_id_users_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_requests" ADD CONSTRAINT "help_requests_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_requests" ADD CONSTRAINT "help_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_assessments_assessment_idx" ON "case_assessments" USING btree ("assessment_id");--> statement-breakpoint
CREATE INDEX "case_feedback_case_idx" ON "case_feedback" USING btree ("case_id","asked_at");--> statement-breakpoint
CREATE INDEX "case_feedback_actor_idx" ON "case_feedback" USING btree ("actor_id","answered_at");--> statement-breakpoint
CREATE INDEX "case_feedback_answered_idx" ON "case_feedback" USING btree ("answered_at");--> statement-breakpoint
CREATE INDEX "case_incidents_incident_idx" ON "case_incidents" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "case_measure_beneficiaries_actor_idx" ON "case_measure_beneficiaries" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "case_measures_case_idx" ON "case_measures" USING btree ("case_id","proposed_at");--> statement-breakpoint
CREATE INDEX "case_measures_partner_idx" ON "case_measures" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "case_measures_visits_idx" ON "case_measures" USING btree ("kind","status","next_visit_on");--> statement-breakpoint
CREATE INDEX "case_measures_proposed_idx" ON "case_measures" USING btree ("proposed_at");--> statement-breakpoint
CREATE INDEX "case_notes_case_idx" ON "case_notes" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "case_tasks_case_idx" ON "case_tasks" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "case_tasks_owner_idx" ON "case_tasks" USING btree ("owner_id","status","due_on");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status","opened_at");--> statement-breakpoint
CREATE INDEX "cases_recent_idx" ON "cases" USING btree ("opened_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "cases_beneficiary_idx" ON "cases" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "cases_lead_idx" ON "cases" USING btree ("lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_request_idx" ON "cases" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "help_requests_queue_idx" ON "help_requests" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "help_requests_received_idx" ON "help_requests" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "help_requests_actor_idx" ON "help_requests" USING btree ("actor_id");