-- The reports' change counter: any change to a report or to the filing settings bumps it, whoever
-- writes, so the reports list's rows (server/features/reports/routes.ts) and the home page's review
-- queue can be reused until then. Narrower than 'data' (which concerns and dialogues bump all day):
-- reports change a few times per unit per quarter.
INSERT INTO `summary_stamp` (`key`, `n`) VALUES ('reports', 0);
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_reports_reports_ins` AFTER INSERT ON `reports` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_reports_reports_upd` AFTER UPDATE ON `reports` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_reports_reports_del` AFTER DELETE ON `reports` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_reports_requirements_ins` AFTER INSERT ON `report_requirements` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_reports_requirements_upd` AFTER UPDATE ON `report_requirements` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `summary_stamp_reports_requirements_del` AFTER DELETE ON `report_requirements` BEGIN UPDATE `summary_stamp` SET `n` = `n` + 1 WHERE `key` = 'reports'; END;
