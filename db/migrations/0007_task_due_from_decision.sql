ALTER TABLE `tasks` ADD `due_kind` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `due_every` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `due_written` text;