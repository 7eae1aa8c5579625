DROP INDEX `concerns_resp_path_idx`;--> statement-breakpoint
CREATE INDEX `concerns_resp_raised_path_idx` ON `concerns` (`responsible_path`,`raised_path`);--> statement-breakpoint
CREATE INDEX `concerns_open_raised_idx` ON `concerns` (`raised_path`,`status`,`due_on`) WHERE status NOT IN ('closed', 'withdrawn');--> statement-breakpoint
CREATE INDEX `concerns_open_resp_idx` ON `concerns` (`responsible_path`,`raised_path`,`status`,`due_on`) WHERE status NOT IN ('closed', 'withdrawn');