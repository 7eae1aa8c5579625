CREATE TABLE `categories` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name_vi` text NOT NULL,
	`name_en` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_code_uq` ON `categories` (`code`);--> statement-breakpoint
CREATE TABLE `concern_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`concern_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`kind` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`from_unit_id` integer,
	`to_unit_id` integer,
	`note` text DEFAULT '' NOT NULL,
	`reply` text DEFAULT '' NOT NULL,
	`resolution` text,
	`satisfaction` text,
	`due_on` text,
	FOREIGN KEY (`concern_id`) REFERENCES `concerns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `concern_events_concern_idx` ON `concern_events` (`concern_id`,`at`);--> statement-breakpoint
CREATE TABLE `concerns` (
	`id` integer PRIMARY KEY NOT NULL,
	`dialogue_id` integer,
	`channel` text NOT NULL,
	`raised_unit_id` integer NOT NULL,
	`raised_path` text NOT NULL,
	`responsible_unit_id` integer NOT NULL,
	`responsible_path` text NOT NULL,
	`raiser_person_id` integer,
	`is_anonymous` integer DEFAULT false NOT NULL,
	`raiser_group` text NOT NULL,
	`category_id` integer NOT NULL,
	`summary` text NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`scope` text DEFAULT 'personal' NOT NULL,
	`level` text DEFAULT 'unit' NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`waiting_higher` integer DEFAULT false NOT NULL,
	`on_the_spot` integer DEFAULT false NOT NULL,
	`raised_on` text NOT NULL,
	`due_on` text,
	`reply` text DEFAULT '' NOT NULL,
	`resolution` text,
	`answered_at` integer,
	`satisfaction` text,
	`closed_at` integer,
	`reopened_count` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`dialogue_id`) REFERENCES `dialogues`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`raised_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`responsible_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`raiser_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `concerns_resp_status_due_idx` ON `concerns` (`responsible_unit_id`,`status`,`due_on`);--> statement-breakpoint
CREATE INDEX `concerns_resp_path_idx` ON `concerns` (`responsible_path`,`id`);--> statement-breakpoint
CREATE INDEX `concerns_raised_path_idx` ON `concerns` (`raised_path`,`id`);--> statement-breakpoint
CREATE INDEX `concerns_status_due_idx` ON `concerns` (`status`,`due_on`,`id`);--> statement-breakpoint
CREATE INDEX `concerns_due_idx` ON `concerns` (`due_on`,`id`);--> statement-breakpoint
CREATE INDEX `concerns_raised_on_idx` ON `concerns` (`raised_on`,`id`);--> statement-breakpoint
CREATE INDEX `concerns_category_idx` ON `concerns` (`category_id`,`id`);--> statement-breakpoint
CREATE INDEX `concerns_dialogue_idx` ON `concerns` (`dialogue_id`);--> statement-breakpoint
CREATE INDEX `concerns_raiser_idx` ON `concerns` (`raiser_person_id`);--> statement-breakpoint
CREATE TABLE `dialogue_participants` (
	`id` integer PRIMARY KEY NOT NULL,
	`dialogue_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`count` integer NOT NULL,
	FOREIGN KEY (`dialogue_id`) REFERENCES `dialogues`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dialogue_participants_uq` ON `dialogue_participants` (`dialogue_id`,`unit_id`);--> statement-breakpoint
CREATE TABLE `dialogues` (
	`id` integer PRIMARY KEY NOT NULL,
	`unit_id` integer NOT NULL,
	`unit_path` text NOT NULL,
	`held_on` text NOT NULL,
	`held_time` text DEFAULT '' NOT NULL,
	`place` text NOT NULL,
	`format` text NOT NULL,
	`level` text NOT NULL,
	`title` text NOT NULL,
	`host_person_id` integer,
	`host_title` text DEFAULT '' NOT NULL,
	`participants_total` integer DEFAULT 0 NOT NULL,
	`participants_youth` integer DEFAULT 0 NOT NULL,
	`topics` text DEFAULT '' NOT NULL,
	`minutes` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`finalized_at` integer,
	`created_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`host_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dialogues_unit_path_idx` ON `dialogues` (`unit_path`,`held_on`);--> statement-breakpoint
CREATE INDEX `dialogues_held_idx` ON `dialogues` (`held_on`,`id`);--> statement-breakpoint
CREATE INDEX `dialogues_unit_held_idx` ON `dialogues` (`unit_id`,`held_on`);--> statement-breakpoint
CREATE INDEX `dialogues_host_idx` ON `dialogues` (`host_person_id`);--> statement-breakpoint
CREATE TABLE `holidays` (
	`date` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
