import type { MessageSet } from '../../i18n/index.js'

export const adminMessages: MessageSet = {
  vi: {
    'admin.accounts': 'Tạo tài khoản, phân quyền, đặt lại mật khẩu, khóa và kết thúc phiên đăng nhập.',
    'admin.units': 'Cây đơn vị: tạo mới, đổi tên, chuyển đơn vị cấp trên, ngừng hoạt động.',
    'admin.reorg.title': 'Sắp xếp tổ chức bộ máy',
    'admin.reorg': 'Hợp nhất, chia tách, đổi tên, giải thể đơn vị theo quyết định, giữ nguyên lịch sử hồ sơ.',
    'admin.categories': 'Danh mục lĩnh vực kiến nghị.',
    'admin.calendar': 'Ngày nghỉ lễ và thời hạn giải quyết kiến nghị (ngày làm việc).',
    'admin.reportSettings': 'Các kỳ báo cáo mỗi loại đơn vị phải nộp và hạn nộp.',
    'admin.audit': 'Nhật ký mọi thay đổi, lượt đăng nhập, lượt xem danh tính và xuất dữ liệu.',
    'admin.backups': 'Sao lưu dữ liệu theo lịch và sao lưu ngay.',
    'admin.retention': 'Xóa danh tính người nêu ý kiến của kiến nghị đã kết thúc lâu năm.',
  },
  en: {
    'admin.accounts': 'Create accounts, set roles and scope, reset passwords, disable, end sessions.',
    'admin.units': 'The unit tree: create, rename, move, end units.',
    'admin.reorg.title': 'Reorganisations',
    'admin.reorg': 'Merge, split, rename and dissolve units by decision, keeping every record’s history.',
    'admin.categories': 'Concern categories.',
    'admin.calendar': 'Holidays and the working days allowed to resolve concerns.',
    'admin.reportSettings': 'Which reporting periods each kind of unit files, and when they are due.',
    'admin.audit': 'The log of every change, sign-in, view of a raiser’s identity and export.',
    'admin.backups': 'Scheduled backups and backing up now.',
    'admin.retention': 'Erase the raisers of concerns closed long ago.',
  },
}
