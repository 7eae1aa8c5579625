-- The register's change counter: any insert, update or delete on people bumps it in the same
-- transaction, whoever writes, so a scope's register kept in memory (server/features/people/queries.ts)
-- is read again only after a change.
INSERT INTO `summary_stamp` (`key`, `n`) VALUES ('people', 0);
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_people_ins` AFTER INSERT ON `people` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'people'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_people_upd` AFTER UPDATE ON `people` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'people'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_people_del` AFTER DELETE ON `people` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'people'; END;
