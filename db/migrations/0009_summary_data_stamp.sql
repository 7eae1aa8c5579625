-- The summary's data counter: any change to the records the summary reads bumps it, whoever
-- writes, so a computed summary can be reused until then (server/features/summary/queries.ts).
INSERT INTO `summary_stamp` (`key`, `n`) VALUES ('data', 0);
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_concerns_ins` AFTER INSERT ON `concerns` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_concerns_upd` AFTER UPDATE ON `concerns` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_concerns_del` AFTER DELETE ON `concerns` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_concern_events_ins` AFTER INSERT ON `concern_events` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_concern_events_upd` AFTER UPDATE ON `concern_events` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_concern_events_del` AFTER DELETE ON `concern_events` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_dialogues_ins` AFTER INSERT ON `dialogues` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_dialogues_upd` AFTER UPDATE ON `dialogues` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_dialogues_del` AFTER DELETE ON `dialogues` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_reports_ins` AFTER INSERT ON `reports` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_reports_upd` AFTER UPDATE ON `reports` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_reports_del` AFTER DELETE ON `reports` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_report_requirements_ins` AFTER INSERT ON `report_requirements` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_report_requirements_upd` AFTER UPDATE ON `report_requirements` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_report_requirements_del` AFTER DELETE ON `report_requirements` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_categories_ins` AFTER INSERT ON `categories` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_categories_upd` AFTER UPDATE ON `categories` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_categories_del` AFTER DELETE ON `categories` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_units_ins` AFTER INSERT ON `units` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_units_upd` AFTER UPDATE ON `units` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_data_units_del` AFTER DELETE ON `units` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'data'; END;
