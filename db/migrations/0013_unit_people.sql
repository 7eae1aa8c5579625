CREATE TABLE `unit_people` (
	`unit_id` integer PRIMARY KEY NOT NULL,
	`serving` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Hand-written (drizzle cannot express triggers): serving people per unit, kept whoever writes.
CREATE TRIGGER `unit_people_ins` AFTER INSERT ON `people` WHEN NEW.`status` = 'serving'
BEGIN
  INSERT INTO `unit_people` (`unit_id`, `serving`) VALUES (NEW.`unit_id`, 1) ON CONFLICT(`unit_id`) DO UPDATE SET `serving` = `serving` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `unit_people_del` AFTER DELETE ON `people` WHEN OLD.`status` = 'serving'
BEGIN
  UPDATE `unit_people` SET `serving` = `serving` - 1 WHERE `unit_id` = OLD.`unit_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `unit_people_upd` AFTER UPDATE OF `unit_id`, `status` ON `people`
WHEN OLD.`unit_id` IS NOT NEW.`unit_id` OR (OLD.`status` = 'serving') IS NOT (NEW.`status` = 'serving')
BEGIN
  UPDATE `unit_people` SET `serving` = `serving` - 1 WHERE `unit_id` = OLD.`unit_id` AND OLD.`status` = 'serving';
  INSERT INTO `unit_people` (`unit_id`, `serving`) SELECT NEW.`unit_id`, 1 WHERE NEW.`status` = 'serving' ON CONFLICT(`unit_id`) DO UPDATE SET `serving` = `serving` + 1;
END;
--> statement-breakpoint
INSERT INTO `unit_people` (`unit_id`, `serving`) SELECT `unit_id`, COUNT(*) FROM `people` WHERE `status` = 'serving' GROUP BY `unit_id`;
