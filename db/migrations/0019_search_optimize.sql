-- Search at national scale (server/features/search/queries.ts): merge each full-text index into one
-- segment. FTS5 adds a segment per write transaction and merges them only four at a time per level,
-- so a million records sit in about thirty segments, and every word of a query is looked up and
-- its postings merged in each one: "nha o" in a province read 1.3 ms of index, 0.25 ms once merged.
-- New writes add small segments again (cheap to look up); re-running 'optimize' now and then (a
-- maintenance job) keeps it so.
INSERT INTO `concerns_fts` (`concerns_fts`) VALUES ('optimize');
--> statement-breakpoint
INSERT INTO `dialogues_fts` (`dialogues_fts`) VALUES ('optimize');
