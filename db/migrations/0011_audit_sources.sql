ALTER TABLE `audit_events` ADD `agency_id` integer;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `actor_name` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `message_id` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `event_id` text;