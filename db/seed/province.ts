/**
 * The demo province's structure: Quảng Ninh provincial police after 1 July 2025 — the provincial
 * command, its 26 departments (domain.md §5) with a few teams, and the 54 commune-level police.
 * Area flags (border, island, ethnic-minority) are inferred from geography, for demonstration.
 */
import type { UnitKind } from '../../server/domain/ranks.js'

export interface UnitSpec {
  code: string
  nameVi: string
  nameEn: string
  kind: UnitKind
  border?: boolean
  island?: boolean
  ethnic?: boolean
  /** Rough headcount of the unit itself (teams' people are counted in the team). */
  size: number
  teams?: { code: string; nameVi: string; nameEn: string; size: number }[]
}

export const PROVINCE = { code: 'CAT-QN', nameVi: 'Công an tỉnh Quảng Ninh', nameEn: 'Quảng Ninh Provincial Police' }

export const DEPARTMENTS: UnitSpec[] = [
  { code: 'PV01', nameVi: 'Phòng Tham mưu', nameEn: 'Staff Department', kind: 'department', size: 70 },
  { code: 'PX01', nameVi: 'Phòng Tổ chức cán bộ', nameEn: 'Personnel Department', kind: 'department', size: 45 },
  { code: 'PX03', nameVi: 'Phòng Công tác Đảng và công tác chính trị', nameEn: 'Party and Political Work Department', kind: 'department', size: 42,
    teams: [
      { code: 'PX03-D1', nameVi: 'Đội Tuyên truyền, văn hóa', nameEn: 'Propaganda and Culture Team', size: 9 },
      { code: 'PX03-D2', nameVi: 'Đội Chính sách, quần chúng', nameEn: 'Welfare and Mass Work Team', size: 8 },
    ] },
  { code: 'UBKT', nameVi: 'Cơ quan Ủy ban Kiểm tra Đảng ủy', nameEn: 'Office of the Party Inspection Committee', kind: 'department', size: 20 },
  { code: 'PX05', nameVi: 'Thanh tra Công an tỉnh', nameEn: 'Inspectorate', kind: 'department', size: 30 },
  { code: 'PH10', nameVi: 'Phòng Hậu cần', nameEn: 'Logistics Department', kind: 'department', size: 85,
    teams: [
      { code: 'PH10-D1', nameVi: 'Đội Doanh trại', nameEn: 'Barracks Team', size: 14 },
      { code: 'PH10-D2', nameVi: 'Đội Quân nhu, y tế', nameEn: 'Supplies and Medical Team', size: 16 },
    ] },
  { code: 'PV06', nameVi: 'Phòng Hồ sơ nghiệp vụ', nameEn: 'Operational Records Department', kind: 'department', size: 48 },
  { code: 'PA01', nameVi: 'Phòng An ninh đối ngoại', nameEn: 'External Security Department', kind: 'department', size: 60 },
  { code: 'PA02', nameVi: 'Phòng An ninh đối nội', nameEn: 'Internal Security Department', kind: 'department', size: 62 },
  { code: 'PA03', nameVi: 'Phòng An ninh chính trị nội bộ', nameEn: 'Internal Political Security Department', kind: 'department', size: 50 },
  { code: 'PA04', nameVi: 'Phòng An ninh kinh tế', nameEn: 'Economic Security Department', kind: 'department', size: 55 },
  { code: 'PA05', nameVi: 'Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao', nameEn: 'Cybersecurity and High-Tech Crime Department', kind: 'department', size: 58 },
  { code: 'PA06', nameVi: 'Phòng Kỹ thuật nghiệp vụ', nameEn: 'Operational Technology Department', kind: 'department', size: 44 },
  { code: 'PA08', nameVi: 'Phòng Quản lý xuất nhập cảnh', nameEn: 'Immigration Department', kind: 'department', size: 75 },
  { code: 'PA09', nameVi: 'Phòng An ninh điều tra', nameEn: 'Security Investigation Department', kind: 'department', size: 46 },
  { code: 'PC01', nameVi: 'Văn phòng Cơ quan Cảnh sát điều tra', nameEn: 'Office of the Police Investigation Agency', kind: 'department', size: 50 },
  { code: 'PC02', nameVi: 'Phòng Cảnh sát hình sự', nameEn: 'Criminal Police Department', kind: 'department', size: 110,
    teams: [
      { code: 'PC02-D1', nameVi: 'Đội Trọng án', nameEn: 'Serious Crimes Team', size: 18 },
      { code: 'PC02-D2', nameVi: 'Đội Đặc nhiệm', nameEn: 'Special Task Team', size: 20 },
    ] },
  { code: 'PC03', nameVi: 'Phòng Cảnh sát điều tra tội phạm về tham nhũng, kinh tế, buôn lậu, môi trường', nameEn: 'Corruption, Economic, Smuggling and Environmental Crime Department', kind: 'department', size: 90 },
  { code: 'PC04', nameVi: 'Phòng Cảnh sát điều tra tội phạm về ma túy', nameEn: 'Drug Crime Investigation Department', kind: 'department', size: 85 },
  { code: 'PC06', nameVi: 'Phòng Cảnh sát quản lý hành chính về trật tự xã hội', nameEn: 'Administrative Police for Social Order', kind: 'department', size: 120,
    teams: [
      { code: 'PC06-D1', nameVi: 'Đội Quản lý cư trú', nameEn: 'Residence Management Team', size: 22 },
      { code: 'PC06-D2', nameVi: 'Đội Cấp căn cước', nameEn: 'Identity Card Team', size: 25 },
    ] },
  { code: 'PC07', nameVi: 'Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ', nameEn: 'Fire Prevention, Firefighting and Rescue Police', kind: 'department', size: 190 },
  { code: 'PC08', nameVi: 'Phòng Cảnh sát giao thông', nameEn: 'Traffic Police Department', kind: 'department', size: 180,
    teams: [
      { code: 'PC08-D1', nameVi: 'Đội Tuần tra, kiểm soát đường bộ', nameEn: 'Road Patrol Team', size: 30 },
      { code: 'PC08-D2', nameVi: 'Đội Cảnh sát giao thông đường thủy', nameEn: 'Waterway Traffic Police Team', size: 24 },
    ] },
  { code: 'PC09', nameVi: 'Phòng Kỹ thuật hình sự', nameEn: 'Forensic Department', kind: 'department', size: 40 },
  { code: 'PC10', nameVi: 'Phòng Cảnh sát thi hành án hình sự và hỗ trợ tư pháp', nameEn: 'Criminal Judgment Enforcement and Judicial Support Police', kind: 'department', size: 70 },
  { code: 'PK02', nameVi: 'Phòng Cảnh sát cơ động', nameEn: 'Mobile Police Department', kind: 'department', size: 160 },
  { code: 'TTG', nameVi: 'Trại tạm giam Công an tỉnh', nameEn: 'Provincial Police Detention Centre', kind: 'department', size: 95 },
]

