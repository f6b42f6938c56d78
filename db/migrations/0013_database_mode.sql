CREATE TABLE `database_meta` (
	`id` integer PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`made_by` text NOT NULL,
	`made_at` text NOT NULL,
	`sandbox_encrypt_key` text,
	CONSTRAINT "database_meta_one_row" CHECK("database_meta"."id" = 1)
);
