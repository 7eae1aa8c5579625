/**
 * Demo dialogue sessions and concerns: about two years up to `today`, deterministic (seeded).
 * Volumes follow domain.md §5 [I]: a few provincial sessions a year (including the Director's
 * dialogue with 700+ commune-police youth on 27 March 2025, and the border/island/ethnic communes
 * one of 24 October 2024), field visits to border and island communes, unit-level and Youth
 * Union sessions; about half the concerns answered on the spot, a third forwarded (housing,
 * equipment and pay to PH10, personnel to PX01, procedures to PC06, complaints to PX05), some
 * escalated, some overdue, some reopened. The demo accounts each get real work in their queue.
 * Rows are written directly (no audit entries: nobody did these things); the lifecycle runs
 * through the same state machine as the app, so every concern's history is a legal one.
 */
import { addDays, addWorkingDays, isWorkingDay } from '../../server/domain/calendar.js'
import { dueDate, levelOfUnit, transition, type ConcernAction, type ConcernState, type Level, type Priority } from '../../server/domain/concerns.js'
import { fold } from '../../server/domain/text.js'
import { loadDueDays } from '../../server/features/concerns/queries.js'
import { INDEX_CONCERN_SQL, INDEX_DIALOGUE_SQL } from '../../server/features/search/queries.js'
import { inTransaction, type Db } from '../../server/plugins/db.js'
import { Random } from './random.js'

// Public holidays [I]: solar dates are fixed; Tết and the Hùng Kings' day follow the lunar calendar
// and the government's yearly decision — check each year's announcement.
const HOLIDAYS: [string, string][] = [
  ['2024-01-01', 'Tết Dương lịch'], ['2024-02-08', 'Tết Nguyên đán'], ['2024-02-09', 'Tết Nguyên đán'], ['2024-02-12', 'Tết Nguyên đán'], ['2024-02-13', 'Tết Nguyên đán'], ['2024-02-14', 'Tết Nguyên đán'],
  ['2024-04-18', 'Giỗ Tổ Hùng Vương'], ['2024-04-29', 'Nghỉ bù'], ['2024-04-30', 'Ngày Giải phóng miền Nam'], ['2024-05-01', 'Ngày Quốc tế Lao động'], ['2024-09-02', 'Quốc khánh'], ['2024-09-03', 'Quốc khánh'],
  ['2025-01-01', 'Tết Dương lịch'], ['2025-01-27', 'Tết Nguyên đán'], ['2025-01-28', 'Tết Nguyên đán'], ['2025-01-29', 'Tết Nguyên đán'], ['2025-01-30', 'Tết Nguyên đán'], ['2025-01-31', 'Tết Nguyên đán'],
  ['2025-04-07', 'Giỗ Tổ Hùng Vương'], ['2025-04-30', 'Ngày Giải phóng miền Nam'], ['2025-05-01', 'Ngày Quốc tế Lao động'], ['2025-05-02', 'Nghỉ bù'], ['2025-09-01', 'Quốc khánh'], ['2025-09-02', 'Quốc khánh'],
  ['2026-01-01', 'Tết Dương lịch'], ['2026-02-16', 'Tết Nguyên đán'], ['2026-02-17', 'Tết Nguyên đán'], ['2026-02-18', 'Tết Nguyên đán'], ['2026-02-19', 'Tết Nguyên đán'], ['2026-02-20', 'Tết Nguyên đán'],
  ['2026-04-27', 'Giỗ Tổ Hùng Vương (nghỉ bù)'], ['2026-04-30', 'Ngày Giải phóng miền Nam'], ['2026-05-01', 'Ngày Quốc tế Lao động'], ['2026-09-01', 'Quốc khánh'], ['2026-09-02', 'Quốc khánh'],
  ['2027-01-01', 'Tết Dương lịch'], ['2027-02-05', 'Tết Nguyên đán'], ['2027-02-08', 'Tết Nguyên đán'], ['2027-02-09', 'Tết Nguyên đán'], ['2027-02-10', 'Tết Nguyên đán'], ['2027-02-11', 'Tết Nguyên đán'],
]

