-- The unit paths copied onto concerns and dialogues (for the one-condition scope filter) follow
-- the unit tree: when a unit's path changes (moved in a reorganisation; moveUnit rewrites each
-- unit of the moved subtree, so this fires for every one of them), every record made under that
-- unit gets its new path. A path names exactly one unit, so an exact match is enough, and it
-- uses the path indexes.
CREATE TRIGGER `units_path_follow_concerns_dialogues` AFTER UPDATE OF `path` ON `units`
WHEN NEW.`path` <> OLD.`path` AND OLD.`path` <> ''
BEGIN
  UPDATE `concerns` SET `raised_path` = NEW.`path` WHERE `raised_path` = OLD.`path`;
  UPDATE `concerns` SET `responsible_path` = NEW.`path` WHERE `responsible_path` = OLD.`path`;
  UPDATE `dialogues` SET `unit_path` = NEW.`path` WHERE `unit_path` = OLD.`path`;
END;
