CREATE TABLE `evidence_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` integer NOT NULL,
	`kind` text NOT NULL,
	`file_key` text NOT NULL,
	`file_name` text DEFAULT '' NOT NULL,
	`message_id` text NOT NULL,
	`actor` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evidence_files_message_uq` ON `evidence_files` (`message_id`);--> statement-breakpoint
CREATE INDEX `evidence_files_task_idx` ON `evidence_files` (`task_id`,`at`);--> statement-breakpoint
CREATE INDEX `outbox_message_idx` ON `outbox` (`message_id`);