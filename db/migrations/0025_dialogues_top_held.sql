-- A province's sessions newest first (server/features/dialogues/queries.ts, listStatement 'top'):
-- the first two levels of the host unit's path ('/1/2/' of '/1/2/10/55/') lead the index, so a
-- scope one level below the root (a province under the ministry) reads its page's entries and no
-- others; the newest-first walk over every session passed ~34 others' for each of its own.
CREATE INDEX `dialogues_top_held_idx` ON `dialogues` (
  substr(`unit_path`, 1, instr(substr(`unit_path`, 2), '/') + 1 + instr(substr(`unit_path`, instr(substr(`unit_path`, 2), '/') + 2), '/')),
  `held_on`, `id`, `unit_path`, `format`, `level`, `status`);
