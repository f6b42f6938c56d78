CREATE TABLE `agencies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`expands_to` text,
	`chat_id` text,
	`contact_open_id` text,
	`paused` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agencies_name_uq` ON `agencies` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `agencies_chat_id_uq` ON `agencies` (`chat_id`);--> statement-breakpoint
CREATE TABLE `agency_aliases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agency_id` integer NOT NULL,
	`alias` text NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agency_aliases_alias_uq` ON `agency_aliases` (`alias`);--> statement-breakpoint
CREATE TABLE `articles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer NOT NULL,
	`ordinal` integer NOT NULL,
	`label` text NOT NULL,
	`part_id` integer,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`clause` text,
	`no_clause` integer DEFAULT false NOT NULL,
	`removed_at` text,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`part_id`) REFERENCES `parts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `articles_document_ordinal_idx` ON `articles` (`document_id`,`ordinal`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`channel` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_entity_idx` ON `audit_events` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_events_at_idx` ON `audit_events` (`at`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`content_hash` text NOT NULL,
	`source_name` text NOT NULL,
	`imported_at` text NOT NULL,
	`revised_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_content_hash_uq` ON `documents` (`content_hash`);--> statement-breakpoint
CREATE INDEX `documents_title_idx` ON `documents` (`title`);--> statement-breakpoint
CREATE TABLE `inbound_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`kind` text NOT NULL,
	`message_id` text,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_events_event_id_uq` ON `inbound_events` (`event_id`);--> statement-breakpoint
CREATE TABLE `inbound_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`event_id` text NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_messages_message_id_uq` ON `inbound_messages` (`message_id`);--> statement-breakpoint
CREATE TABLE `indicators` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`ordinal` integer NOT NULL,
	`metric` text NOT NULL,
	`comparator` text NOT NULL,
	`value` real NOT NULL,
	`unit` text NOT NULL,
	`deadline_year` integer,
	`start_year` integer,
	`per_year` integer DEFAULT false NOT NULL,
	`source` text NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `indicators_article_ordinal_uq` ON `indicators` (`article_id`,`ordinal`);--> statement-breakpoint
CREATE TABLE `parts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer NOT NULL,
	`no` integer NOT NULL,
	`label` text NOT NULL,
	`title` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `parts_document_no_uq` ON `parts` (`document_id`,`no`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`open_id` text NOT NULL,
	`name` text,
	`role` text NOT NULL,
	`agency_id` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_open_id_role_uq` ON `people` (`open_id`,`role`);--> statement-breakpoint
CREATE TABLE `special_chats` (
	`role` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`bound_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `special_chats_chat_id_uq` ON `special_chats` (`chat_id`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`agency_id` integer,
	`assignee` text NOT NULL,
	`written_name` text NOT NULL,
	`role` text NOT NULL,
	`status` text DEFAULT 'not_started' NOT NULL,
	`percent` integer DEFAULT 0 NOT NULL,
	`blocked` integer DEFAULT false NOT NULL,
	`blocked_reason` text,
	`due_date` text,
	`last_report_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`removed_at` text,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_article_assignee_role_uq` ON `tasks` (`article_id`,`assignee`,`role`);--> statement-breakpoint
CREATE INDEX `tasks_agency_idx` ON `tasks` (`agency_id`);