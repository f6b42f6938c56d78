import { defineConfig } from 'drizzle-kit';

// Generates SQL migrations from the schema folder; every feature adds its own file there.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema',
  out: './db/migrations',
});