function ascii(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'D').replace(/\s+/g, '').toUpperCase()
}

type Flags = { border?: boolean; island?: boolean; ethnic?: boolean }
const communes: [string, Flags][] = [
  ['Quảng La', {}], ['Thống Nhất', {}], ['Hải Hòa', { border: true }], ['Tiên Yên', { ethnic: true }], ['Điền Xá', { ethnic: true }],
  ['Đông Ngũ', { ethnic: true }], ['Hải Lạng', {}], ['Lương Minh', { ethnic: true }], ['Kỳ Thượng', { ethnic: true }], ['Ba Chẽ', { ethnic: true }],
  ['Quảng Tân', { ethnic: true }], ['Đầm Hà', {}], ['Quảng Hà', {}], ['Đường Hoa', { border: true, ethnic: true }], ['Quảng Đức', { border: true, ethnic: true }],
  ['Hoành Mô', { border: true, ethnic: true }], ['Lục Hồn', { border: true, ethnic: true }], ['Bình Liêu', { border: true, ethnic: true }], ['Hải Sơn', { border: true, ethnic: true }],
  ['Hải Ninh', { border: true }], ['Vĩnh Thực', { border: true, island: true }], ['Cái Chiên', { island: true }],
]
const wards: [string, Flags][] = [
  ['An Sinh', {}], ['Đông Triều', {}], ['Bình Khê', {}], ['Mạo Khê', {}], ['Hoàng Quế', {}], ['Yên Tử', {}], ['Vàng Danh', {}], ['Uông Bí', {}],
  ['Đông Mai', {}], ['Hiệp Hòa', {}], ['Quảng Yên', {}], ['Hà An', {}], ['Phong Cốc', {}], ['Liên Hòa', {}], ['Tuần Châu', {}], ['Việt Hưng', {}],
  ['Bãi Cháy', {}], ['Hà Tu', {}], ['Hà Lầm', {}], ['Cao Xanh', {}], ['Hồng Gai', {}], ['Hạ Long', {}], ['Hoành Bồ', { ethnic: true }], ['Mông Dương', {}],
  ['Quang Hanh', {}], ['Cẩm Phả', {}], ['Cửa Ông', {}], ['Móng Cái 1', { border: true }], ['Móng Cái 2', { border: true }], ['Móng Cái 3', { border: true }],
]
const zones: [string, Flags][] = [['Vân Đồn', { island: true }], ['Cô Tô', { island: true }]]

