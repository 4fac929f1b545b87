CREATE TABLE "actors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"collective_form" text,
	"types" text[] DEFAULT '{}'::text[] NOT NULL,
	"country" text,
	"rights_areas" text[] DEFAULT '{}'::text[] NOT NULL,
	"sensitive" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"search_names" text DEFAULT '' NOT NULL,
	"search_places" text DEFAULT '' NOT NULL,
	"sort_name" text DEFAULT '' NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"archived_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	"erasure_reason" text,
	CONSTRAINT "actors_kind" CHECK ("actors"."kind" in ('individual', 'collective')),
	CONSTRAINT "actors_version" CHECK ("actors"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "ties" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"from_actor_id" uuid NOT NULL,
	"to_actor_id" uuid NOT NULL,
	"role" text,
	"start_date" date,
	"end_date" date,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ties_not_self" CHECK ("ties"."from_actor_id" <> "ties"."to_actor_id"),
	CONSTRAINT "ties_dates" CHECK ("ties"."end_date" is null or "ties"."start_date" is null or "ties"."end_date" >= "ties"."start_date")
);
--> statement-breakpoint
CREATE TABLE "vocabulary_terms" (
	"vocabulary" text NOT NULL,
	"code" text NOT NULL,
	"labels" jsonb NOT NULL,
	"applies_to" text DEFAULT 'any' NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "vocabulary_terms_vocabulary_code_pk" PRIMARY KEY("vocabulary","code"),
	CONSTRAINT "vocabulary_terms_applies_to" CHECK ("vocabulary_terms"."applies_to" in ('individual', 'collective', 'any'))
);
--> statement-breakpoint
ALTER TABLE "ties" ADD CONSTRAINT "ties_from_actor_id_actors_id_fk" FOREIGN KEY ("from_actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ties" ADD CONSTRAINT "ties_to_actor_id_actors_id_fk" FOREIGN KEY ("to_actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "actors_kind_idx" ON "actors" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "actors_country_idx" ON "actors" USING btree ("country");--> statement-breakpoint
CREATE INDEX "actors_types_idx" ON "actors" USING gin ("types");--> statement-breakpoint
CREATE INDEX "actors_sort_idx" ON "actors" USING btree ("sort_name","id");--> statement-breakpoint
CREATE INDEX "ties_from_idx" ON "ties" USING btree ("from_actor_id");--> statement-breakpoint
CREATE INDEX "ties_to_idx" ON "ties" USING btree ("to_actor_id");