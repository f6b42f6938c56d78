CREATE TABLE `digest_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` integer NOT NULL,
	`agency_id` integer NOT NULL,
	`cycle` text NOT NULL,
	`triggers` text NOT NULL,
	`added_at` text NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_items_task_cycle_uq` ON `digest_items` (`task_id`,`cycle`);--> statement-breakpoint
CREATE INDEX `digest_items_cycle_idx` ON `digest_items` (`cycle`);--> statement-breakpoint
CREATE TABLE `escalation_states` (
	`task_id` integer PRIMARY KEY NOT NULL,
	`agency_id` integer NOT NULL,
	`step` text NOT NULL,
	`reached_at` text NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `escalation_states_agency_idx` ON `escalation_states` (`agency_id`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`scheduled_for` text NOT NULL,
	`ran_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_runs_name_scheduled_for_uq` ON `job_runs` (`name`,`scheduled_for`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