export const COMMUNE_UNITS: UnitSpec[] = [
  ...communes.map(([n, f]): UnitSpec => ({ code: 'CAX-' + ascii(n), nameVi: 'Công an xã ' + n, nameEn: n + ' Commune Police', kind: 'commune', size: 0, ...f })),
  ...wards.map(([n, f]): UnitSpec => ({ code: 'CAP-' + ascii(n), nameVi: 'Công an phường ' + n, nameEn: n + ' Ward Police', kind: 'ward', size: 0, ...f })),
  ...zones.map(([n, f]): UnitSpec => ({ code: 'CADK-' + ascii(n), nameVi: 'Công an đặc khu ' + n, nameEn: n + ' Special Zone Police', kind: 'special_zone', size: 0, ...f })),
]

// Vietnamese name parts for synthetic people. No real person is meant.
export const FAMILY = ['Nguyễn', 'Nguyễn', 'Nguyễn', 'Trần', 'Trần', 'Lê', 'Lê', 'Phạm', 'Phạm', 'Hoàng', 'Vũ', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Đào', 'Lương', 'Phan', 'Trịnh', 'Mai', 'Tạ', 'Cao', 'Lục', 'Hà', 'Chu']
export const MIDDLE_M = ['Văn', 'Văn', 'Đức', 'Minh', 'Hữu', 'Quang', 'Thanh', 'Ngọc', 'Xuân', 'Tiến', 'Mạnh', 'Công', 'Trung', 'Hoàng', 'Việt', 'Đình', 'Quốc', 'Anh']
export const MIDDLE_F = ['Thị', 'Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Hồng', 'Phương', 'Kim', 'Mai', 'Thùy', 'Diệu']
export const GIVEN_M = ['An', 'Bình', 'Cường', 'Dũng', 'Duy', 'Đạt', 'Đông', 'Giang', 'Hải', 'Hiếu', 'Hoàng', 'Hùng', 'Huy', 'Khải', 'Khánh', 'Kiên', 'Lâm', 'Long', 'Lực', 'Mạnh', 'Minh', 'Nam', 'Nghĩa', 'Phong', 'Phúc', 'Quân', 'Quang', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Thịnh', 'Toàn', 'Trung', 'Tuấn', 'Tùng', 'Việt', 'Vinh', 'Vũ', 'Chiến', 'Đức', 'Hưng', 'Tiến', 'Trường']
export const GIVEN_F = ['Anh', 'Chi', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Huyền', 'Hương', 'Lan', 'Linh', 'Loan', 'Mai', 'Ngọc', 'Nhung', 'Oanh', 'Phương', 'Quỳnh', 'Thảo', 'Trang', 'Vân', 'Yến']
export const HOMETOWNS = ['Hạ Long, Quảng Ninh', 'Cẩm Phả, Quảng Ninh', 'Uông Bí, Quảng Ninh', 'Móng Cái, Quảng Ninh', 'Đông Triều, Quảng Ninh', 'Quảng Yên, Quảng Ninh', 'Tiên Yên, Quảng Ninh', 'Bình Liêu, Quảng Ninh', 'Vân Đồn, Quảng Ninh', 'Hải Phòng', 'Hải Dương', 'Thái Bình', 'Nam Định', 'Bắc Giang', 'Hưng Yên', 'Lạng Sơn', 'Thanh Hóa', 'Nghệ An', 'Hà Nội', 'Ninh Bình']
export const ETHNIC_MINORITIES = ['Tày', 'Dao', 'Sán Dìu', 'Sán Chỉ', 'Hoa', 'Nùng']
