CREATE TABLE `unit_headcounts` (
	`unit_id` integer PRIMARY KEY NOT NULL,
	`own` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
DROP INDEX `people_unit_name_idx`;--> statement-breakpoint
DROP INDEX `people_search_idx`;--> statement-breakpoint
CREATE INDEX `people_unit_status_name_idx` ON `people` (`unit_id`,`status`,`search_name`,`staff_no`);--> statement-breakpoint
CREATE INDEX `people_name_idx` ON `people` (`search_name`,`unit_id`,`status`,`staff_no`);--> statement-breakpoint
-- Triggers keep unit_headcounts (db/schema.ts) right whoever writes: a serving person counts in
-- `own` of their unit and in `total` of every unit on its materialised path (read with json_each,
-- as the summary triggers do). "WHERE true" before ON CONFLICT avoids the upsert parsing ambiguity.
CREATE TRIGGER unit_headcounts_people_ins AFTER INSERT ON people WHEN NEW.status = 'serving'
BEGIN
  INSERT INTO unit_headcounts (unit_id, own, total)
  SELECT j.value, j.value = NEW.unit_id, 1 FROM units u, json_each(json('[' || replace(trim(u.path, '/'), '/', ',') || ']')) j
  WHERE u.id = NEW.unit_id AND true
  ON CONFLICT(unit_id) DO UPDATE SET own = own + excluded.own, total = total + excluded.total;
END;
--> statement-breakpoint
CREATE TRIGGER unit_headcounts_people_del AFTER DELETE ON people WHEN OLD.status = 'serving'
BEGIN
  UPDATE unit_headcounts SET own = own - (unit_id = OLD.unit_id), total = total - 1
  WHERE unit_id IN (SELECT j.value FROM units u, json_each(json('[' || replace(trim(u.path, '/'), '/', ',') || ']')) j WHERE u.id = OLD.unit_id);
END;
--> statement-breakpoint
CREATE TRIGGER unit_headcounts_people_upd AFTER UPDATE OF unit_id, status ON people
WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.status IS NOT NEW.status
BEGIN
  UPDATE unit_headcounts SET own = own - (unit_id = OLD.unit_id), total = total - 1
  WHERE OLD.status = 'serving'
    AND unit_id IN (SELECT j.value FROM units u, json_each(json('[' || replace(trim(u.path, '/'), '/', ',') || ']')) j WHERE u.id = OLD.unit_id);
  INSERT INTO unit_headcounts (unit_id, own, total)
  SELECT j.value, j.value = NEW.unit_id, 1 FROM units u, json_each(json('[' || replace(trim(u.path, '/'), '/', ',') || ']')) j
  WHERE u.id = NEW.unit_id AND NEW.status = 'serving'
  ON CONFLICT(unit_id) DO UPDATE SET own = own + excluded.own, total = total + excluded.total;
END;
--> statement-breakpoint
-- A unit moved in the tree (every unit of a moved subtree gets its new path, one row at a time):
-- its own people leave the totals of its old ancestors and join those of its new ones.
CREATE TRIGGER unit_headcounts_units_path AFTER UPDATE OF path ON units
WHEN OLD.path IS NOT NEW.path AND (SELECT own FROM unit_headcounts WHERE unit_id = NEW.id) > 0
BEGIN
  UPDATE unit_headcounts SET total = total - (SELECT own FROM unit_headcounts WHERE unit_id = NEW.id)
  WHERE unit_id <> NEW.id AND unit_id IN (SELECT value FROM json_each(json('[' || replace(trim(OLD.path, '/'), '/', ',') || ']')));
  INSERT INTO unit_headcounts (unit_id, own, total)
  SELECT j.value, 0, (SELECT own FROM unit_headcounts WHERE unit_id = NEW.id) FROM json_each(json('[' || replace(trim(NEW.path, '/'), '/', ',') || ']')) j
  WHERE j.value <> NEW.id
  ON CONFLICT(unit_id) DO UPDATE SET total = total + excluded.total;
END;
--> statement-breakpoint
INSERT INTO unit_headcounts (unit_id, own, total)
SELECT j.value, SUM(p.unit_id = j.value), COUNT(*)
FROM people p JOIN units u ON u.id = p.unit_id, json_each(json('[' || replace(trim(u.path, '/'), '/', ',') || ']')) j
WHERE p.status = 'serving' GROUP BY j.value;
