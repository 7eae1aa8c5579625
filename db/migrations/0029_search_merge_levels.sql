-- Search at national scale (server/features/search/maintenance.ts): keep the full-text indexes in
-- few segments between the nightly 'optimize'. FTS5 adds a segment per write transaction and by
-- default merges a level only once it holds four (and then a little per 64 pages written), so a
-- day's writes leave a dozen or more small segments; a query reads every word's postings newest
-- first in each, and "nha o" in a province cost 0.70 ms of CPU over 19 segments, 0.48 over 3, 0.26
-- over 1. 'usermerge' 2 lets the 'merge' command (run every minute by the app) merge a level as soon
-- as it holds two segments; the first merge here is bounded by its page count (500 pages of 4 KB:
-- tens of milliseconds) and never touches the one big segment 'optimize' made, which sits alone on
-- its level.
INSERT INTO `concerns_fts` (`concerns_fts`, `rank`) VALUES ('usermerge', 2);
--> statement-breakpoint
INSERT INTO `dialogues_fts` (`dialogues_fts`, `rank`) VALUES ('usermerge', 2);
--> statement-breakpoint
INSERT INTO `concerns_fts` (`concerns_fts`, `rank`) VALUES ('merge', 500);
--> statement-breakpoint
INSERT INTO `dialogues_fts` (`dialogues_fts`, `rank`) VALUES ('merge', 500);
