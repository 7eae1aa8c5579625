-- Full-text search over concerns and dialogue minutes (FTS5; drizzle cannot express it).
-- The indexed text is folded by the app (server/domain/text.ts fold(): no accents, đ→d, lower
-- case), so "dieu dong" finds "điều động". rowid = the concern's / dialogue's id. The app's write
-- functions keep these in step (server/features/search/index.ts). No raiser identity is indexed.
CREATE VIRTUAL TABLE `concerns_fts` USING fts5(`body`, tokenize = 'unicode61');
--> statement-breakpoint
CREATE VIRTUAL TABLE `dialogues_fts` USING fts5(`body`, tokenize = 'unicode61');
--> statement-breakpoint
-- Default concern categories (domain.md §2: sourced first, then inferred). The admin manages them at /admin/categories.
INSERT INTO `categories` (`code`, `name_vi`, `name_en`, `active`, `sort_order`, `created_at`, `updated_at`) VALUES
  ('reorg', 'Thủ tục sau sắp xếp tổ chức bộ máy', 'Post-reorganisation procedures', 1, 1, 0, 0),
  ('admin_mgmt', 'Quản lý hành chính, quản lý người nước ngoài', 'Administrative and foreigner management', 1, 2, 0, 0),
  ('logistics', 'Hậu cần, trang bị phương tiện', 'Logistics and equipment', 1, 3, 0, 0),
  ('personnel', 'Công tác cán bộ, bố trí, luân chuyển', 'Personnel, deployment and rotation', 1, 4, 0, 0),
  ('training', 'Đào tạo, huấn luyện', 'Training', 1, 5, 0, 0),
  ('living', 'Điều kiện sinh hoạt, làm việc', 'Living and working conditions', 1, 6, 0, 0),
  ('benefits', 'Chế độ, chính sách', 'Benefits and policies', 1, 7, 0, 0),
  ('rewards', 'Thi đua, khen thưởng', 'Commendations and rewards', 1, 8, 0, 0),
  ('youth_funds', 'Kinh phí hoạt động Đoàn', 'Youth Union funding', 1, 9, 0, 0),
  ('housing', 'Nhà ở công vụ', 'Official housing', 1, 10, 0, 0),
  ('pay', 'Thu nhập, phụ cấp', 'Income and allowances', 1, 11, 0, 0),
  ('promotion', 'Thăng cấp, nâng lương, bổ nhiệm', 'Promotion and appointment', 1, 12, 0, 0),
  ('far_from_home', 'Điều động công tác xa nhà', 'Posting far from home', 1, 13, 0, 0),
  ('family', 'Hoàn cảnh gia đình khó khăn', 'Family hardship', 1, 14, 0, 0),
  ('health', 'Sức khỏe, khám chữa bệnh', 'Health and medical care', 1, 15, 0, 0),
  ('discipline', 'Kỷ luật, khiếu nại', 'Discipline and complaints', 1, 16, 0, 0),
  ('workload', 'Khối lượng công việc', 'Workload', 1, 17, 0, 0),
  ('pressure', 'Áp lực tâm lý', 'Psychological pressure', 1, 18, 0, 0),
  ('premises', 'Trụ sở làm việc', 'Premises', 1, 19, 0, 0);
--> statement-breakpoint
-- Working days allowed to resolve a concern, by the level handling it and its priority (domain.md §3 [I]).
INSERT OR IGNORE INTO `settings` (`key`, `value`) VALUES
  ('concerns.dueDays', '{"unit":{"normal":15,"high":10,"urgent":5},"department":{"normal":30,"high":20,"urgent":10},"higher":{"normal":60,"high":45,"urgent":30}}');
