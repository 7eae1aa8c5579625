-- Each session's concerns and how many are still open (not closed or withdrawn), as the session
-- list shows them: read with the page's 30 sessions, one row each, instead of two counts over
-- concerns_dialogue_idx per session (a third of the list's statement). A table of its own rather than
-- columns of dialogues: a write to a concern then runs none of the dialogues' own triggers, and the
-- list does not read past a session's minutes to reach them. Only sessions with concerns have a row.
-- Kept by triggers in the write's own transaction, whoever writes.
CREATE TABLE `dialogue_concern_counts` (
	`dialogue_id` integer PRIMARY KEY NOT NULL,
	`concerns` integer NOT NULL,
	`open` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `dialogue_concern_counts` (`dialogue_id`, `concerns`, `open`)
  SELECT dialogue_id, COUNT(*), SUM(status NOT IN ('closed', 'withdrawn')) FROM concerns INDEXED BY concerns_dialogue_idx
  WHERE dialogue_id IS NOT NULL GROUP BY dialogue_id;
--> statement-breakpoint
CREATE TRIGGER `dialogue_concern_counts_ins` AFTER INSERT ON `concerns` WHEN NEW.dialogue_id IS NOT NULL
BEGIN
  INSERT INTO `dialogue_concern_counts` (`dialogue_id`, `concerns`, `open`) VALUES (NEW.dialogue_id, 1, NEW.status NOT IN ('closed', 'withdrawn'))
    ON CONFLICT (`dialogue_id`) DO UPDATE SET `concerns` = `concerns` + 1, `open` = `open` + excluded.`open`;
END;
--> statement-breakpoint
CREATE TRIGGER `dialogue_concern_counts_upd` AFTER UPDATE OF `dialogue_id`, `status` ON `concerns`
  WHEN OLD.dialogue_id IS NOT NEW.dialogue_id OR (OLD.status NOT IN ('closed', 'withdrawn')) IS NOT (NEW.status NOT IN ('closed', 'withdrawn'))
BEGIN
  UPDATE `dialogue_concern_counts` SET `concerns` = `concerns` - 1, `open` = `open` - (OLD.status NOT IN ('closed', 'withdrawn')) WHERE `dialogue_id` = OLD.dialogue_id;
  INSERT INTO `dialogue_concern_counts` (`dialogue_id`, `concerns`, `open`) SELECT NEW.dialogue_id, 1, NEW.status NOT IN ('closed', 'withdrawn') WHERE NEW.dialogue_id IS NOT NULL
    ON CONFLICT (`dialogue_id`) DO UPDATE SET `concerns` = `concerns` + 1, `open` = `open` + excluded.`open`;
END;
--> statement-breakpoint
CREATE TRIGGER `dialogue_concern_counts_del` AFTER DELETE ON `concerns` WHEN OLD.dialogue_id IS NOT NULL
BEGIN
  UPDATE `dialogue_concern_counts` SET `concerns` = `concerns` - 1, `open` = `open` - (OLD.status NOT IN ('closed', 'withdrawn')) WHERE `dialogue_id` = OLD.dialogue_id;
END;
