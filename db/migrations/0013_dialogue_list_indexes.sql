DROP INDEX `dialogues_held_idx`;--> statement-breakpoint
DROP INDEX `dialogues_unit_path_idx`;--> statement-breakpoint
CREATE INDEX `dialogues_held_scope_idx` ON `dialogues` (`held_on`,`id`,`unit_path`,`format`,`level`,`status`);--> statement-breakpoint
CREATE INDEX `dialogues_unit_last_idx` ON `dialogues` (`unit_id`,`held_on`,`status`) WHERE status <> 'withdrawn';--> statement-breakpoint
CREATE INDEX `dialogues_unit_path_idx` ON `dialogues` (`unit_path`,`held_on`,`status`,`format`,`level`,`host_search`);