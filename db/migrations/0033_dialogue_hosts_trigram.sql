-- The host filter over a wide scope (server/features/dialogues/queries.ts, listStatement 'host'):
-- "hosted by …" is a substring of the folded host title and name (`host_search`). A province reads
-- its own sessions' hosts inside an index (0032); the ministry's list walks the newest sessions, and
-- when a name is rare among them it read every session's host: 48 ms at national scale (200,000
-- sessions) for a name no host has. A trigram index of `host_search` answers LIKE '%…%' from the
-- trigrams of the words typed (FTS5 'trigram', SQLite 3.34+), so a rare name's sessions come back
-- in microseconds. External content (the dialogues table itself), kept by triggers. detail=column:
-- a candidate is checked against its row's host (which the list reads anyway) rather than by
-- trigram positions, 2.5 times quicker for names made of common trigrams ("van an": 1.0 ms, 2.5). And the walk
-- over the newest sessions (dialogues_held_scope_idx, 0013) checks the host inside the index, not
-- a session row per entry (4,000 of them: 8 ms for a name no host has).
DROP INDEX `dialogues_held_scope_idx`;
--> statement-breakpoint
CREATE INDEX `dialogues_held_scope_idx` ON `dialogues` (`held_on`, `id`, `unit_path`, `format`, `level`, `status`, `host_search`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `dialogue_hosts` USING fts5(`host_search`, tokenize = 'trigram', detail = column, content = 'dialogues', content_rowid = 'id');
--> statement-breakpoint
INSERT INTO `dialogue_hosts` (`dialogue_hosts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `dialogue_hosts_ins` AFTER INSERT ON `dialogues`
BEGIN
  INSERT INTO `dialogue_hosts` (`rowid`, `host_search`) VALUES (NEW.`id`, NEW.`host_search`);
END;
--> statement-breakpoint
CREATE TRIGGER `dialogue_hosts_del` AFTER DELETE ON `dialogues`
BEGIN
  INSERT INTO `dialogue_hosts` (`dialogue_hosts`, `rowid`, `host_search`) VALUES ('delete', OLD.`id`, OLD.`host_search`);
END;
--> statement-breakpoint
CREATE TRIGGER `dialogue_hosts_upd` AFTER UPDATE OF `host_search` ON `dialogues` WHEN OLD.`host_search` IS NOT NEW.`host_search`
BEGIN
  INSERT INTO `dialogue_hosts` (`dialogue_hosts`, `rowid`, `host_search`) VALUES ('delete', OLD.`id`, OLD.`host_search`);
  INSERT INTO `dialogue_hosts` (`rowid`, `host_search`) VALUES (NEW.`id`, NEW.`host_search`);
END;
