ALTER TABLE `dialogues` ADD `withdrawn_at` integer;--> statement-breakpoint
ALTER TABLE `dialogues` ADD `withdrawn_by` integer REFERENCES accounts(id);--> statement-breakpoint
ALTER TABLE `dialogues` ADD `withdrawn_reason` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- A withdrawn dialogue session (recorded by mistake) stays in the table but counts as no session
-- held: the summary counters of migration 0005 (sessions, participants, Youth Union, field visits
-- per month; each unit's last session date) are recreated to leave out rows whose status is
-- 'withdrawn', and to move a row's contribution out (or back) when its status changes to or from
-- 'withdrawn'. Concerns need no change: their counters already count pending and overdue by the
-- statuses received / in progress, and 'raised' counts every concern, withdrawn or not.
-- No backfill: no session could be withdrawn before this migration.
DROP TRIGGER summary_dialogue_ins;
--> statement-breakpoint
DROP TRIGGER summary_dialogue_del;
--> statement-breakpoint
DROP TRIGGER summary_dialogue_upd;
--> statement-breakpoint
DROP TRIGGER summary_dialogue_last_ins;
--> statement-breakpoint
DROP TRIGGER summary_dialogue_last_upd;
--> statement-breakpoint
DROP TRIGGER summary_dialogue_last_del;
--> statement-breakpoint
CREATE TRIGGER summary_dialogue_ins AFTER INSERT ON dialogues
BEGIN
  INSERT INTO summary_month (unit_id, area, month, dialogues, participants, youth, field_visits)
  SELECT u, a, substr(held_on, 1, 7), SUM(1), SUM(1 * participants_total), SUM(1 * participants_youth), SUM(1 * (format = 'field'))
  FROM (SELECT c.held_on, c.participants_total, c.participants_youth, c.format, j.value AS u, '' AS a FROM (SELECT NEW.unit_id AS unit_id, NEW.unit_path AS unit_path, NEW.held_on AS held_on, NEW.participants_total AS participants_total, NEW.participants_youth AS participants_youth, NEW.format AS format) c, json_each(json('[' || replace(trim(c.unit_path, '/'), '/', ',') || ']')) j
    UNION ALL SELECT c.held_on, c.participants_total, c.participants_youth, c.format, j.value, f.a FROM (SELECT NEW.unit_id AS unit_id, NEW.unit_path AS unit_path, NEW.held_on AS held_on, NEW.participants_total AS participants_total, NEW.participants_youth AS participants_youth, NEW.format AS format) c JOIN units uu ON uu.id = c.unit_id, json_each(json('[' || replace(trim(c.unit_path, '/'), '/', ',') || ']')) j, (SELECT 'border' AS a UNION ALL SELECT 'island' UNION ALL SELECT 'ethnic') f WHERE ((f.a = 'border' AND uu.border) OR (f.a = 'island' AND uu.island) OR (f.a = 'ethnic' AND uu.ethnic))) WHERE NEW.status <> 'withdrawn' GROUP BY 1, 2, 3
  ON CONFLICT(unit_id, area, month) DO UPDATE SET dialogues = dialogues + excluded.dialogues, participants = participants + excluded.participants,
    youth = youth + excluded.youth, field_visits = field_visits + excluded.field_visits;
END;
--> statement-breakpoint
CREATE TRIGGER summary_dialogue_del AFTER DELETE ON dialogues
BEGIN
  INSERT INTO summary_month (unit_id, area, month, dialogues, participants, youth, field_visits)
  SELECT u, a, substr(held_on, 1, 7), SUM(-1), SUM(-1 * participants_total), SUM(-1 * participants_youth), SUM(-1 * (format = 'field'))
  FROM (SELECT c.held_on, c.participants_total, c.participants_youth, c.format, j.value AS u, '' AS a FROM (SELECT OLD.unit_id AS unit_id, OLD.unit_path AS unit_path, OLD.held_on AS held_on, OLD.participants_total AS participants_total, OLD.participants_youth AS participants_youth, OLD.format AS format) c, json_each(json('[' || replace(trim(c.unit_path, '/'), '/', ',') || ']')) j
    UNION ALL SELECT c.held_on, c.participants_total, c.participants_youth, c.format, j.value, f.a FROM (SELECT OLD.unit_id AS unit_id, OLD.unit_path AS unit_path, OLD.held_on AS held_on, OLD.participants_total AS participants_total, OLD.participants_youth AS participants_youth, OLD.format AS format) c JOIN units uu ON uu.id = c.unit_id, json_each(json('[' || replace(trim(c.unit_path, '/'), '/', ',') || ']')) j, (SELECT 'border' AS a UNION ALL SELECT 'island' UNION ALL SELECT 'ethnic') f WHERE ((f.a = 'border' AND uu.border) OR (f.a = 'island' AND uu.island) OR (f.a = 'ethnic' AND uu.ethnic))) WHERE OLD.status <> 'withdrawn' GROUP BY 1, 2, 3
  ON CONFLICT(unit_id, area, month) DO UPDATE SET dialogues = dialogues + excluded.dialogues, participants = participants + excluded.participants,
    youth = youth + excluded.youth, field_visits = field_visits + excluded.field_visits;
END;
--> statement-breakpoint
CREATE TRIGGER summary_dialogue_upd AFTER UPDATE ON dialogues WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.unit_path IS NOT NEW.unit_path OR OLD.held_on IS NOT NEW.held_on OR OLD.participants_total IS NOT NEW.participants_total OR OLD.participants_youth IS NOT NEW.participants_youth OR OLD.format IS NOT NEW.format OR (OLD.status = 'withdrawn') IS NOT (NEW.status = 'withdrawn')
BEGIN
  INSERT INTO summary_month (unit_id, area, month, dialogues, participants, youth, field_visits)
  SELECT u, a, substr(held_on, 1, 7), SUM(-1), SUM(-1 * participants_total), SUM(-1 * participants_youth), SUM(-1 * (format = 'field'))
  FROM (SELECT c.held_on, c.participants_total, c.participants_youth, c.format, j.value AS u, '' AS a FROM (SELECT OLD.unit_id AS unit_id, OLD.unit_path AS unit_path, OLD.held_on AS held_on, OLD.participants_total AS participants_total, OLD.participants_youth AS participants_youth, OLD.format AS format) c, json_each(json('[' || replace(trim(c.unit_path, '/'), '/', ',') || ']')) j
    UNION ALL SELECT c.held_on, c.participants_total, c.participants_youth, c.format, j.value, f.a FROM (SELECT OLD.unit_id AS unit_id, OLD.unit_path AS unit_path, OLD.held_on AS held_on, OLD.participants_total AS participants_total, OLD.participants_youth AS participants_youth, OLD.format AS format) c JOIN units uu ON uu.id = c.unit_id, json_each(json('[' || replace(trim(c.unit_path, '/'), '/', ',') || ']')) j, (SELECT 'border' AS a UNION ALL SELECT 'island' UNION ALL SELECT 'ethnic') f WHERE ((f.a = 'border' AND uu.border) OR (f.a = 'island' AND uu.island) OR (f.a = 'ethnic' AND uu.ethnic))) WHERE OLD.status <> 'withdrawn' GROUP BY 1, 2, 3
  ON CONFLICT(unit_id, area, month) DO UPDATE SET dialogues = dialogues + excluded.dialogues, participants = participants + excluded.participants,
    youth = youth + excluded.youth, field_visits = field_visits + excluded.field_visits;
  INSERT INTO summary_month (unit_id, area, month, dialogues, participants, youth, field_visits)
  SELECT u, a, substr(held_on, 1, 7), SUM(1), SUM(1 * participants_total), SUM(1 * participants_youth), SUM(1 * (format = 'field'))
  FROM (SELECT c.held_on, c.participants_total, c.participants_youth, c.format, j.value AS u, '' AS a FROM (SELECT NEW.unit_id AS unit_id, NEW.unit_path AS unit_path, NEW.held_on AS held_on, NEW.participants_total AS participants_total, NEW.participants_youth AS participants_youth, NEW.format AS format) c, json_each(json('[' || replace(trim(c.unit_path, '/'), '/', ',') || ']')) j
    UNION ALL SELECT c.held_on, c.participants_total, c.participants_youth, c.format, j.value, f.a FROM (SELECT NEW.unit_id AS unit_id, NEW.unit_path AS unit_path, NEW.held_on AS held_on, NEW.participants_total AS participants_total, NEW.participants_youth AS participants_youth, NEW.format AS format) c JOIN units uu ON uu.id = c.unit_id, json_each(json('[' || replace(trim(c.unit_path, '/'), '/', ',') || ']')) j, (SELECT 'border' AS a UNION ALL SELECT 'island' UNION ALL SELECT 'ethnic') f WHERE ((f.a = 'border' AND uu.border) OR (f.a = 'island' AND uu.island) OR (f.a = 'ethnic' AND uu.ethnic))) WHERE NEW.status <> 'withdrawn' GROUP BY 1, 2, 3
  ON CONFLICT(unit_id, area, month) DO UPDATE SET dialogues = dialogues + excluded.dialogues, participants = participants + excluded.participants,
    youth = youth + excluded.youth, field_visits = field_visits + excluded.field_visits;
END;
--> statement-breakpoint
CREATE TRIGGER summary_dialogue_last_ins AFTER INSERT ON dialogues
BEGIN
  INSERT INTO summary_unit_last (unit_id, last_held) SELECT j.value, NEW.held_on FROM json_each(json('[' || replace(trim(NEW.unit_path, '/'), '/', ',') || ']')) j WHERE NEW.status <> 'withdrawn'
  ON CONFLICT(unit_id) DO UPDATE SET last_held = MAX(last_held, excluded.last_held);
END;
--> statement-breakpoint
CREATE TRIGGER summary_dialogue_last_upd AFTER UPDATE ON dialogues WHEN OLD.held_on IS NOT NEW.held_on OR OLD.unit_path IS NOT NEW.unit_path OR (OLD.status = 'withdrawn') IS NOT (NEW.status = 'withdrawn')
BEGIN
  UPDATE summary_unit_last SET last_held = COALESCE((SELECT MAX(d.held_on) FROM units pu, dialogues d
    WHERE pu.id = summary_unit_last.unit_id AND d.unit_path >= pu.path AND d.unit_path < substr(pu.path, 1, length(pu.path) - 1) || '0' AND d.status <> 'withdrawn'), '')
  WHERE unit_id IN (SELECT j.value FROM json_each(json('[' || replace(trim(OLD.unit_path, '/'), '/', ',') || ']')) j) AND last_held = OLD.held_on;
  INSERT INTO summary_unit_last (unit_id, last_held) SELECT j.value, NEW.held_on FROM json_each(json('[' || replace(trim(NEW.unit_path, '/'), '/', ',') || ']')) j WHERE NEW.status <> 'withdrawn'
  ON CONFLICT(unit_id) DO UPDATE SET last_held = MAX(last_held, excluded.last_held);
END;
--> statement-breakpoint
CREATE TRIGGER summary_dialogue_last_del AFTER DELETE ON dialogues
BEGIN
  UPDATE summary_unit_last SET last_held = COALESCE((SELECT MAX(d.held_on) FROM units pu, dialogues d
    WHERE pu.id = summary_unit_last.unit_id AND d.unit_path >= pu.path AND d.unit_path < substr(pu.path, 1, length(pu.path) - 1) || '0' AND d.status <> 'withdrawn'), '')
  WHERE unit_id IN (SELECT j.value FROM json_each(json('[' || replace(trim(OLD.unit_path, '/'), '/', ',') || ']')) j) AND last_held = OLD.held_on;
END;
