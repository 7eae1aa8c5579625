-- Concerns awaiting a reply (received, in progress) with a due date, once under every unit on their
-- raised or responsible path: the home page's overdue panel reads a scope's most overdue straight
-- from (unit, due date), a dozen rows, instead of every open concern of the scope's two path ranges
-- sorted (a province: over a thousand index entries on every view). Kept by triggers in the write's
-- own transaction, whoever writes; unit moves rewrite the concerns' paths (0007), which rewrites these.
CREATE TABLE `concern_pending_units` (
	`unit_id` integer NOT NULL,
	`due_on` text NOT NULL,
	`concern_id` integer NOT NULL,
	PRIMARY KEY(`unit_id`, `due_on`, `concern_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `concern_pending_units_concern_idx` ON `concern_pending_units` (`concern_id`);
--> statement-breakpoint
INSERT OR IGNORE INTO `concern_pending_units` (`unit_id`, `due_on`, `concern_id`)
  SELECT j.value, c.due_on, c.id FROM concerns c, json_each('[' || replace(trim(c.raised_path, '/'), '/', ',') || ',' || replace(trim(c.responsible_path, '/'), '/', ',') || ']') j
  WHERE c.status IN ('received', 'in_progress') AND c.due_on IS NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `concern_pending_units_ins` AFTER INSERT ON `concerns` WHEN NEW.status IN ('received', 'in_progress') AND NEW.due_on IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO `concern_pending_units` (`unit_id`, `due_on`, `concern_id`)
    SELECT j.value, NEW.due_on, NEW.id FROM json_each('[' || replace(trim(NEW.raised_path, '/'), '/', ',') || ',' || replace(trim(NEW.responsible_path, '/'), '/', ',') || ']') j;
END;
--> statement-breakpoint
CREATE TRIGGER `concern_pending_units_upd` AFTER UPDATE ON `concerns`
  WHEN OLD.raised_path IS NOT NEW.raised_path OR OLD.responsible_path IS NOT NEW.responsible_path OR OLD.due_on IS NOT NEW.due_on
    OR (OLD.status IN ('received', 'in_progress')) IS NOT (NEW.status IN ('received', 'in_progress'))
BEGIN
  DELETE FROM `concern_pending_units` WHERE `concern_id` = OLD.id;
  INSERT OR IGNORE INTO `concern_pending_units` (`unit_id`, `due_on`, `concern_id`)
    SELECT j.value, NEW.due_on, NEW.id FROM json_each('[' || replace(trim(NEW.raised_path, '/'), '/', ',') || ',' || replace(trim(NEW.responsible_path, '/'), '/', ',') || ']') j
    WHERE NEW.status IN ('received', 'in_progress') AND NEW.due_on IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `concern_pending_units_del` AFTER DELETE ON `concerns`
BEGIN
  DELETE FROM `concern_pending_units` WHERE `concern_id` = OLD.id;
END;
