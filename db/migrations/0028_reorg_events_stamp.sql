-- The 'units' stamp (0008) also moves when a reorganisation event, its successor links or its items
-- are written, so what is derived from the unit tree together with its events (the structure
-- readings of server/features/reorg: which units' records count under a unit, as organised now or
-- on a date) can be kept until the next such write, as the unit caches are.
CREATE TRIGGER `summary_stamp_unit_events_ins` AFTER INSERT ON `unit_events` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_unit_events_upd` AFTER UPDATE ON `unit_events` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_unit_events_del` AFTER DELETE ON `unit_events` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_unit_event_links_ins` AFTER INSERT ON `unit_event_links` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_unit_event_links_upd` AFTER UPDATE ON `unit_event_links` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_unit_event_links_del` AFTER DELETE ON `unit_event_links` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_unit_event_items_ins` AFTER INSERT ON `unit_event_items` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_unit_event_items_upd` AFTER UPDATE ON `unit_event_items` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_unit_event_items_del` AFTER DELETE ON `unit_event_items` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'units'; END;
