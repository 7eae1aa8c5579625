CREATE TABLE `summary_stamp` (
	`key` text PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- The unit tree's change counter for the summary's in-memory tree (server/features/summary/queries.ts):
-- any insert, update or delete on units bumps it, whoever writes, so one single-row read tells
-- whether the tree must be read again.
INSERT INTO `summary_stamp` (`key`, `n`) VALUES ('units', 0);
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_units_ins` AFTER INSERT ON `units` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_units_upd` AFTER UPDATE ON `units` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_units_del` AFTER DELETE ON `units` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