/** What officers raise, by category code: [summary, detail]. */
const TEXTS: Record<string, [string, string][]> = {
  reorg: [
    ['Đề nghị hướng dẫn thủ tục bàn giao hồ sơ sau khi sáp nhập xã', 'Sau sắp xếp, hồ sơ của hai xã cũ chưa được bàn giao đầy đủ, cán bộ lúng túng khi tra cứu.'],
    ['Chưa rõ chế độ đối với cán bộ dôi dư sau sắp xếp', 'Một số đồng chí băn khoăn về vị trí công tác và chế độ khi đơn vị sáp nhập.'],
  ],
  admin_mgmt: [
    ['Vướng mắc khi đăng ký cư trú cho người nước ngoài tại khu kinh tế cửa khẩu', 'Phần mềm quản lý cư trú chưa cập nhật địa bàn mới sau sắp xếp.'],
    ['Đề nghị hướng dẫn thống nhất mẫu biên bản xử phạt vi phạm hành chính', 'Các xã đang dùng nhiều mẫu khác nhau.'],
  ],
  logistics: [
    ['Xe ô tô công tác của Công an xã đã xuống cấp', 'Xe thường xuyên hỏng khi tuần tra đường biên, đề nghị trang bị xe bán tải.'],
    ['Thiếu máy tính phục vụ làm căn cước, định danh điện tử', 'Đơn vị chỉ có 2 máy tính cho 18 cán bộ.'],
    ['Đề nghị cấp bổ sung áo mưa, ủng cho tổ tuần tra ban đêm', ''],
  ],
  personnel: [
    ['Đề nghị xem xét điều chuyển cán bộ về gần gia đình', 'Cán bộ có con nhỏ, vợ công tác ở huyện khác.'],
    ['Đơn vị thiếu biên chế so với khối lượng công việc', 'Xã có diện tích lớn, nhiều thôn xa nhưng chỉ có 15 cán bộ.'],
  ],
  training: [
    ['Đề nghị tổ chức tập huấn nghiệp vụ điều tra ban đầu cho Công an xã', 'Sau khi tiếp nhận thêm nhiệm vụ, cán bộ trẻ còn lúng túng khi lập hồ sơ.'],
    ['Mong được cử đi học văn bằng hai ngành luật', ''],
  ],
  living: [
    ['Khu bếp tập thể của đơn vị xuống cấp', 'Mái dột, thiếu tủ lạnh bảo quản thực phẩm.'],
    ['Nước sinh hoạt tại trụ sở không bảo đảm vệ sinh', 'Đơn vị phải mua nước đóng bình.'],
  ],
  benefits: [
    ['Chưa được thanh toán chế độ làm thêm giờ dịp cao điểm', 'Dịp Tết và bầu cử cán bộ trực liên tục nhưng chưa được chi trả.'],
    ['Đề nghị làm rõ phụ cấp khu vực biên giới sau khi sáp nhập xã', 'Một số thôn cũ được hưởng phụ cấp, thôn mới sáp nhập thì chưa.'],
  ],
  rewards: [['Đề nghị khen thưởng kịp thời tổ công tác phá chuyên án ma túy', '']],
  youth_funds: [['Chi đoàn thiếu kinh phí tổ chức hoạt động thanh niên tình nguyện', 'Đề nghị hỗ trợ kinh phí cho chương trình "Tháng Thanh niên".']],
  housing: [
    ['Đề nghị bố trí nhà ở công vụ cho cán bộ điều động từ nơi khác đến', 'Cán bộ phải thuê trọ xa trụ sở, chi phí cao.'],
    ['Phòng ở tập thể của chiến sĩ nghĩa vụ chật, thiếu giường', ''],
  ],
  pay: [
    ['Thu nhập chưa tương xứng với cường độ công việc ở xã biên giới', ''],
    ['Đề nghị xem xét hỗ trợ tiền ăn cho cán bộ trực tại chốt', ''],
  ],
  promotion: [['Chậm xét thăng cấp bậc hàm do hồ sơ chuyển giữa các đơn vị', 'Hồ sơ bị thất lạc khi giải thể Công an huyện.']],
  far_from_home: [['Nguyện vọng được điều động về đơn vị gần nhà sau 5 năm công tác ở xã đảo', '']],
  family: [['Hoàn cảnh gia đình khó khăn, bố mẹ già yếu, đề nghị hỗ trợ', '']],
  health: [['Đề nghị tổ chức khám sức khỏe định kỳ tại chỗ cho cán bộ xã đảo', 'Đi khám tại tỉnh mất nhiều ngày vì phụ thuộc tàu.']],
  discipline: [['Đề nghị làm rõ việc xử lý kỷ luật chưa đúng quy trình', 'Cán bộ cho rằng chưa được giải trình trước khi xem xét.']],
  workload: [['Khối lượng công việc hành chính quá lớn, ảnh hưởng công tác cơ sở', 'Nhiều báo cáo trùng lặp cùng nội dung.']],
  pressure: [['Cán bộ trẻ chịu áp lực tâm lý khi trực tiếp xử lý vụ việc phức tạp', 'Đề nghị có hình thức tư vấn, hỗ trợ tâm lý.']],
  premises: [['Trụ sở Công an xã tạm mượn, chật chội', 'Đề nghị sớm đầu tư xây dựng trụ sở mới.']],
}

