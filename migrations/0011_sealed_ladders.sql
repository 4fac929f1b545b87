ALTER TABLE "escalation_ladders" ALTER COLUMN "name" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "escalation_ladders" ALTER COLUMN "steps" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD COLUMN "sealed_address" "bytea";--> statement-breakpoint
ALTER TABLE "escalation_ladders" ADD COLUMN "sealed" "bytea";--> statement-breakpoint
ALTER TABLE "escalation_ladders" ADD CONSTRAINT "escalation_ladders_content" CHECK ("escalation_ladders"."sealed" is not null or ("escalation_ladders"."name" is not null and "escalation_ladders"."steps" is not null));