import type { MessageSet } from '../../i18n/index.js'

export const retentionMessages: MessageSet = {
  vi: {
    'retention.title': 'Thời hạn lưu giữ danh tính',
    'retention.intro': 'Khi bật, danh tính người nêu ý kiến của các kiến nghị đã kết thúc quá số năm quy định sẽ bị xóa hẳn (kiến nghị chuyển thành ẩn danh); nội dung kiến nghị vẫn được lưu để tra cứu. Việc này không thể hoàn tác.',
    'retention.enabled': 'Tự động ẩn danh hằng ngày',
    'retention.years': 'Số năm sau khi kết thúc',
    'retention.runNow': 'Chạy ngay',
    'retention.lastRun': 'Lần chạy gần nhất',
    'retention.never': 'Chưa chạy lần nào',
    'retention.lastCount': '{n} kiến nghị đã được ẩn danh',
    'retention.done': 'Đã chạy xong việc ẩn danh theo thời hạn lưu giữ.',
  },
  en: {
    'retention.title': 'Retention of raisers’ identities',
    'retention.intro': 'When on, the raiser’s identity is erased from concerns closed more than the set number of years ago (they become anonymous); the concerns themselves stay readable. This cannot be undone.',
    'retention.enabled': 'Anonymise automatically every day',
    'retention.years': 'Years after closing',
    'retention.runNow': 'Run now',
    'retention.lastRun': 'Last run',
    'retention.never': 'Never run',
    'retention.lastCount': '{n} concerns anonymised',
    'retention.done': 'The retention run has finished.',
  },
}