const REPLIES: Record<string, string> = {
  reorg: 'Phòng Cảnh sát quản lý hành chính đã ban hành văn bản hướng dẫn bàn giao hồ sơ, đồng thời cử cán bộ xuống hỗ trợ trực tiếp.',
  admin_mgmt: 'Đã phối hợp cập nhật danh mục địa bàn trên phần mềm và gửi hướng dẫn thống nhất mẫu biểu cho các xã.',
  logistics: 'Phòng Hậu cần đã đưa vào kế hoạch mua sắm quý tới và điều chuyển tạm thời trang thiết bị từ đơn vị khác.',
  personnel: 'Phòng Tổ chức cán bộ đã xem xét, đưa vào phương án bố trí cán bộ đợt tới.',
  training: 'Đơn vị đã phối hợp mở lớp tập huấn ngắn hạn và đăng ký cho cán bộ tham gia.',
  living: 'Đơn vị đã sửa chữa, bổ sung trang thiết bị sinh hoạt bằng nguồn kinh phí thường xuyên.',
  benefits: 'Đã rà soát và chi trả đầy đủ chế độ theo quy định; phần vượt thẩm quyền đã báo cáo cấp trên.',
  rewards: 'Hội đồng Thi đua – Khen thưởng đã xem xét, đề nghị khen thưởng theo thẩm quyền.',
  youth_funds: 'Đoàn Thanh niên Công an tỉnh hỗ trợ một phần kinh phí, đơn vị vận động thêm nguồn xã hội hóa.',
  housing: 'Phòng Hậu cần đã bố trí phòng ở tập thể tại khu nhà công vụ gần nhất, bàn giao trong tháng.',
  pay: 'Đã giải thích chế độ tiền lương, phụ cấp theo quy định hiện hành; đề xuất hỗ trợ thêm từ quỹ phúc lợi.',
  promotion: 'Phòng Tổ chức cán bộ đã khôi phục hồ sơ và đưa vào đợt xét thăng cấp gần nhất.',
  far_from_home: 'Đã ghi nhận nguyện vọng, xem xét trong đợt luân chuyển cán bộ tới.',
  family: 'Công đoàn và đơn vị đã thăm hỏi, hỗ trợ; đề nghị trợ cấp khó khăn theo quy định.',
  health: 'Phòng Hậu cần phối hợp bệnh xá tổ chức khám sức khỏe lưu động tại đơn vị.',
  discipline: 'Thanh tra Công an tỉnh đã xem xét lại quy trình, trả lời bằng văn bản cho cán bộ.',
  workload: 'Phòng Tham mưu đã rà soát, cắt giảm các báo cáo trùng lặp.',
  pressure: 'Đơn vị đã bố trí cán bộ có kinh nghiệm kèm cặp và phối hợp tổ chức buổi tư vấn tâm lý.',
  premises: 'Dự án trụ sở đã được đưa vào kế hoạch đầu tư công giai đoạn tới; trước mắt bố trí thêm phòng làm việc.',
}

const EXPLAINED = 'Đã giải thích để cán bộ hiểu: nội dung kiến nghị chưa có cơ sở pháp lý để giải quyết ngay; đơn vị sẽ tiếp tục theo dõi, đề xuất khi có chính sách mới.'
const PARTIAL = 'Đã giải quyết một phần trong thẩm quyền; phần còn lại đã báo cáo, chờ hướng dẫn của cấp trên.'

/** Where a commune's concern of this category is forwarded when it is beyond the commune. */
const FORWARD_TO: Record<string, string> = {
  housing: 'PH10', logistics: 'PH10', pay: 'PH10', living: 'PH10', premises: 'PH10', health: 'PH10', benefits: 'PH10',
  personnel: 'PX01', promotion: 'PX01', far_from_home: 'PX01', rewards: 'PX01',
  reorg: 'PC06', admin_mgmt: 'PC06',
  discipline: 'PX05',
  training: 'PX03', youth_funds: 'PX03', pressure: 'PX03', family: 'PX03', workload: 'PV01',
}

interface Unit {
  id: number
  code: string
  kind: string
  path: string
  parentId: number | null
  nameVi: string
  border: number
  island: number
  ethnic: number
}
interface Person {
  id: number
  unitId: number
  branch: string
  youth: string
}

export interface ConcernSeedResult {
  dialogues: number
  concerns: number
  events: number
}

