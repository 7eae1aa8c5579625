-- The host filter of a province's session list (server/features/dialogues/queries.ts, listStatement
-- 'top'): dialogues_top_held_idx (0025) gains the folded host (`host_search`), so "hosted by …" is
-- checked inside the index like the other filters. Without it every session of the province was
-- read from the table to test its host: 15-19 ms for a province of 6,000 sessions at national scale,
-- whatever the name (one that no host has reads them all).
DROP INDEX `dialogues_top_held_idx`;
--> statement-breakpoint
CREATE INDEX `dialogues_top_held_idx` ON `dialogues` (
  substr(`unit_path`, 1, instr(substr(`unit_path`, 2), '/') + 1 + instr(substr(`unit_path`, instr(substr(`unit_path`, 2), '/') + 2), '/')),
  `held_on`, `id`, `unit_path`, `format`, `level`, `status`, `host_search`);
