DROP INDEX "actors_sort_idx";--> statement-breakpoint
ALTER TABLE "actors" ADD COLUMN "sealed" "bytea";--> statement-breakpoint
ALTER TABLE "actors" ADD COLUMN "sealed_name" "bytea";--> statement-breakpoint
ALTER TABLE "actors" ADD COLUMN "name_terms" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "actors" ADD COLUMN "place_terms" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "actors_name_terms_idx" ON "actors" USING gin ("name_terms");--> statement-breakpoint
CREATE INDEX "actors_place_terms_idx" ON "actors" USING gin ("place_terms");--> statement-breakpoint
CREATE INDEX "actors_recent_idx" ON "actors" USING btree ("updated_at" DESC NULLS LAST,"id");