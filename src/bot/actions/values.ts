import { z } from 'zod';

/**
 * Ids arrive as numbers from our own cards, as strings from some clients; nothing else is an id. A
 * string id is positive like a number one: "0" and "000" are not ids (found by the fuzzer).
 */
export const idValue = z.union([
  z.number().int().positive().max(2_147_483_647),
  z
    .string()
    .regex(/^0*[1-9]\d{0,8}$/)
    .transform(Number),
]);

/** What every prompt card button carries about its card: the cycle and when it was issued (epoch ms). */
export const cardOriginValue = {
  cycle: z.string().max(20).optional(),
  issued: z.number().int().nonnegative().max(8_640_000_000_000_000).optional(),
};
