ALTER TABLE `inbound_events` ADD `payload` text;--> statement-breakpoint
ALTER TABLE `inbound_events` ADD `processed` integer DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX `inbound_events_unprocessed_idx` ON `inbound_events` (`id`) WHERE processed = 0;