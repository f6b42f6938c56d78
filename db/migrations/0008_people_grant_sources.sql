DROP INDEX `people_open_id_role_uq`;--> statement-breakpoint
ALTER TABLE `people` ADD `source` text DEFAULT 'config' NOT NULL;--> statement-breakpoint
ALTER TABLE `people` ADD `agency_key` integer GENERATED ALWAYS AS (coalesce(agency_id, 0)) VIRTUAL;--> statement-breakpoint
CREATE UNIQUE INDEX `people_grant_uq` ON `people` (`open_id`,`role`,`agency_key`,`source`);--> statement-breakpoint
CREATE INDEX `people_open_id_idx` ON `people` (`open_id`);