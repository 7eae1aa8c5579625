-- A report's figures read for its own period (reports/queries.ts, computeStats). They were counted
-- from every concern ever raised in the unit's subtree up to the period's end, and every verdict
-- event of the subtree: a province's quarter read its whole history, 300 ms at national scale, and
-- the ministry's 10 s. Now each figure seeks its period per unit path of the subtree:
--   raised          concerns_raised_path_idx (raised_path, status, raised_on)
--   answered, days  concerns_raised_answered_idx (raised_path, answered_at, ...)
--   closed          concerns_raised_closed_idx (raised_path, closed_at, ...)
--   overdue         concerns_open_raised_idx for those still open, and the answered index past the
--                   period's end for those answered late
--   satisfaction    concern_events_rating_idx: the verdict events carry their concern's raised_path.
ALTER TABLE `concern_events` ADD `raised_path` text;
--> statement-breakpoint
UPDATE `concern_events` SET `raised_path` = (SELECT c.`raised_path` FROM `concerns` c WHERE c.`id` = `concern_events`.`concern_id`)
  WHERE `satisfaction` IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `concern_events_rating_idx` ON `concern_events` (`raised_path`,`at`,`satisfaction`) WHERE satisfaction IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `concerns_raised_answered_idx` ON `concerns` (`raised_path`,`answered_at`,`status`,`due_on`,`raised_on`,`category_id`,`raiser_group`) WHERE answered_at IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `concerns_raised_closed_idx` ON `concerns` (`raised_path`,`closed_at`,`raised_on`,`category_id`,`raiser_group`) WHERE closed_at IS NOT NULL;
--> statement-breakpoint
-- Whoever writes the verdict event (the app, a seed, the bench generator), it gets the path; and it
-- follows its concern when the concern's path changes (a unit moved in a reorganisation, migration
-- 0007, or the concern moved to another raising unit).
CREATE TRIGGER `concern_events_rating_path` AFTER INSERT ON `concern_events`
WHEN NEW.`satisfaction` IS NOT NULL AND NEW.`raised_path` IS NULL
BEGIN
  UPDATE `concern_events` SET `raised_path` = (SELECT c.`raised_path` FROM `concerns` c WHERE c.`id` = NEW.`concern_id`) WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `concerns_rating_path_follow` AFTER UPDATE OF `raised_path` ON `concerns`
WHEN NEW.`raised_path` IS NOT OLD.`raised_path`
BEGIN
  UPDATE `concern_events` SET `raised_path` = NEW.`raised_path` WHERE `concern_id` = NEW.`id` AND `satisfaction` IS NOT NULL;
END;
