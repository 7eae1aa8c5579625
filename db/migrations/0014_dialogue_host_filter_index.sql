DROP INDEX `dialogues_unit_path_idx`;--> statement-breakpoint
CREATE INDEX `dialogues_unit_path_idx` ON `dialogues` (`unit_path`,`held_on`,`status`,`format`,`level`,`host_search`);