export function seedDialoguesAndConcerns(db: Db, opts: { today: string; seed?: number }): ConcernSeedResult {
  const rng = new Random(opts.seed ?? 20250327)
  const today = opts.today
  const sqlite = db.$client
  const holidaySet = new Set(HOLIDAYS.map(([d]) => d))
  const dueDays = loadDueDays(db)
  const units = sqlite.prepare('SELECT id, code, kind, path, parent_id AS parentId, name_vi AS nameVi, border, island, ethnic FROM units WHERE valid_to IS NULL ORDER BY id').all() as Unit[]
  const byCode = new Map(units.map((u) => [u.code, u]))
  const byId = new Map(units.map((u) => [u.id, u]))
  const root = units.find((u) => u.parentId === null)!
  const people = sqlite.prepare("SELECT id, unit_id AS unitId, branch, youth_union AS youth FROM people WHERE status = 'serving' ORDER BY id").all() as Person[]
  const staffOf = new Map<number, Person[]>()
  for (const p of people) (staffOf.get(p.unitId) ?? staffOf.set(p.unitId, []).get(p.unitId)!).push(p)
  const headOf = (unitId: number) => staffOf.get(unitId)?.[0]
  const account = (username: string) => sqlite.prepare('SELECT id FROM accounts WHERE username = ?').pluck().get(username) as number | undefined
  const actors = { unit: account('unit'), dept: account('dept'), politics: account('politics'), leader: account('leader') }
  const categories = new Map((sqlite.prepare('SELECT code, id FROM categories').all() as { code: string; id: number }[]).map((c) => [c.code, c.id]))
  const communes = units.filter((u) => u.kind === 'commune' || u.kind === 'ward' || u.kind === 'special_zone')
  const departments = units.filter((u) => u.kind === 'department')
  const remote = communes.filter((u) => u.border || u.island)
  const binhLieu = byCode.get('CAX-BINHLIEU')
  // About two years, and at least from September 2024 so the named provincial sessions are in.
  const start = addDays(today, -760) < '2024-09-15' ? addDays(today, -760) : '2024-09-15'

  const insHoliday = sqlite.prepare('INSERT OR IGNORE INTO holidays (date, name, created_at) VALUES (?, ?, ?)')
  const insDialogue = sqlite.prepare(
    `INSERT INTO dialogues (unit_id, unit_path, held_on, held_time, place, format, level, title, host_person_id, host_title, host_search, participants_total, participants_youth,
       topics, minutes, status, finalized_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insPart = sqlite.prepare('INSERT OR IGNORE INTO dialogue_participants (dialogue_id, unit_id, count) VALUES (?, ?, ?)')
  const insDialogueFts = sqlite.prepare(INDEX_DIALOGUE_SQL)
  const insConcern = sqlite.prepare(
    `INSERT INTO concerns (dialogue_id, channel, raised_unit_id, raised_path, responsible_unit_id, responsible_path, raiser_person_id, is_anonymous, raiser_group, category_id,
       summary, detail, priority, scope, level, status, waiting_higher, on_the_spot, raised_on, due_on, reply, resolution, answered_at, satisfaction, closed_at, reopened_count,
       version, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insEvent = sqlite.prepare(
    `INSERT INTO concern_events (concern_id, at, actor_id, kind, from_status, to_status, from_unit_id, to_unit_id, note, reply, resolution, satisfaction, due_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insConcernFts = sqlite.prepare(INDEX_CONCERN_SQL)

  let nDialogues = 0
  let nConcerns = 0
  let nEvents = 0
  // Local time, as the app shows it.
  const ms = (iso: string, minutes: number) => new Date(iso + 'T07:30:00').getTime() + minutes * 60_000
  const workday = (iso: string) => {
    let d = iso
    while (!isWorkingDay(d, holidaySet)) d = addDays(d, 1)
    return d
  }

  interface SessionSpec {
    unit: Unit
    heldOn: string
    format: string
    level: string
    title: string
    place: string
    hostTitle: string
    hostPersonId: number | null
    total: number
    youth: number
    topics: string
    minutes: string
    participants: [Unit, number][]
    concerns: number
    raiserUnits: Unit[]
  }

  function session(s: SessionSpec): number {
    const finalized = s.heldOn < addDays(today, -10) || rng.chance(0.3)
    const at = ms(s.heldOn, 600)
    const id = Number(
      insDialogue.run(s.unit.id, s.unit.path, s.heldOn, rng.pick(['07:30', '08:00', '08:30', '14:00']), s.place, s.format, s.level, s.title, s.hostPersonId, s.hostTitle,
        fold(s.hostTitle), s.total, s.youth, s.topics, s.minutes, finalized ? 'finalized' : 'draft', finalized ? at + 86_400_000 : null, actors.politics ?? null, at, at).lastInsertRowid,
    )
    for (const [u, n] of s.participants) insPart.run(id, u.id, n)
    insDialogueFts.run({ id, body: fold([s.title, s.place, s.topics, s.minutes].join('\n')) })
    nDialogues++
    for (let i = 0; i < s.concerns; i++) concern({ dialogueId: id, channel: 'dialogue', raisedOn: s.heldOn, raisedUnit: rng.pick(s.raiserUnits), youthSession: s.level === 'youth' || s.youth > s.total / 2 })
    return id
  }

  function pickCategory(unit: Unit): string {
    const remoteUnit = unit.border || unit.island
    return rng.weighted<string>([
      ['housing', remoteUnit ? 10 : 6], ['logistics', remoteUnit ? 10 : 6], ['pay', 6], ['benefits', 7], ['living', remoteUnit ? 8 : 4], ['reorg', 7], ['admin_mgmt', 5],
      ['personnel', 5], ['training', 7], ['far_from_home', remoteUnit ? 5 : 2], ['promotion', 3], ['rewards', 2], ['youth_funds', 2], ['family', 2], ['health', remoteUnit ? 4 : 2],
      ['discipline', 1], ['workload', 4], ['pressure', 2], ['premises', 3],
    ])
  }

  interface ConcernSpec {
    dialogueId: number | null
    channel: string
    raisedOn: string
    raisedUnit: Unit
    youthSession?: boolean
    category?: string
    /** Force a path through the lifecycle (used for the demo accounts' queues). */
    plan?: 'received' | 'in_progress' | 'answered' | 'forwarded_open' | 'spot_closed'
    summary?: string
  }

  function concern(c: ConcernSpec): void {
    const unit = c.raisedUnit
    const staff = staffOf.get(unit.id) ?? []
    const person = staff.length ? rng.pick(staff) : undefined
    const anonymous = !person || rng.chance(0.1)
    const category = c.category ?? pickCategory(unit)
    const [summary, detail] = c.summary ? [c.summary, ''] : rng.pick(TEXTS[category] ?? TEXTS.living!)
    const group = rng.chance(0.03) ? 'family' : person?.branch === 'conscript' ? 'soldier' : (c.youthSession || rng.chance(0.3)) && person?.youth !== 'none' ? 'youth' : 'officer'
    const priority: Priority = rng.weighted<Priority>([['normal', 75], ['high', 20], ['urgent', 5]])
    const scope = rng.weighted<string>([['personal', 50], ['unit', 38], ['force', 12]])
    const raisedOn = workday(c.raisedOn)
    const level: Level = 'unit'
    const due = (from: string, l: Level) => dueDate(from, l, priority, dueDays, holidaySet)
    let state: ConcernState = { status: 'received', responsibleUnitId: unit.id, level, waitingHigher: false, reopenedCount: 0, reply: '', resolution: null, satisfaction: null, dueOn: due(raisedOn, level) }
    const events: { at: number; actor: number | null; e: ReturnType<typeof transition> & { ok: true } }[] = []
    let clock = raisedOn
    const baseMinute = 30 + (nConcerns % 300)
    let minute = baseMinute
    const head = actors.politics ?? null
    const actorFor = (unitId: number) => (binhLieu && unitId === binhLieu.id ? actors.unit : byCode.get('PH10')?.id === unitId ? actors.dept : head) ?? null
    const step = (action: ConcernAction, afterDays: number, actor: number | null): boolean => {
      const when = afterDays === 0 ? clock : addWorkingDays(clock, afterDays, holidaySet)
      if (when > today) return false
      const r = transition(state, action, { dueFor: (l) => due(when, l) })
      if (!r.ok) throw new Error(`demo seed produced an illegal step: ${r.error}`)
      clock = when
      minute += afterDays === 0 ? 5 : 0
      events.push({ at: ms(when, minute), actor, e: r })
      state = r.state
      return true
    }
    const parentOf = (unitId: number) => {
      const u = byId.get(unitId)!
      const p = u.parentId === null ? undefined : byId.get(u.parentId)
      return { parentUnitId: p?.id ?? null, parentLevel: p ? levelOfUnit(p.kind) : ('department' as Level) }
    }
    const answer = (afterDays: number, actor: number | null) => {
      const resolution = rng.weighted<string>([['resolved', 60], ['explained', 25], ['partial', 15]])
      const reply = resolution === 'resolved' ? REPLIES[category]! : resolution === 'explained' ? EXPLAINED : PARTIAL
      return step({ kind: 'answer', reply, resolution }, afterDays, actor)
    }
    const satisfaction = (afterDays: number, actor: number | null, reopenChance: number) => {
      const s = rng.chance(reopenChance) ? 'not_satisfied' : rng.weighted<string>([['satisfied', 78], ['partly', 22]])
      return step({ kind: 'close', satisfaction: s, ...parentOf(state.responsibleUnitId), note: s === 'not_satisfied' ? 'Người nêu đề nghị cấp trên xem xét lại.' : '' }, afterDays, actor)
    }
    const forwardTarget = FORWARD_TO[category] ? byCode.get(FORWARD_TO[category]!) : undefined
    const onSpot = c.plan === 'spot_closed' || (!c.plan && c.dialogueId !== null && rng.chance(0.5))
    const plan = c.plan ?? (onSpot ? 'spot' : rng.weighted<string>([['forward', 55], ['escalate', 20], ['unit', 25]]))
    const lateness = () => (rng.chance(0.18) ? rng.int(18, 40) : rng.int(2, 12))

    if (plan === 'spot' || plan === 'spot_closed') {
      answer(0, head)
      if (plan === 'spot_closed' || rng.chance(0.85)) satisfaction(0, head, 0)
      else satisfaction(rng.int(2, 8), head, 0.25) && state.status !== 'closed' && answer(lateness(), head) && satisfaction(rng.int(1, 6), head, 0)
    } else if (plan === 'received') {
      // stays received
    } else if (plan === 'in_progress') {
      step({ kind: 'start' }, 1, actorFor(unit.id))
    } else if (plan === 'answered') {
      step({ kind: 'start' }, 1, actorFor(unit.id)) && answer(2, actorFor(unit.id))
    } else if ((plan === 'forward' || plan === 'forwarded_open') && forwardTarget && forwardTarget.id !== unit.id) {
      const ok = step({ kind: 'forward', toUnitId: forwardTarget.id, toLevel: levelOfUnit(forwardTarget.kind), note: `Nội dung thuộc thẩm quyền ${forwardTarget.nameVi}, đề nghị xem xét, giải quyết.` }, rng.int(1, 3), head)
      if (ok && plan === 'forward') {
        answer(lateness() + 8, actorFor(forwardTarget.id)) && satisfaction(rng.int(1, 8), actorFor(unit.id), 0.12) && state.status !== 'closed' && answer(lateness(), head) && satisfaction(rng.int(2, 8), head, 0)
      }
    } else if (plan === 'escalate') {
      step({ kind: 'start' }, rng.int(1, 3), actorFor(unit.id))
      step({ kind: 'escalate', note: rng.pick(['Báo cáo Bộ Công an (Cục Công tác đảng và công tác chính trị) xin ý kiến.', 'Báo cáo Ủy ban nhân dân tỉnh xem xét hỗ trợ.']) }, rng.int(2, 6), actors.leader ?? head)
      // Most escalations come back within a few months; recent ones still wait.
      if (raisedOn < addDays(today, -120) || rng.chance(0.5)) answer(rng.int(25, 60), head) && satisfaction(rng.int(2, 10), head, 0.1) && state.status !== 'closed' && answer(lateness(), head) && satisfaction(rng.int(2, 8), head, 0)
    } else {
      step({ kind: 'start' }, rng.int(0, 2), actorFor(unit.id))
      answer(lateness(), actorFor(unit.id)) && satisfaction(rng.int(1, 7), actorFor(unit.id), 0.1) && state.status !== 'closed' && answer(lateness(), head) && satisfaction(rng.int(2, 8), head, 0)
    }

    const responsible = byId.get(state.responsibleUnitId)!
    const createdAt = ms(raisedOn, baseMinute - 10)
    const last = events[events.length - 1]
    const answeredAt = [...events].reverse().find((e) => e.e.event.kind === 'answered')?.at ?? null
    const id = Number(
      insConcern.run(
        c.dialogueId, c.channel, unit.id, unit.path, responsible.id, responsible.path, anonymous ? null : person!.id, anonymous ? 1 : 0, group, categories.get(category)!,
        summary, detail, priority, scope, state.level, state.status, state.waitingHigher ? 1 : 0, onSpot ? 1 : 0, raisedOn, state.dueOn, state.reply, state.resolution,
        state.status === 'answered' || state.status === 'closed' ? answeredAt : null, state.satisfaction, state.status === 'closed' ? last!.at : null, state.reopenedCount,
        1 + events.length, actors.politics ?? null, createdAt, last?.at ?? createdAt,
      ).lastInsertRowid,
    )
    insEvent.run(id, createdAt, actors.politics ?? null, 'received', 'received', 'received', null, unit.id, '', '', null, null, due(raisedOn, level))
    for (const { at, actor, e } of events) {
      const ev = e.event
      insEvent.run(id, at, actor, ev.kind, ev.fromStatus, ev.toStatus, ev.fromUnitId, ev.toUnitId, ev.note, ev.reply, ev.resolution, ev.satisfaction, ev.dueOn)
    }
    insConcernFts.run({ id, body: fold([summary, detail, state.reply].join('\n')) })
    nConcerns++
    nEvents += events.length + 1
  }

  const minutesText = (topics: string, n: number) =>
    `Hội nghị khai mạc đúng giờ. Đồng chí chủ trì quán triệt mục đích, yêu cầu của buổi đối thoại: lắng nghe tâm tư, nguyện vọng, khó khăn, vướng mắc của cán bộ, chiến sĩ.\n` +
    `Nội dung trao đổi tập trung vào: ${topics.toLowerCase()}.\n` +
    `Có ${n} ý kiến phát biểu, kiến nghị; phần lớn được trả lời trực tiếp tại hội nghị, các nội dung vượt thẩm quyền được ghi nhận, chuyển đơn vị chức năng giải quyết theo quy định.\n` +
    `Kết luận: giao các đơn vị liên quan giải quyết dứt điểm kiến nghị trong thời hạn, báo cáo kết quả về Phòng Công tác Đảng và công tác chính trị.`

  inTransaction(db, () => {
    for (const [d, name] of HOLIDAYS) insHoliday.run(d, name, 0)
    // The provincial leaders host by title only (domain.md §5: no names for leaders).

    // The provincial sessions named in domain.md §1.
    const fixed: SessionSpec[] = [
      {
        unit: root, heldOn: '2024-09-28', format: 'hybrid', level: 'province', title: 'Đảng ủy, lãnh đạo Công an tỉnh đối thoại với đoàn viên thanh niên, hội viên phụ nữ và Công an cấp xã',
        place: 'Hội trường Công an tỉnh, kết nối trực tuyến đến các điểm cầu', hostTitle: 'Giám đốc Công an tỉnh', hostPersonId: null, total: 720, youth: 540,
        topics: 'Điều kiện làm việc của Công an cấp xã; chế độ chính sách; công tác Đoàn và phong trào thanh niên; bình đẳng giới', minutes: '', participants: communes.slice(0, 20).map((u) => [u, 18]),
        concerns: 24, raiserUnits: communes,
      },
      {
        unit: root, heldOn: '2024-10-24', format: 'in_person', level: 'province', title: 'Lãnh đạo Công an tỉnh đối thoại với Công an các xã biên giới, hải đảo, vùng đồng bào dân tộc thiểu số',
        place: 'Hội trường Công an tỉnh', hostTitle: 'Giám đốc Công an tỉnh', hostPersonId: null, total: 180, youth: 95,
        topics: 'Thực hiện Nghị quyết 12 về Công an xã; công tác cán bộ, luân chuyển; đào tạo; trang bị phương tiện; điều kiện sinh hoạt', minutes: '', participants: remote.map((u) => [u, 8]),
        concerns: 18, raiserUnits: remote,
      },
      {
        unit: root, heldOn: '2025-03-27', format: 'hybrid', level: 'province', title: 'Giám đốc Công an tỉnh đối thoại với thanh niên Công an cấp xã',
        place: 'Hội trường Công an tỉnh, kết nối trực tuyến đến Công an các xã, phường', hostTitle: 'Giám đốc Công an tỉnh', hostPersonId: null, total: 736, youth: 736,
        topics: 'Điều tra, giải quyết tin báo tố giác tội phạm; công tác hồ sơ; quản lý hành chính, quản lý người nước ngoài; hậu cần, trang bị', minutes: '', participants: communes.map((u) => [u, 13 + (u.id % 3)]),
        concerns: 30, raiserUnits: communes,
      },
    ]
    for (const s of fixed) if (s.heldOn >= start && s.heldOn <= today) session({ ...s, minutes: minutesText(s.topics, s.concerns + 6) })

    // Two years of other sessions, month by month.
    for (let month = start.slice(0, 7); month <= today.slice(0, 7); month = addDays(month + '-28', 5).slice(0, 7)) {
      const day = (d: number) => `${month}-${String(Math.min(d, 28)).padStart(2, '0')}`
      // A provincial session about every five months, besides the named ones.
      if (rng.chance(0.2)) {
        const held = day(rng.int(5, 25))
        if (held <= today) {
          const topics = rng.pick(['Công tác cán bộ sau sắp xếp bộ máy; chế độ chính sách', 'Điều kiện làm việc, sinh hoạt; trang bị phương tiện', 'Tâm tư cán bộ trẻ; đào tạo, bồi dưỡng'])
          session({ unit: root, heldOn: held, format: rng.pick(['hybrid', 'in_person']), level: 'province', title: 'Lãnh đạo Công an tỉnh đối thoại với cán bộ, chiến sĩ', place: 'Hội trường Công an tỉnh',
            hostTitle: 'Phó Giám đốc Công an tỉnh', hostPersonId: null, total: rng.int(150, 400), youth: rng.int(60, 140), topics, minutes: minutesText(topics, 20),
            participants: [], concerns: rng.int(10, 18), raiserUnits: [...communes, ...departments] })
        }
      }
      // Field visits to border and island communes.
      if (rng.chance(0.5) && remote.length) {
        const u = rng.pick(remote)
        const held = day(rng.int(3, 26))
        if (held <= today) {
          const topics = u.island ? 'Điều kiện đi lại, sinh hoạt ở xã đảo; khám chữa bệnh; chế độ phụ cấp' : 'Tuần tra biên giới; trang bị phương tiện; nhà ở công vụ; phụ cấp khu vực'
          session({ unit: u, heldOn: held, format: 'field', level: 'province', title: `Lãnh đạo Công an tỉnh thăm, làm việc và đối thoại với ${u.nameVi}`, place: `Trụ sở ${u.nameVi}`,
            hostTitle: 'Phó Giám đốc Công an tỉnh', hostPersonId: null, total: rng.int(15, 30), youth: rng.int(6, 14), topics, minutes: minutesText(topics, 8),
            participants: [[u, rng.int(15, 25)]], concerns: rng.int(4, 9), raiserUnits: [u] })
        }
      }
      // Youth Union sessions.
      if (rng.chance(0.9)) {
        const u = rng.pick([...departments, ...communes])
        const held = day(rng.int(4, 26))
        if (held <= today) {
          const topics = 'Phong trào thanh niên tình nguyện; kinh phí hoạt động Đoàn; tâm tư cán bộ trẻ'
          session({ unit: u, heldOn: held, format: 'in_person', level: 'youth', title: 'Đoàn Thanh niên đối thoại với đoàn viên thanh niên', place: `Hội trường ${u.nameVi}`,
            hostTitle: 'Bí thư Đoàn Thanh niên Công an tỉnh', hostPersonId: null, total: rng.int(20, 60), youth: rng.int(18, 55), topics, minutes: minutesText(topics, 8),
            participants: [], concerns: rng.int(2, 6), raiserUnits: [u] })
        }
      }
    }

    // Unit-level sessions: each unit every 3 to 6 months; a few units lapse (the "no dialogue in 6 months" flag).
    for (const u of [...departments, ...communes]) {
      const lapsed = u.id % 11 === 3
      for (let held = workday(addDays(start, rng.int(0, 120))); held <= today; held = workday(addDays(held, rng.int(100, 190)))) {
        if (lapsed && held > addDays(today, -200)) break
        const staff = staffOf.get(u.id)?.length ?? 20
        const topics = rng.pick(['Chế độ chính sách; điều kiện sinh hoạt', 'Công tác cán bộ; đào tạo, huấn luyện', 'Khối lượng công việc sau sắp xếp; trang bị phương tiện', 'Nhà ở công vụ; thu nhập; hoàn cảnh gia đình'])
        const head = headOf(u.id)
        session({ unit: u, heldOn: held, format: rng.weighted([['in_person', 85], ['online', 5], ['hybrid', 10]]), level: u.kind === 'department' ? 'department' : 'commune',
          title: `Đối thoại giữa lãnh đạo đơn vị với cán bộ, chiến sĩ tháng ${held.slice(5, 7)}/${held.slice(0, 4)}`, place: `Hội trường ${u.nameVi}`,
          hostTitle: u.kind === 'department' ? 'Trưởng phòng' : 'Trưởng Công an ' + (u.kind === 'ward' ? 'phường' : u.kind === 'special_zone' ? 'đặc khu' : 'xã'), hostPersonId: head?.id ?? null,
          total: Math.max(8, staff - rng.int(0, 4)), youth: Math.round(staff * 0.5), topics, minutes: minutesText(topics, 6), participants: [], concerns: rng.int(1, 5), raiserUnits: [u] })
      }
    }

    // Concerns from other channels: letters, the suggestion box, online forms, collaborators, surveys, briefings.
    for (let d = start; d <= today; d = addDays(d, rng.int(3, 7))) {
      const u = rng.pick([...communes, ...departments])
      concern({ dialogueId: null, channel: rng.weighted([['briefing', 30], ['letter', 20], ['box', 15], ['online', 15], ['collaborator', 10], ['survey', 10]]), raisedOn: d, raisedUnit: u })
    }

    // The demo accounts' queues: Bình Liêu's recent field visit and its open concerns; PH10's forwarded ones.
    if (binhLieu) {
      const visit = workday(addDays(today, -45))
      const topics = 'Tuần tra biên giới; nhà ở công vụ; trang bị phương tiện; phụ cấp khu vực biên giới'
      const id = session({ unit: binhLieu, heldOn: visit, format: 'field', level: 'province', title: 'Phó Giám đốc Công an tỉnh thăm, làm việc và đối thoại với Công an xã Bình Liêu',
        place: 'Trụ sở Công an xã Bình Liêu', hostTitle: 'Phó Giám đốc Công an tỉnh', hostPersonId: null, total: 24, youth: 13, topics, minutes: minutesText(topics, 9),
        participants: [[binhLieu, 24]], concerns: 0, raiserUnits: [binhLieu] })
      const plans: [ConcernSpec['plan'], string, string][] = [
        ['spot_closed', 'training', 'Đề nghị tập huấn sử dụng thiết bị ghi hình khi tuần tra biên giới'],
        ['spot_closed', 'living', 'Đề nghị lắp đặt bồn chứa nước sinh hoạt tại trụ sở'],
        ['received', 'benefits', 'Đề nghị làm rõ phụ cấp khu vực biên giới cho các thôn mới sáp nhập'],
        ['in_progress', 'workload', 'Đề nghị giảm bớt báo cáo định kỳ trùng lặp để tập trung tuần tra'],
        ['answered', 'admin_mgmt', 'Vướng mắc đăng ký tạm trú cho lao động người nước ngoài tại cửa khẩu Hoành Mô'],
        ['forwarded_open', 'housing', 'Đề nghị bố trí nhà công vụ cho 4 cán bộ điều động về xã'],
        ['forwarded_open', 'logistics', 'Xe bán tải tuần tra biên giới hỏng, đề nghị sửa chữa hoặc thay thế'],
      ]
      for (const [plan, category, summary] of plans) concern({ dialogueId: id, channel: 'dialogue', raisedOn: visit, raisedUnit: binhLieu, category, plan, summary })
      concern({ dialogueId: null, channel: 'letter', raisedOn: addDays(today, -4), raisedUnit: binhLieu, category: 'family', plan: 'received', summary: 'Đơn đề nghị hỗ trợ cán bộ có bố bị bệnh nặng' })
    }
    const ph10 = byCode.get('PH10')
    if (ph10) {
      for (const [i, u] of [rng.pick(remote), rng.pick(communes), rng.pick(communes), rng.pick(remote)].entries()) {
        concern({ dialogueId: null, channel: 'briefing', raisedOn: addDays(today, -10 - i * 12), raisedUnit: u, category: rng.pick(['housing', 'logistics', 'pay']), plan: 'forwarded_open' })
      }
    }
  })

  return { dialogues: nDialogues, concerns: nConcerns, events: nEvents }
}
