DROP INDEX `concerns_resp_path_idx`;--> statement-breakpoint
DROP INDEX `concerns_raised_path_idx`;--> statement-breakpoint
DROP INDEX `concerns_due_idx`;--> statement-breakpoint
DROP INDEX `concerns_category_idx`;--> statement-breakpoint
CREATE INDEX `concerns_resp_raised_path_idx` ON `concerns` (`responsible_path`,`raised_path`,`status`,`raised_on`,`category_id`,`raiser_group`,`channel`);--> statement-breakpoint
CREATE INDEX `concerns_open_raised_idx` ON `concerns` (`status`,`raised_path`,`due_on`,`raised_on`,`category_id`,`raiser_group`,`channel`,`responsible_path`) WHERE status NOT IN ('closed', 'withdrawn');--> statement-breakpoint
CREATE INDEX `concerns_open_resp_idx` ON `concerns` (`status`,`responsible_path`,`raised_path`,`due_on`,`raised_on`,`category_id`,`raiser_group`,`channel`) WHERE status NOT IN ('closed', 'withdrawn');--> statement-breakpoint
CREATE INDEX `concerns_pending_due_idx` ON `concerns` (`due_on`,`id`) WHERE status IN ('received', 'in_progress');--> statement-breakpoint
CREATE INDEX `concerns_raised_path_idx` ON `concerns` (`raised_path`,`status`,`raised_on`,`category_id`,`raiser_group`,`channel`);--> statement-breakpoint
CREATE INDEX `concerns_due_idx` ON `concerns` (`due_on`,`id`,`raised_path`,`responsible_path`);--> statement-breakpoint
CREATE INDEX `concerns_category_idx` ON `concerns` (`category_id`,`id`,`raised_path`,`responsible_path`);