// Stands in for zod in the bundle (wrangler.toml [alias]); nothing ever imports it at run time.
export {};
