-- Custom SQL migration file, put your code below! ---- A Lark group serves one agency or one special role, never both: the unique indexes keep each
-- table to one row per chat, these triggers keep the two tables apart.
CREATE TRIGGER `agencies_chat_not_special_insert` BEFORE INSERT ON `agencies`
WHEN NEW.`chat_id` IS NOT NULL AND EXISTS (SELECT 1 FROM `special_chats` WHERE `chat_id` = NEW.`chat_id`)
BEGIN SELECT RAISE(ABORT, 'chat is already bound to a special role'); END;
--> statement-breakpoint
CREATE TRIGGER `agencies_chat_not_special_update` BEFORE UPDATE OF `chat_id` ON `agencies`
WHEN NEW.`chat_id` IS NOT NULL AND EXISTS (SELECT 1 FROM `special_chats` WHERE `chat_id` = NEW.`chat_id`)
BEGIN SELECT RAISE(ABORT, 'chat is already bound to a special role'); END;
--> statement-breakpoint
CREATE TRIGGER `special_chats_chat_not_agency_insert` BEFORE INSERT ON `special_chats`
WHEN EXISTS (SELECT 1 FROM `agencies` WHERE `chat_id` = NEW.`chat_id`)
BEGIN SELECT RAISE(ABORT, 'chat is already bound to an agency'); END;
--> statement-breakpoint
CREATE TRIGGER `special_chats_chat_not_agency_update` BEFORE UPDATE OF `chat_id` ON `special_chats`
WHEN EXISTS (SELECT 1 FROM `agencies` WHERE `chat_id` = NEW.`chat_id`)
BEGIN SELECT RAISE(ABORT, 'chat is already bound to an agency'); END;
