CREATE TABLE `progress_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` integer NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`percent` integer NOT NULL,
	`blocked` integer DEFAULT false NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`evidence_url` text,
	`no_change` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `progress_updates_task_idx` ON `progress_updates` (`task_id`,`at`);