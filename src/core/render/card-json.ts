/** A Lark card (JSON 2.0) as the renderers build it: plain data, opaque to everyone else. */
export type CardJson = Record<string, unknown>;
