CREATE TABLE `report_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`report_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`period` text NOT NULL,
	`version_no` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`kind` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_events_unit_period_idx` ON `report_events` (`unit_id`,`period`,`at`);--> statement-breakpoint
CREATE TABLE `report_requirements` (
	`unit_kind` text PRIMARY KEY NOT NULL,
	`period_kinds` text NOT NULL,
	`due_days` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY NOT NULL,
	`unit_id` integer NOT NULL,
	`unit_path` text NOT NULL,
	`period` text NOT NULL,
	`period_kind` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`due_date` text NOT NULL,
	`version_no` integer DEFAULT 1 NOT NULL,
	`is_current` integer DEFAULT true NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`classification` text,
	`cls_ideology` text,
	`cls_discipline` text,
	`cls_opinion` text,
	`rationale` text DEFAULT '' NOT NULL,
	`tone` text,
	`s_situation` text DEFAULT '' NOT NULL,
	`s_results` text DEFAULT '' NOT NULL,
	`s_opinion` text DEFAULT '' NOT NULL,
	`s_issues` text DEFAULT '' NOT NULL,
	`s_assessment` text DEFAULT '' NOT NULL,
	`s_tasks` text DEFAULT '' NOT NULL,
	`s_proposals` text DEFAULT '' NOT NULL,
	`stats_json` text,
	`stats_frozen_at` integer,
	`first_submitted_on` text,
	`submitted_at` integer,
	`submitted_by` integer,
	`reviewed_at` integer,
	`reviewed_by` integer,
	`review_comment` text DEFAULT '' NOT NULL,
	`override_classification` text,
	`override_reason` text DEFAULT '' NOT NULL,
	`override_by` integer,
	`override_at` integer,
	`created_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`override_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_unit_period_version_uq` ON `reports` (`unit_id`,`period`,`version_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `reports_current_uq` ON `reports` (`unit_id`,`period`) WHERE is_current = 1;--> statement-breakpoint
CREATE INDEX `reports_period_path_idx` ON `reports` (`period`,`unit_path`);--> statement-breakpoint
CREATE INDEX `reports_status_idx` ON `reports` (`status`,`period`);--> statement-breakpoint
CREATE TABLE `syntheses` (
	`id` integer PRIMARY KEY NOT NULL,
	`unit_id` integer NOT NULL,
	`period` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`s_situation` text DEFAULT '' NOT NULL,
	`s_results` text DEFAULT '' NOT NULL,
	`s_opinion` text DEFAULT '' NOT NULL,
	`s_issues` text DEFAULT '' NOT NULL,
	`s_assessment` text DEFAULT '' NOT NULL,
	`s_tasks` text DEFAULT '' NOT NULL,
	`s_proposals` text DEFAULT '' NOT NULL,
	`figures_json` text NOT NULL,
	`figures_at` integer NOT NULL,
	`doc_number` text DEFAULT '' NOT NULL,
	`doc_place` text DEFAULT 'Quảng Ninh' NOT NULL,
	`doc_date` text,
	`recipients` text DEFAULT '' NOT NULL,
	`sign_authority` text DEFAULT '' NOT NULL,
	`sign_title` text DEFAULT '' NOT NULL,
	`signer_name` text DEFAULT '' NOT NULL,
	`composed_by` integer,
	`approved_by` integer,
	`approved_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`composed_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `syntheses_unit_period_uq` ON `syntheses` (`unit_id`,`period`);