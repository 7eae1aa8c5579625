CREATE TABLE `unit_event_items` (
	`id` integer PRIMARY KEY NOT NULL,
	`event_id` integer NOT NULL,
	`entity` text NOT NULL,
	`entity_id` integer NOT NULL,
	`from_unit_id` integer,
	`to_unit_id` integer,
	FOREIGN KEY (`event_id`) REFERENCES `unit_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `unit_event_items_event_idx` ON `unit_event_items` (`event_id`,`entity`);--> statement-breakpoint
CREATE INDEX `unit_event_items_entity_idx` ON `unit_event_items` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `unit_event_links` (
	`id` integer PRIMARY KEY NOT NULL,
	`event_id` integer NOT NULL,
	`from_unit_id` integer,
	`to_unit_id` integer,
	`role` text NOT NULL,
	`inherits` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `unit_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `unit_event_links_from_idx` ON `unit_event_links` (`from_unit_id`);--> statement-breakpoint
CREATE INDEX `unit_event_links_to_idx` ON `unit_event_links` (`to_unit_id`);--> statement-breakpoint
CREATE INDEX `unit_event_links_event_idx` ON `unit_event_links` (`event_id`);--> statement-breakpoint
CREATE TABLE `unit_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`effective_date` text NOT NULL,
	`decision_no` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `unit_events_date_idx` ON `unit_events` (`effective_date`,`id`);--> statement-breakpoint
CREATE TABLE `unit_heirs` (
	`unit_id` integer PRIMARY KEY NOT NULL,
	`heir_id` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `unit_heirs_heir_idx` ON `unit_heirs` (`heir_id`);