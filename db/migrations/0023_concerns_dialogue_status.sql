DROP INDEX `concerns_dialogue_idx`;--> statement-breakpoint
CREATE INDEX `concerns_dialogue_idx` ON `concerns` (`dialogue_id`,`status`);