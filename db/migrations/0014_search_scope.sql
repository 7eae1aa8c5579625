-- Search at national scale (server/features/search/queries.ts). The two FTS5 tables are rebuilt with:
-- - a `scope` column: a token per unit on the record's path ('u1 u2 u57'; a concern: its raised and
--   its responsible unit's paths), so a search ANDs the viewer's scope unit into the full-text
--   match and the index returns only matches inside the scope, newest first, stopping at the page
--   (the scope is still checked in SQL on every row shown);
-- - prefix indexes for words of 1 to 6 letters (every word is matched as a prefix): without them a
--   prefix such as "o"* or "dieu"* merges the postings of every matching word in memory before the
--   first row comes back;
-- - detail=column: no word positions (no phrase or NEAR queries are ever made), a smaller index.
-- Triggers keep `scope` in step whenever a record's path changes (forwarding, a reorganisation
-- moving units, editing a session); the app writes it with the text (indexConcern, indexDialogue).
CREATE VIRTUAL TABLE `concerns_fts_new` USING fts5(`body`, `scope`, tokenize = 'unicode61', prefix = '1 2 3 4 5 6', detail = column);
--> statement-breakpoint
INSERT INTO `concerns_fts_new` (`rowid`, `body`, `scope`)
  SELECT f.`rowid`, f.`body`, 'u' || replace(trim(c.`raised_path`, '/'), '/', ' u') || ' u' || replace(trim(c.`responsible_path`, '/'), '/', ' u')
  FROM `concerns_fts` f JOIN `concerns` c ON c.`id` = f.`rowid`;
--> statement-breakpoint
DROP TABLE `concerns_fts`;
--> statement-breakpoint
ALTER TABLE `concerns_fts_new` RENAME TO `concerns_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `dialogues_fts_new` USING fts5(`body`, `scope`, tokenize = 'unicode61', prefix = '1 2 3 4 5 6', detail = column);
--> statement-breakpoint
INSERT INTO `dialogues_fts_new` (`rowid`, `body`, `scope`)
  SELECT f.`rowid`, f.`body`, 'u' || replace(trim(d.`unit_path`, '/'), '/', ' u')
  FROM `dialogues_fts` f JOIN `dialogues` d ON d.`id` = f.`rowid`;
--> statement-breakpoint
DROP TABLE `dialogues_fts`;
--> statement-breakpoint
ALTER TABLE `dialogues_fts_new` RENAME TO `dialogues_fts`;
--> statement-breakpoint
CREATE TRIGGER `concerns_fts_scope` AFTER UPDATE OF `raised_path`, `responsible_path` ON `concerns`
WHEN NEW.`raised_path` <> OLD.`raised_path` OR NEW.`responsible_path` <> OLD.`responsible_path`
BEGIN
  UPDATE `concerns_fts` SET `scope` = 'u' || replace(trim(NEW.`raised_path`, '/'), '/', ' u') || ' u' || replace(trim(NEW.`responsible_path`, '/'), '/', ' u') WHERE `rowid` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `dialogues_fts_scope` AFTER UPDATE OF `unit_path` ON `dialogues`
WHEN NEW.`unit_path` <> OLD.`unit_path`
BEGIN
  UPDATE `dialogues_fts` SET `scope` = 'u' || replace(trim(NEW.`unit_path`, '/'), '/', ' u') WHERE `rowid` = NEW.`id`;
END;
