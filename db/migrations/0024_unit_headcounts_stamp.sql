-- The head-counts' change counter: any write to unit_headcounts (its triggers on people and on a
-- unit's move, or a rebuild) bumps it in the same transaction, so the unit tree and the people
-- register can keep every unit's counts in memory and read them again only after a change
-- (server/features/units/queries.ts).
INSERT INTO `summary_stamp` (`key`, `n`) VALUES ('headcounts', 0);
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_headcounts_ins` AFTER INSERT ON `unit_headcounts` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'headcounts'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_headcounts_upd` AFTER UPDATE ON `unit_headcounts` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'headcounts'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_headcounts_del` AFTER DELETE ON `unit_headcounts` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'headcounts'; END;
