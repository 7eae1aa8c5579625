-- Search newest first (server/features/search/queries.ts): each full-text row's rowid becomes minus
-- its record's id, so the newest matches come first in rowid ASCENDING order. FTS5 walks a posting
-- list forwards cheaply but backwards slowly (it decodes a page forwards to step back through it):
-- a province's "nha o", newest 30, read 0.33 ms of index backwards and 0.08 ms forwards at national
-- scale (1,000,000 concerns); sessions 0.09 and 0.07 ms. Everything that reads the index joins on
-- `c.id = -f.rowid` and sorts newest first by `f.rowid` (the concern list's text filter, its keyset,
-- the CSV export, search). The two tables are rebuilt once, in rowid order, then merged into one
-- segment; 'usermerge' (0029) lives in the table's config, so it is set again. The triggers that
-- keep `scope` in step (0014) are dropped first and made again with the new key.
DROP TRIGGER IF EXISTS `concerns_fts_scope`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `dialogues_fts_scope`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `concerns_fts_new` USING fts5(`body`, `scope`, tokenize = 'unicode61', prefix = '1 2 3 4 5 6', detail = column);
--> statement-breakpoint
INSERT INTO `concerns_fts_new` (`rowid`, `body`, `scope`) SELECT -`rowid`, `body`, `scope` FROM `concerns_fts` ORDER BY `rowid` DESC;
--> statement-breakpoint
DROP TABLE `concerns_fts`;
--> statement-breakpoint
ALTER TABLE `concerns_fts_new` RENAME TO `concerns_fts`;
--> statement-breakpoint
INSERT INTO `concerns_fts` (`concerns_fts`) VALUES ('optimize');
--> statement-breakpoint
INSERT INTO `concerns_fts` (`concerns_fts`, `rank`) VALUES ('usermerge', 2);
--> statement-breakpoint
CREATE VIRTUAL TABLE `dialogues_fts_new` USING fts5(`body`, `scope`, tokenize = 'unicode61', prefix = '1 2 3 4 5 6', detail = column);
--> statement-breakpoint
INSERT INTO `dialogues_fts_new` (`rowid`, `body`, `scope`) SELECT -`rowid`, `body`, `scope` FROM `dialogues_fts` ORDER BY `rowid` DESC;
--> statement-breakpoint
DROP TABLE `dialogues_fts`;
--> statement-breakpoint
ALTER TABLE `dialogues_fts_new` RENAME TO `dialogues_fts`;
--> statement-breakpoint
INSERT INTO `dialogues_fts` (`dialogues_fts`) VALUES ('optimize');
--> statement-breakpoint
INSERT INTO `dialogues_fts` (`dialogues_fts`, `rank`) VALUES ('usermerge', 2);
--> statement-breakpoint
CREATE TRIGGER `concerns_fts_scope` AFTER UPDATE OF `raised_path`, `responsible_path` ON `concerns`
WHEN NEW.`raised_path` <> OLD.`raised_path` OR NEW.`responsible_path` <> OLD.`responsible_path`
BEGIN
  UPDATE `concerns_fts` SET `scope` = 'u' || replace(trim(NEW.`raised_path`, '/'), '/', ' u') || ' u' || replace(trim(NEW.`responsible_path`, '/'), '/', ' u') WHERE `rowid` = -NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `dialogues_fts_scope` AFTER UPDATE OF `unit_path` ON `dialogues`
WHEN NEW.`unit_path` <> OLD.`unit_path`
BEGIN
  UPDATE `dialogues_fts` SET `scope` = 'u' || replace(trim(NEW.`unit_path`, '/'), '/', ' u') WHERE `rowid` = -NEW.`id`;
END;
