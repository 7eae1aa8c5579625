-- The list's filters on concerns awaiting a reply, kept beside each entry of concern_pending_units
-- (0022): status, raiser group, category and channel. "In progress, overdue, raised by officers" in
-- a province then reads the province's overdue entries alone (a few hundred, in due-date order) and
-- the table row of the page's fifty only, and counts without a concern row at all; before, it read
-- a concern row for every overdue entry it passed (the filters live on the row) and counted over
-- the open-concern indexes of every in-progress concern of the province.
DROP TRIGGER `concern_pending_units_ins`;
--> statement-breakpoint
DROP TRIGGER `concern_pending_units_upd`;
--> statement-breakpoint
DROP TRIGGER `concern_pending_units_del`;
--> statement-breakpoint
DROP TABLE `concern_pending_units`;
--> statement-breakpoint
CREATE TABLE `concern_pending_units` (
	`unit_id` integer NOT NULL,
	`due_on` text NOT NULL,
	`concern_id` integer NOT NULL,
	`status` text NOT NULL,
	`raiser_group` text NOT NULL,
	`category_id` integer NOT NULL,
	`channel` text NOT NULL,
	PRIMARY KEY(`unit_id`, `due_on`, `concern_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `concern_pending_units_concern_idx` ON `concern_pending_units` (`concern_id`);
--> statement-breakpoint
INSERT OR IGNORE INTO `concern_pending_units` (`unit_id`, `due_on`, `concern_id`, `status`, `raiser_group`, `category_id`, `channel`)
  SELECT j.value, c.due_on, c.id, c.status, c.raiser_group, c.category_id, c.channel FROM concerns c, json_each('[' || replace(trim(c.raised_path, '/'), '/', ',') || ',' || replace(trim(c.responsible_path, '/'), '/', ',') || ']') j
  WHERE c.status IN ('received', 'in_progress') AND c.due_on IS NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `concern_pending_units_ins` AFTER INSERT ON `concerns` WHEN NEW.status IN ('received', 'in_progress') AND NEW.due_on IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO `concern_pending_units` (`unit_id`, `due_on`, `concern_id`, `status`, `raiser_group`, `category_id`, `channel`)
    SELECT j.value, NEW.due_on, NEW.id, NEW.status, NEW.raiser_group, NEW.category_id, NEW.channel FROM json_each('[' || replace(trim(NEW.raised_path, '/'), '/', ',') || ',' || replace(trim(NEW.responsible_path, '/'), '/', ',') || ']') j;
END;
--> statement-breakpoint
CREATE TRIGGER `concern_pending_units_upd` AFTER UPDATE ON `concerns`
  WHEN OLD.raised_path IS NOT NEW.raised_path OR OLD.responsible_path IS NOT NEW.responsible_path OR OLD.due_on IS NOT NEW.due_on
    OR (OLD.status IN ('received', 'in_progress') OR NEW.status IN ('received', 'in_progress')) AND (OLD.status IS NOT NEW.status
      OR OLD.raiser_group IS NOT NEW.raiser_group OR OLD.category_id IS NOT NEW.category_id OR OLD.channel IS NOT NEW.channel)
BEGIN
  DELETE FROM `concern_pending_units` WHERE `concern_id` = OLD.id;
  INSERT OR IGNORE INTO `concern_pending_units` (`unit_id`, `due_on`, `concern_id`, `status`, `raiser_group`, `category_id`, `channel`)
    SELECT j.value, NEW.due_on, NEW.id, NEW.status, NEW.raiser_group, NEW.category_id, NEW.channel FROM json_each('[' || replace(trim(NEW.raised_path, '/'), '/', ',') || ',' || replace(trim(NEW.responsible_path, '/'), '/', ',') || ']') j
    WHERE NEW.status IN ('received', 'in_progress') AND NEW.due_on IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `concern_pending_units_del` AFTER DELETE ON `concerns`
BEGIN
  DELETE FROM `concern_pending_units` WHERE `concern_id` = OLD.id;
END;
