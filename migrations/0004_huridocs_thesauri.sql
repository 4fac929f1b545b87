CREATE TABLE "thesaurus_lists" (
	"number" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"release_id" text NOT NULL,
	CONSTRAINT "thesaurus_lists_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "thesaurus_releases" (
	"id" text PRIMARY KEY NOT NULL,
	"repository" text NOT NULL,
	"path" text NOT NULL,
	"commit" text NOT NULL,
	"licence" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	"list_count" integer NOT NULL,
	"term_count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "thesaurus_terms" (
	"code" text PRIMARY KEY NOT NULL,
	"list" integer NOT NULL,
	"huridocs_code" text,
	"labels" jsonb NOT NULL,
	"parent" text,
	"level" integer NOT NULL,
	"position" integer NOT NULL,
	"visible" boolean DEFAULT true NOT NULL,
	"origin" text NOT NULL,
	"release_id" text,
	CONSTRAINT "thesaurus_terms_origin" CHECK ("thesaurus_terms"."origin" in ('huridocs', 'local')),
	CONSTRAINT "thesaurus_terms_codes" CHECK (("thesaurus_terms"."origin" = 'huridocs' and "thesaurus_terms"."huridocs_code" is not null and "thesaurus_terms"."release_id" is not null) or ("thesaurus_terms"."origin" = 'local' and "thesaurus_terms"."huridocs_code" is null and "thesaurus_terms"."code" like 'local-%'))
);
--> statement-breakpoint
ALTER TABLE "thesaurus_lists" ADD CONSTRAINT "thesaurus_lists_release_id_thesaurus_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."thesaurus_releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thesaurus_terms" ADD CONSTRAINT "thesaurus_terms_list_thesaurus_lists_number_fk" FOREIGN KEY ("list") REFERENCES "public"."thesaurus_lists"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thesaurus_terms" ADD CONSTRAINT "thesaurus_terms_release_id_thesaurus_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."thesaurus_releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "thesaurus_terms_list_idx" ON "thesaurus_terms" USING btree ("list","parent","position");