-- The next visit whose reminder a process claimed (src/adapters/storage/case-store.ts,
-- claimVisitReminder): one reminder per visit, however many processes tick and across restarts.
ALTER TABLE "case_measures" ADD COLUMN "visit_reminded_on" date;