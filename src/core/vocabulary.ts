/** The groups that serve a role rather than an agency. */
export const SPECIAL_CHATS = ['coordinators', 'leaders'] as const;
export type SpecialChat = (typeof SPECIAL_CHATS)[number];

/** What a person may be to Duban. */
export const PERSON_ROLES = ['coordinator', 'leader', 'official'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];
