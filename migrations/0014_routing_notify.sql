-- Routing changes: what an SOS reads before its first message leaves (the safety link's owner, the
-- actor, the ladders around them, the contacts' channels) is kept in each process's memory, and
-- these triggers tell every listening connection when a change to it commits (see
-- src/adapters/storage/routing-cache.ts). The payload is the table's name and the transaction's
-- id, nothing of the row: each listening connection of a process receives its own copy, and the id
-- lets the process act on the first only.
CREATE FUNCTION "amparo_routing_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('amparo_routing', TG_TABLE_NAME || ' ' || pg_current_xact_id()::text);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "actors_routing" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "actors" FOR EACH STATEMENT EXECUTE FUNCTION "amparo_routing_changed"();--> statement-breakpoint
CREATE TRIGGER "ties_routing" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ties" FOR EACH STATEMENT EXECUTE FUNCTION "amparo_routing_changed"();--> statement-breakpoint
CREATE TRIGGER "escalation_ladders_routing" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "escalation_ladders" FOR EACH STATEMENT EXECUTE FUNCTION "amparo_routing_changed"();--> statement-breakpoint
CREATE TRIGGER "safety_credentials_routing" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "safety_credentials" FOR EACH STATEMENT EXECUTE FUNCTION "amparo_routing_changed"();--> statement-breakpoint
-- A channel's outcome columns (last failure, last success) change with every delivery and play no
-- part in routing: only changes to the others count.
CREATE TRIGGER "notification_channels_routing" AFTER INSERT OR DELETE OR TRUNCATE ON "notification_channels" FOR EACH STATEMENT EXECUTE FUNCTION "amparo_routing_changed"();--> statement-breakpoint
CREATE TRIGGER "notification_channels_routing_update" AFTER UPDATE OF "id", "owner_kind", "owner_id", "kind", "position", "enabled", "sealed", "created_at" ON "notification_channels" FOR EACH STATEMENT EXECUTE FUNCTION "amparo_routing_changed"();
