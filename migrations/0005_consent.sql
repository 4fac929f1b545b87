CREATE TABLE "consent_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_id" uuid NOT NULL,
	"use" text NOT NULL,
	"partner_id" uuid,
	"decision" text NOT NULL,
	"stated_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"method" text NOT NULL,
	CONSTRAINT "consent_statements_use" CHECK ("consent_statements"."use" in ('state_disclosure', 'publication', 'partner_sharing', 'un_reprisals_reporting')),
	CONSTRAINT "consent_statements_decision" CHECK ("consent_statements"."decision" in ('given', 'withdrawn')),
	CONSTRAINT "consent_statements_partner" CHECK (("consent_statements"."use" = 'partner_sharing') = ("consent_statements"."partner_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "consent_statements" ADD CONSTRAINT "consent_statements_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_statements_actor_idx" ON "consent_statements" USING btree ("actor_id","use");