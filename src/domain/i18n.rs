//! Every user-visible string in Chinese (zh-CN) and English, in one table. Pure Rust so that
//! tests can check that no message is missing or empty in either language.

use serde::{Deserialize, Serialize};

/// The display language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Zh,
    En,
}

impl Locale {
    /// Where the chosen language is kept (local storage, as JSON `"Zh"` / `"En"`); index.html's
    /// app shell reads it too.
    pub const STORAGE_KEY: &'static str = "dangan.locale";

    /// The locale for a browser language tag such as `zh-CN` or `en-US`: Chinese for any `zh`,
    /// English otherwise.
    pub fn from_tag(tag: &str) -> Locale {
        if tag.to_ascii_lowercase().starts_with("zh") {
            Locale::Zh
        } else {
            Locale::En
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Translates a message (looking up only this language's text: every label of every redraw
    /// comes through here).
    pub fn t(self, m: Msg) -> &'static str {
        self.texts().map_or("", |t| t.get(m))
    }

    /// This language's messages: built in, or (the desk's build) as installed from its file.
    #[cfg(not(feature = "catalogue"))]
    fn texts(self) -> Option<&'static Texts> {
        Some(match self {
            Locale::Zh => &ZH,
            Locale::En => &EN,
        })
    }

    #[cfg(feature = "catalogue")]
    fn texts(self) -> Option<&'static Texts> {
        INSTALLED[self as usize].get()
    }

    /// Whether this language's messages are there to show (always, but in the desk's build before
    /// its file is fetched: [`install`]).
    pub fn ready(self) -> bool {
        self.texts().is_some()
    }
}

/// The desk's build keeps its messages out of its wasm: each language is a file of its own
/// (written by the build from the custom section the texts are placed in, scripts/split.mjs), and
/// only the language shown is fetched: the first download is the smaller by the other language
/// and by this one's share of the wasm. [`install`] takes a fetched file.
#[cfg(feature = "catalogue")]
static INSTALLED: [std::sync::OnceLock<Texts>; 2] = [std::sync::OnceLock::new(), std::sync::OnceLock::new()];

/// Installs a language's messages from its file (the desk's build). A file that does not hold
/// exactly this build's messages is refused: the app and its texts come from one build.
#[cfg(feature = "catalogue")]
pub fn install(l: Locale, file: String) -> Result<(), CatalogueError> {
    let texts = Texts::parse(Box::leak(file.into_boxed_str()))?;
    let _ = INSTALLED[l as usize].set(texts);
    Ok(())
}

/// A message file that is not this build's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogueError {
    /// Messages the file holds.
    pub found: usize,
    /// Messages this build has.
    pub expected: usize,
}

impl std::fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the message file holds {} messages, the app {}", self.found, self.expected)
    }
}

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)+) => {
        /// A translatable message.
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key,)+ }
        impl Msg {
            /// Every message (for completeness tests).
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)+];
            /// `(Chinese, English)` texts (in the desk's build, those installed).
            pub fn texts(self) -> (&'static str, &'static str) {
                (Locale::Zh.t(self), Locale::En.t(self))
            }
            /// The message's name in the source (native builds: tests and their fixtures).
            #[cfg(not(target_arch = "wasm32"))]
            pub fn name(self) -> &'static str {
                match self { $(Msg::$key => stringify!($key),)+ }
            }
        }
        // Each language's messages as one string, every message followed by a NUL, and where each
        // begins: 2 bytes a message instead of a (pointer, length) pair, and one block of text for
        // the compressor. Built at compile time.
        #[cfg(not(feature = "catalogue"))]
        static ZH: Texts = Texts::new(concat!($($zh, "\0",)+));
        #[cfg(not(feature = "catalogue"))]
        static EN: Texts = Texts::new(concat!($($en, "\0",)+));
        // The desk's build: each language's string in a custom section of the linked wasm, which
        // is not loaded into memory; scripts/split.mjs writes it to a file and takes it out.
        #[cfg(feature = "catalogue")]
        const _: () = {
            const ZH_ALL: &str = concat!($($zh, "\0",)+);
            const EN_ALL: &str = concat!($($en, "\0",)+);
            #[link_section = "dangan.messages.zh"]
            #[used]
            static ZH_FILE: [u8; ZH_ALL.len()] = str_array(ZH_ALL);
            #[link_section = "dangan.messages.en"]
            #[used]
            static EN_FILE: [u8; EN_ALL.len()] = str_array(EN_ALL);
        };
    };
}

/// A message shows as its name natively (tests, their fixtures) and as its English text in the
/// app: a table of 1,200 names would otherwise ride in the desk's first download, pulled in by
/// any error holding a message that is formatted.
impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[cfg(not(target_arch = "wasm32"))]
        return f.write_str(self.name());
        #[cfg(target_arch = "wasm32")]
        return write!(f, "Msg({:?})", self.texts().1);
    }
}

/// A string's bytes as an array, at compile time (the desk's message sections).
#[cfg(feature = "catalogue")]
const fn str_array<const N: usize>(s: &str) -> [u8; N] {
    let b = s.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = b[i];
        i += 1;
    }
    out
}

/// One language's messages, what the desk's build writes to that language's file: every message
/// in order, each followed by a NUL.
#[cfg(not(feature = "catalogue"))]
pub fn catalogue(l: Locale) -> &'static str {
    match l {
        Locale::Zh => ZH.all,
        Locale::En => EN.all,
    }
}

/// One language's messages (see `messages!`).
struct Texts {
    all: &'static str,
    starts: [u16; Msg::ALL.len() + 1],
}

impl Texts {
    /// The messages of a language's file ([`catalogue`]).
    #[cfg_attr(not(feature = "catalogue"), allow(dead_code))]
    fn parse(all: &'static str) -> Result<Texts, CatalogueError> {
        let found = all.bytes().filter(|&b| b == 0).count();
        if found != Msg::ALL.len() || !all.ends_with('\0') || all.len() > u16::MAX as usize {
            return Err(CatalogueError { found, expected: Msg::ALL.len() });
        }
        let mut starts = [0u16; Msg::ALL.len() + 1];
        let ends = all.bytes().enumerate().filter(|&(_, b)| b == 0).map(|(i, _)| (i + 1) as u16);
        for (slot, end) in starts[1..].iter_mut().zip(ends) {
            *slot = end;
        }
        Ok(Texts { all, starts })
    }

    #[cfg_attr(feature = "catalogue", allow(dead_code))]
    const fn new(all: &'static str) -> Texts {
        let b = all.as_bytes();
        assert!(b.len() <= u16::MAX as usize, "one language's messages outgrew u16 offsets");
        let mut starts = [0u16; Msg::ALL.len() + 1];
        let (mut i, mut k) = (0, 1);
        while i < b.len() {
            if b[i] == 0 {
                assert!(k < starts.len(), "a message contains a NUL");
                starts[k] = (i + 1) as u16;
                k += 1;
            }
            i += 1;
        }
        assert!(k == starts.len(), "a message contains a NUL");
        Texts { all, starts }
    }

    fn get(&self, m: Msg) -> &'static str {
        let i = m as usize;
        let (from, to) = (self.starts[i] as usize, self.starts[i + 1] as usize - 1);
        self.all.get(from..to).unwrap_or_default()
    }
}

messages! {
    RoleUser => "普通用户", "Ordinary user";
    RoleDeptAdmin => "部门管理员", "Department administrator";
    RoleSuperAdmin => "超级管理员", "Super administrator";
    ErrStaffName => "请填写姓名", "Enter a name";
    ErrStaffNameLong => "姓名最多 40 个字，部门最多 20 个字", "A name has at most 40 characters, a department at most 20";
    ErrPinDigits => "PIN 只能是数字", "A PIN is digits only";
    ErrPinLength => "PIN 为 6 到 12 位数字", "A PIN has 6 to 12 digits";
    ErrPinWeak => "PIN 太容易猜到（如 000000、123456），请换一个", "That PIN is too easy to guess (like 000000 or 123456); choose another";
    ErrReason => "请写明理由（至少 4 个字）", "Give a reason (at least 4 characters)";
    ErrLastSuperAdmin => "档案至少要有一位在职的超级管理员", "The archive needs at least one active super administrator";
    ErrRoleNeedsPin => "在普通用户和管理员之间变更角色时，请本人输入新的 PIN（管理员的密钥随之更换）", "Moving between ordinary user and administrator needs a new PIN typed by them (the administrator's keys change with it)";
    ErrRecoveryCode => "恢复码不对，请核对后重输", "That recovery code is not right; check it and type it again";
    RecoverLink => "忘记 PIN？用恢复码", "Forgot the PIN? Use the recovery code";
    RecoverTitle => "用恢复码设置新 PIN", "A new PIN with the recovery code";
    RecoverCode => "恢复码", "Recovery code";
    RecoverGo => "设置新 PIN 并登录", "Set the new PIN and sign in";
    ErrRetentionYears => "保管年限为 1 到 30 年；有应收账款的客户结清后保管 10 到 30 年", "Records are kept 1 to 30 years; customers who had receivables 10 to 30 years after settlement";
    PolicyRetYears => "档案保管年限（最后往来后，年）", "Kept after the last activity (years)";
    PolicyRetDebtYears => "应收账款结清后保管年限（年）", "Kept after receivables are settled (years)";
    ErrIdleMinutes => "自动锁定时间为 1 到 120 分钟", "The idle lock is 1 to 120 minutes";
    ErrGrantHours => "批准有效期为 1 到 168 小时", "An approval lasts 1 to 168 hours";
    ErrDepartments => "请至少填写一个部门，每个最多 20 个字，不要重复", "Give at least one department, each at most 20 characters, none twice";
    PolicyTitle => "管理规则", "Rules";
    PolicyIdle => "无操作自动锁定（分钟）", "Lock after no use (minutes)";
    PolicyGrant => "查阅批准默认有效期（小时）", "Approvals last (hours)";
    PolicyDepts => "部门（用逗号分隔）", "Departments (comma separated)";
    PolicySaved => "管理规则已保存", "Rules saved";
    ErrPinMismatch => "两次输入的 PIN 不一致", "The two PINs differ";
    GovSetupTitle => "设置档案的超级管理员", "Set up the archive's super administrator";
    GovSetupHint => "超级管理员管理员工、角色和敏感信息的查阅审批。每位员工用自己的 PIN 登录；PIN 只保存为不可逆的哈希，不会以明文保存。", "The super administrator manages staff, roles and approvals to see sensitive data. Everyone signs in with their own PIN; a PIN is kept only as a one-way hash, never in clear.";
    GovSyncNote => "本设备已设置同步。如果档案已在其他设备上设置过，员工名单同步到达后会出现在这里，请勿重复设置。", "This device syncs. If the archive was set up on another device, its staff appear here once sync brings them; do not set it up twice.";
    GovJoinHint => "档案已在其他设备上设置？", "Was the archive set up on another device?";
    GovJoin => "设置同步，加入该档案", "Set up sync to join it";
    GovBackToSetup => "← 返回设置管理员", "← Back to the administrator's setup";
    EvOpen => "查看档案", "Opened a profile";
    EvReveal => "显示敏感信息", "Revealed a value";
    EvPrint => "打印", "Printed";
    EvExport => "导出", "Exported";
    EvImport => "导入", "Imported";
    EvBackup => "备份", "Backed up";
    EvRestore => "恢复备份", "Restored a backup";
    EvRequest => "查阅申请", "Asked to view";
    EvApprove => "批准", "Approved";
    EvRefuse => "拒绝", "Refused";
    EvSignIn => "登录", "Signed in";
    EvSignOut => "退出", "Signed out";
    EvPinWrong => "PIN 错误", "Wrong PIN";
    EvLockout => "锁定", "Locked out";
    EvStaffChange => "员工变更", "Staff changed";
    EvPolicyChange => "策略变更", "Policy changed";
    EvLogExport => "导出访问日志", "Exported the log";
    EvRefused => "拒收越权记录", "Refused a record";
    EvDestroy => "销毁档案", "Destroyed profiles";
    EvRevived => "拒收已销毁的记录", "Refused destroyed records";
    LogVerified => "访问日志完整性：已验证 ", "Access log integrity: verified ";
    LogVerifiedUnit => " 条", " events";
    LogBroken => "访问日志完整性警报：", "Access log integrity alarm: ";
    LogEdited => " 被修改", " was edited";
    LogReordered => " 的顺序被改动或前面的记录被删除", " is out of order, or an event before it was deleted";
    LogMissing => " 缺失（被删除）", " is missing (deleted)";
    NavLog => "访问日志", "Access log";
    LogAdminsOnly => "只有管理员可以查看访问日志。", "Only administrators can see the access log.";
    LogFilters => "筛选", "Filters";
    LogAll => "全部", "All";
    LogFrom => "从", "From";
    LogUntil => "到", "Until";
    LogClearProfile => "不再只看这份档案", "Show every profile again";
    LogExportCsv => "导出 CSV", "Export CSV";
    LogByPeriod => "按时间统计", "By period";
    LogByStaff => "按员工统计", "By staff member";
    LogDay => "日", "Day";
    LogMonth => "月", "Month";
    LogYear => "年", "Year";
    LogEvents => "记录", "Events";
    LogReading => "正在读取并核验访问日志：已读 {} 条…", "Reading and checking the access log: {} events read…";
    LogNewestFirst => "先显示各设备最新的记录；全部读完后可以筛选、统计和导出。", "The newest events of each device first; filters, counts and the export once every event is read.";
    LogCounting => "全部读完后统计。", "Counted once every event is read.";
    LogShownFirst => "只显示最新的 200 条；导出 CSV 包含全部。", "Only the newest 200 are shown; the CSV export has them all.";
    LogNone => "没有符合条件的记录。", "No event matches.";
    LogWhen => "时间", "When";
    LogWho => "员工", "Staff";
    LogWhat => "操作", "Action";
    LogProfile => "档案", "Profile";
    LogFields => "字段", "Fields";
    LogReason => "理由", "Reason";
    LogDevice => "设备", "Device";
    LogNumber => "序号", "Number";
    StaffTitle => "员工与角色", "Staff and roles";
    StaffRole => "角色", "Role";
    StaffRemoved => "已停用", "removed";
    StaffActive => "在职（可以登录）", "Active (can sign in)";
    StaffAdd => "添加员工", "Add a staff member";
    StaffChange => "修改员工", "Change a staff member";
    StaffNewPin => "新 PIN（不改则留空）", "New PIN (leave empty to keep)";
    StaffAddHint => "请新员工本人在这台设备上输入自己的 PIN。", "Let the new staff member type their own PIN on this device.";
    StaffChangeHint => "忘记 PIN 或在普通用户与管理员之间变更角色时，请本人输入新的 PIN。", "For a forgotten PIN, or a move between ordinary user and administrator, let them type a new PIN.";
    StaffSaved => "已保存员工：", "Staff member saved: ";
    GovName => "姓名", "Name";
    GovDept => "部门", "Department";
    DeptFront => "前厅", "Front desk";
    DeptSales => "销售", "Sales";
    DeptFinance => "财务", "Finance";
    DeptRooms => "客房", "Housekeeping";
    DeptDining => "餐饮", "Food and beverage";
    GovPin => "PIN（6–12 位数字）", "PIN (6–12 digits)";
    GovPinAgain => "再次输入 PIN", "PIN again";
    GovSetupGo => "创建并登录", "Create and sign in";
    GovWorking => "正在生成密钥…", "Making the keys…";
    GovCodeTitle => "恢复码", "Recovery code";
    GovCodeHint => "请打印或抄写下来，保存在安全的地方。超级管理员忘记 PIN 时，凭它恢复。它只显示这一次。", "Print it or write it down and keep it somewhere safe. If the super administrator forgets the PIN, this recovers it. It is shown only this once.";
    GovCodeDone => "我已妥善保存", "I have kept it safe";
    SignInTitle => "谁在值班？", "Who is at the desk?";
    SignInHint => "点选您的名字，输入 PIN。", "Tap your name and type your PIN.";
    SignInPin => "PIN", "PIN";
    SignInGo => "登录", "Sign in";
    SignInChecking => "正在核对…", "Checking…";
    SignInWrong => "PIN 不正确。剩余尝试次数：", "Wrong PIN. Tries left: ";
    SignInLocked => "错误次数过多，此名字已锁定，可再次尝试的时间：", "Too many wrong PINs: this name is locked until ";
    SignInOther => "换其他人", "Someone else";
    SignInNobody => "还没有可以登录的员工。", "No staff member can sign in yet.";
    LockedTitle => "已锁定", "Locked";
    LockedHint => "输入 PIN 继续，刚才的页面和未保存的内容都还在。", "Type your PIN to go on; the screen and anything not yet saved are as you left them.";
    StaffSwitch => "换人", "Switch";
    StaffLock => "锁定", "Lock";
    GovFailed => "操作未完成：", "That did not work: ";
    AppName => "档案", "Dangan";
    AppTagline => "客户档案", "Customer archive";
    NavArchive => "档案列表", "Archive";
    NavNew => "新建档案", "New profile";
    NavDeleted => "已删除", "Deleted";
    NavSettings => "设置", "Settings";
    SettingsDesk => "前台", "At the desk";
    SettingsDeskHint => "每次修改都会记录登录的员工。共用设备换班时，在顶栏点“换人”，新的值班人员输入自己的 PIN。", "Every change records who is signed in. At a change of shift on a shared device, tap Switch in the top bar and the next person types their PIN.";
    StorageTitle => "本机存储", "Storage on this device";
    StorageUsed => "已用", "Used";
    StorageOf => "浏览器允许最多", "of the browser's allowance of";
    StorageHolds => "本机保存", "This device holds";
    StorageProfiles => "份档案（含已删除）", "profiles (deleted ones included)";
    StoragePersisted => "持久存储已开启：设备空间不足时，浏览器不会清除档案。", "Persistent storage is on: the browser will not clear the archive when the device runs low on space.";
    StorageBestEffort => "持久存储未开启：设备空间不足时，浏览器可能清除本地档案。安装到主屏幕或加为书签后通常会获准。", "Persistent storage is off: when the device runs low on space, the browser may clear the archive. Installing the app or bookmarking the site usually gets it granted.";
    StorageAsk => "请求持久存储", "Ask for persistent storage";
    StorageDenied => "浏览器暂未同意。请先把档案安装到主屏幕，再试一次。", "The browser has not agreed yet. Install Dangan to the home screen, then try again.";
    StorageAlmostFull => "存储空间即将用完，请清理设备或浏览器中的其他数据。", "Storage is almost full; free space on the device or in the browser.";
    StorageUnavailable => "此浏览器不报告存储用量。", "This browser does not report storage use.";
    Refresh => "刷新", "Refresh";
    SyncTitle => "多设备同步", "Sync between devices";
    SyncHint => "同一家店的平板和电脑共用一份档案。在服务器上创建令牌，然后在每台设备上填写服务器地址、档案库编号和令牌；加密口令可选。都不填则只在本机使用。", "The tablets and PCs of one business share one archive. Create a token on the server, then enter the server address, the archive id and the token on each device; the passphrase is optional. Leave them empty to use this device alone.";
    PhArchiveId => "例如 wangfujing-hotel", "e.g. main-street-hotel";
    SyncUrl => "同步服务器地址", "Sync server address";
    SyncArchive => "档案库编号", "Archive id";
    SyncToken => "访问令牌", "Access token";
    SyncSave => "保存并同步", "Save and sync";
    SyncNow => "立即同步", "Sync now";
    SyncOff => "未设置同步：档案只保存在本机", "Sync is not set up: the archive stays on this device";
    SyncRunning => "正在同步…", "Syncing…";
    SyncLast => "上次同步", "Last synced";
    SyncNever => "尚未同步", "Not synced yet";
    SyncPending => "条修改待发送", "changes waiting to be sent";
    SyncUpToDate => "已是最新", "Up to date";
    SyncLive => "实时连接：其他设备的修改即时到达", "Live: changes from other devices arrive at once";
    SyncRetry => "将自动重试", "will retry automatically";
    SyncThisDevice => "本设备名称", "This device's name";
    SyncThisDeviceId => "本设备编号", "This device's id";
    SyncDeviceNameHint => "其他设备在冲突和修改记录里用这个名字称呼本机，例如“iPad 前台 1”。", "Other devices name this one by it in conflicts and change history, e.g. “iPad front desk 1”.";
    SyncPassphrase => "加密口令（可选）", "Encryption passphrase (optional)";
    SyncPassphraseHint => "填写后，修改在离开本机前加密，服务器看不到客人信息。同一档案库的所有设备须用同一口令；口令丢失则无法恢复。", "With a passphrase, changes are encrypted before they leave this device and the server cannot read guest data. Every device of the archive needs the same passphrase; a lost passphrase cannot be recovered.";
    ErrSyncPassphrase => "口令至少8个字符", "At least 8 characters";
    SyncErrPassphrase => "加密口令不对：与本档案库其他设备使用的口令不同", "Wrong passphrase: it differs from the one the archive's other devices use";
    SyncErrNeedPassphrase => "此档案库已加密，请填写加密口令", "This archive is encrypted; enter its passphrase";
    SyncErrCrypto => "加密出错", "Encryption failed";
    ErrSyncUrl => "地址应以 http:// 或 https:// 开头", "The address starts with http:// or https://";
    ErrSyncArchive => "编号只能用字母、数字、-和_", "Use letters, digits, - and _ only";
    ErrSyncToken => "令牌以 dgn_ 开头，共68个字符（由服务器管理员提供）", "A token starts with dgn_ and has 68 characters (from the server's administrator)";
    SyncErrOffline => "连不上同步服务器（网络断开或地址不对）", "Cannot reach the sync server (offline, or a wrong address)";
    SyncErrToken => "同步服务器拒绝了访问令牌（令牌不对或已吊销）", "The sync server refused the access token (wrong or revoked)";
    SyncErrTokenExpired => "访问令牌已过期，请向服务器管理员要一个新令牌", "The access token has expired; ask the server's administrator for a new one";
    SyncErrTokenScope => "这是管理员令牌，不能用于设备同步；请使用设备令牌", "This is an administrator's token; a device syncs with a device token";
    SyncErrArchive => "同步服务器上没有这个档案库编号，或令牌不属于它", "The sync server has no such archive, or the token is not for it";
    SyncErrBusy => "同步服务器繁忙，请稍候", "The sync server is busy; please wait";
    SyncErrServer => "同步服务器出错", "The sync server reported an error";
    SyncErrAnswer => "同步服务器的回答不完整", "The sync server's answer was incomplete";
    SyncErrDrift => "另一台设备的时钟快了，请校准它的时间；它的修改暂不接收。设备", "Another device's clock is ahead; set its time right. Its changes wait until then. Device";
    SyncErrMinutes => "分钟", "minutes";
    ConflictTitle => "在其他设备上也改过", "Changed on another device";
    ConflictHint => "两台设备在离线时改了同一项。现在显示较晚的修改；请选择要保留的值。", "Two devices changed the same field while apart. The later change is shown; choose the value to keep.";
    ConflictKeep => "保留此值", "Keep this";
    ConflictCurrent => "当前", "Current";
    ConflictEmpty => "（空）", "(empty)";
    FieldHistory => "修改记录", "Change history";
    FieldHistoryShow => "显示修改记录", "Show change history";
    FieldHistoryHide => "隐藏修改记录", "Hide change history";
    NavConflicts => "冲突", "Conflicts";
    ConflictsNone => "没有待处理的冲突", "No conflicts to settle";
    ConflictsNoneHint => "两台设备离线时改了同一项，会在这里列出。", "When two devices change the same field while apart, it is listed here.";
    SearchPlaceholder => "姓名、拼音首字母、手机尾号、证件号、公司、编码…", "Name, pinyin initials, phone tail, ID, company, code…";
    SearchLabel => "查找客户", "Find a customer";
    SearchHint => "回车打开第一个结果", "Enter opens the top match";
    Loading => "正在打开档案…", "Opening the archive…";
    LoadFailed => "无法打开本地档案库", "Could not open the local archive";
    Retry => "重试", "Retry";
    ScreenLoading => "正在载入此页面…", "Loading this screen…";
    ModuleFailed => "此页面未能载入", "This screen did not load";
    PartFailed => "这部分未能载入：首次使用需要联网。", "This part did not load: its first use needs the network.";
    ModuleFailedHint => "首次打开此页面需要联网；联网后重试。查找、查看和登记客户不受影响。", "The first visit to this screen needs the network; retry when online. Finding, viewing and registering guests still work.";
    Staff => "值班人员", "Staff";
    DefaultStaff => "前台", "Front desk";
    PhMonthDay => "月-日，如 08-15", "MM-DD, e.g. 08-15";
    PhLunarDay => "农历月-日，如 04-08 或 四月初八", "lunar MM-DD, e.g. 04-08";
    RemovePref => "删除这条偏好", "Remove this preference";
    RemoveDay => "删除这个日子", "Remove this day";
    RemoveContact => "删除这位联系人", "Remove this contact";
    WarnBirthdayMismatch => "与出生日期（{}）不一致，请核对", "Differs from the date of birth ({}); please check";
    ShowNumber => "显示", "Show";
    RevealKeyMissing => "这个号码的密钥还没有同步到本机，请稍后再试。", "This number's key has not reached this device yet; try again after the next sync.";
    RevealTitle => "查看完整号码", "See the whole number";
    RevealReasonLabel => "查看原因（将记入访问日志）", "Why you need it (recorded in the access log)";
    RevealReasonMissing => "请填写查看原因。", "Please give a reason.";
    RevealConfirm => "查看", "Show";
    RevealHide => "隐藏", "Hide";
    ReplaceNumber => "替换", "Replace";
    LookedTitle => "最近查看", "Looked at recently";
    LookedNone => "还没有查看记录。", "Nobody has looked yet.";
    ErrSealedClass => "证件号码和银行账号加密保存，只能是敏感信息。", "ID numbers and bank accounts are stored sealed: they stay sensitive.";
    PolicyClasses => "字段分级（普通用户在列表、导出中看到的遮蔽程度）", "Field classes (what ordinary users see masked in lists and exports)";
    ClassPublic => "公开", "Public";
    ClassPersonal => "个人信息", "Personal";
    ClassSensitive => "敏感信息", "Sensitive";
    ExportFullAsk => "申请完整导出", "Ask to export in full";
    ExportFullGranted => "已批准完整导出（证件号仍遮盖）", "Full export approved (ID numbers stay masked)";
    PrintFullAsk => "申请完整打印", "Ask to print in full";
    PrintFullNeedsApproval => "证件号码等敏感信息在表上以遮盖显示；需要完整打印时，请写明理由申请，由管理员批准。", "Sensitive values such as the ID number print masked; to print the form in full, ask with a reason for an administrator's approval.";
    PrintFullGranted => "已批准完整打印：下方表格显示全部信息。", "Printing in full is approved: the form below shows every value.";
    ReqWhatPrint => "完整打印档案表", "The full archive form printed";
    ReqWhatExport => "完整导出（个人信息）", "A full export (personal values)";
    ReqMine => "我的查阅申请", "My requests";
    ReqMineNone => "你还没有提交过查阅申请。", "You have not asked for anything yet.";
    ReqAsk => "申请查看", "Ask to see it";
    ReqReasonLabel => "申请原因（管理员审批时可见）", "Why you need it (the approver sees it)";
    ReqSend => "提交申请", "Send the request";
    ReqPending => "已申请，等待管理员审批", "Asked; waiting for an administrator";
    ReqApproveHere => "管理员现场审批", "An administrator approves here";
    ReqApprover => "审批人", "Approver";
    ReqApproverPin => "审批人 PIN", "Approver's PIN";
    ReqApproveGo => "批准", "Approve";
    ReqActiveUntil => "已批准，有效至 ", "Approved until ";
    ReqExpired => "授权已过期，可重新申请。", "The approval has expired; you may ask again.";
    ReqRefused => "申请被拒绝：", "Refused: ";
    ReqNoApprover => "没有可以审批的管理员。", "No administrator can approve this.";
    ReqTitle => "查阅申请", "View requests";
    ReqNone => "没有待审批的申请。", "No requests are waiting.";
    ReqRefuse => "拒绝", "Refuse";
    ReqRefuseReason => "拒绝原因", "Why not";
    ReqStatePending => "待审批", "Waiting";
    ReqStateActive => "已批准", "Approved";
    ReqStateExpired => "已过期", "Expired";
    ReqStateRefused => "已拒绝", "Refused";
    SealingArchive => "正在加密证件号码和银行账号…", "Sealing ID and account numbers…";
    SealedHint => "已加密保存；输入新号码可替换", "Stored sealed; type a new number to replace it";
    HideNumber => "隐藏", "Hide";
    Language => "语言", "Language";
    Profiles => "份档案", "profiles";
    MatchesOf => "条匹配", "matches";
    ShowingBest => "显示最相关的前", "showing the best";
    TypeMore => "继续输入以缩小范围", "type more to narrow";
    NoMatches => "没有找到匹配的客户", "No customer matches";
    NoMatchesHint => "可以用拼音首字母、手机尾号或证件号再试，或新建档案。", "Try pinyin initials, the phone's last digits or the ID number, or create a profile.";
    EmptyArchive => "档案库还是空的", "The archive is empty";
    EmptyArchiveHint => "为第一位客人建立档案，一分钟即可完成。", "Create the first guest's profile: it takes under a minute.";
    EmptyFiltered => "没有符合筛选条件的档案", "No profile matches these filters";
    ClearFilters => "清除筛选", "Clear filters";
    FilterAll => "全部", "All";
    FilterClass => "分类", "Class";
    FilterVip => "仅VIP", "VIP only";
    FilterCredit => "信用", "Credit";
    FilterTag => "标签", "Tag";
    SortBy => "排序", "Sort";
    SortName => "按姓名拼音", "Name (pinyin)";
    SortUpdated => "最近更新", "Recently updated";
    SortCreated => "最近新建", "Recently created";
    SortClass => "按分类", "Class";
    ColName => "姓名 / 名称", "Name";
    ColPhone => "电话", "Phone";
    Colon => "：", ": ";
    MatchPerson => "联系人/法人", "Contact / legal rep";
    MatchContactPhone => "联系人电话", "Contact's phone";
    MatchAddress => "地址", "Address";
    ColCompany => "单位 / 联系人", "Company / contact";
    ColClass => "分类", "Class";
    ColCredit => "信用", "Credit";
    ColUpdated => "更新", "Updated";
    KindPerson => "个人", "Person";
    KindOrganisation => "单位", "Organisation";
    GenderUnknown => "未知", "Unknown";
    GenderMale => "男", "Male";
    GenderFemale => "女", "Female";
    ClassImportant => "重要客户", "Important";
    ClassMain => "主要客户", "Main";
    ClassOrdinary => "普通客户", "Ordinary";
    ClassPotential => "潜在客户", "Potential";
    MarkNone => "无", "None";
    MarkRegular => "常客", "Regular";
    MarkVip => "VIP", "VIP";
    CreditUnrated => "未评级", "Unrated";
    CreditA => "A 按时付款", "A pays on time";
    CreditB => "B 常欠可收", "B owes, collectable";
    CreditC => "C 难以回收", "C hard to collect";
    DocResidentId => "居民身份证", "Resident ID card";
    DocPassport => "护照", "Passport";
    DocHkMacao => "港澳通行证", "HK/Macao permit";
    DocTaiwan => "台湾通行证", "Taiwan permit";
    DocForeignResident => "外国人永久居留证", "Foreign permanent residence";
    DocOther => "其他证件", "Other document";
    NatureUnspecified => "未填写", "Not given";
    NatureStateOwned => "国有", "State-owned";
    NatureForeign => "外资", "Foreign";
    NatureJointVenture => "合资", "Joint venture";
    NaturePrivate => "民营", "Private";
    NatureGovernment => "政府机关", "Government";
    NatureOther => "其他", "Other";
    IndUnspecified => "未填写", "Not given";
    IndAgriculture => "农林牧渔业", "Agriculture";
    IndManufacturing => "制造业", "Manufacturing";
    IndConstruction => "建筑业", "Construction";
    IndWholesaleRetail => "批发和零售业", "Wholesale & retail";
    IndTransport => "交通运输业", "Transport";
    IndAccommodation => "住宿和餐饮业", "Accommodation & catering";
    IndIt => "信息技术服务业", "Information technology";
    IndFinance => "金融业", "Finance";
    IndRealEstate => "房地产业", "Real estate";
    IndEducation => "教育", "Education";
    IndHealth => "卫生和社会工作", "Health";
    IndPublicAdmin => "公共管理", "Public administration";
    IndOther => "其他行业", "Other";
    PrefTaboo => "禁忌", "Taboo";
    PrefAllergy => "过敏", "Allergy";
    PrefRoom => "房型", "Room";
    PrefPillow => "枕头", "Pillow";
    PrefFloor => "楼层", "Floor";
    PrefView => "景观", "View";
    PrefDiet => "饮食", "Diet";
    PrefHobby => "爱好", "Hobby";
    PrefHabit => "生活习惯", "Habit";
    PrefTravelPurpose => "出行目的", "Travel purpose";
    PrefReading => "阅读习惯", "Reading";
    PrefHygiene => "卫生标准", "Hygiene";
    PrefOther => "其他", "Other";
    DayBirthday => "生日", "Birthday";
    DayAnniversary => "纪念日", "Anniversary";
    DayFestival => "节日", "Festival";
    DayOther => "其他日子", "Other day";
    CalSolar => "公历", "Gregorian";
    CalLunar => "农历", "Lunar";
    CalLunarLeap => "农历闰月", "Lunar, leap month";
    FDayCalendar => "历法", "Calendar";
    KpiNew => "新增客户", "New customers";
    KpiNewHow => "建立关系日期（未填则建档日期）在期内的客户", "Customers whose relationship began in the period (the day the profile was created when no date is given)";
    KpiActive => "活跃客户", "Active customers";
    KpiActiveHow => "期内有入住、消费或拜访的客户", "Customers with a stay, a consumption or a visit in the period";
    KpiStays => "入住次数", "Stays";
    KpiStaysHow => "期内到店的入住记录", "Stays arriving in the period";
    KpiNights => "间夜数", "Nights";
    KpiNightsHow => "期内入住记录的晚数之和", "Nights of the stays in the period";
    KpiRevenue => "收入", "Revenue";
    KpiRevenueHow => "期内入住与消费金额之和", "Amounts of the stays and consumption in the period";
    KpiPerStay => "平均每次入住消费", "Average spend per stay";
    KpiPerStayHow => "入住金额 ÷ 入住次数", "Stay amounts ÷ stays";
    KpiPerCover => "人均消费", "Spend per cover";
    KpiPerCoverHow => "消费金额 ÷ 用餐人数", "Consumption amounts ÷ covers";
    KpiRepeat => "重复入住率", "Repeat rate";
    KpiRepeatHow => "期内入住两次及以上的客户 ÷ 有入住的客户", "Customers with two or more stays ÷ customers with a stay";
    KpiComplaints => "投诉", "Complaints";
    KpiComplaintsHow => "期内登记的投诉", "Complaints recorded in the period";
    KpiComplaintRate => "投诉率", "Complaint rate";
    KpiComplaintRateHow => "投诉 ÷ 入住次数", "Complaints ÷ stays";
    KpiOverdue => "其中现已超时", "Of them overdue now";
    KpiOverdueHow => "期内投诉中至今未解决且已过处理时限的", "Complaints of the period still open past their deadline";
    KpiVisits => "已拜访", "Visits done";
    KpiVisitsHow => "期内的拜访记录", "Visits recorded in the period";
    KpiPlanned => "计划拜访", "Visits planned";
    KpiPlannedHow => "拜访记录中“下次拜访”落在期内的", "Visits whose next date falls in the period";
    KpiA => "A 类客户", "A customers";
    KpiAHow => "最近一次应用的 ABC 分析评为 A 的客户（当前）", "Customers graded A by the last ABC analysis applied (now)";
    KpiComplete => "档案查全率", "Archive completeness";
    KpiCompleteHow => "每份档案已填必填项的比例的平均（当前）", "The mean share of required items each profile holds (now)";
    KpiAccurate => "档案准确率", "Archive accuracy";
    KpiAccurateHow => "资料全部通过校验且未过期的档案比例（当前）", "The share of profiles whose values all pass the checks and are not stale (now)";
    AbcErrNoWeight => "请至少为一个指标填写大于 0 的权重", "Give at least one indicator a weight above 0";
    AbcErrCuts => "A 类比例须大于 0，A 与 B 之和不超过 100%", "The A share must be above 0 and A plus B at most 100%";
    NavOverview => "经营", "Overview";
    OvDashboard => "经营概览", "Dashboard";
    OvAbc => "ABC 分析", "ABC analysis";
    OvReminders => "提醒", "Reminders";
    OvQuality => "档案质量", "Archive quality";
    OvAdminsOnly => "经营视图仅供管理员查看。", "The overview is for administrators.";
    OvReading => "正在读取档案：已读 {} 份档案、{} 条记录…", "Reading the archive: {} profiles and {} history items so far…";
    OvRefreshing => "档案有变动，正在更新数字…", "The archive changed; updating the figures…";
    OvPeriod => "期间", "Period";
    OvThisMonth => "本月", "This month";
    OvLastMonth => "上月", "Last month";
    OvThisQuarter => "本季度", "This quarter";
    OvThisYear => "本年", "This year";
    OvCustom => "自定义", "Custom";
    OvErrPeriodOrder => "结束日期不能早于开始日期", "The end date is before the start date";
    OvComparedWith => "{}，对比上期 {}", "{}, compared with {}";
    OvBefore => "上期", "Before";
    OvNow => "当前", "Now";
    OvTrendOf => "{}按月趋势", "{} by month";
    OvBehind => "涉及的客户（{} 位）", "Customers behind it ({})";
    OvNobody => "没有客户。", "No customers.";
    OvFirstOf => "显示前 {} 位，共 {} 位；导出包含全部。", "Showing the first {} of {}; the export has them all.";
    OvExportCsv => "导出 CSV", "Export CSV";
    OvExportXlsx => "导出 Excel", "Export Excel";
    OvPrint => "打印", "Print";
    OvHorizon => "提醒范围", "How far ahead";
    OvNextDays => "未来 {} 天", "Next {} days";
    OvInDays => "{} 天后", "in {} days";
    OvDaysLate => "已超过 {} 天", "{} days late";
    OvOn => "日期", "Date";
    OvWhen => "距今", "When";
    OvDaysTitle => "特殊日子", "Special days";
    OvNoDays => "这段时间没有客户的特殊日子。", "No special days in this time.";
    OvVisitsTitle => "计划拜访（到期或逾期）", "Planned visits due or overdue";
    OvNoVisits => "没有到期或逾期的计划拜访。", "No planned visit is due or overdue.";
    OvNeglectedTitle => "久未拜访的客户", "Customers not visited";
    OvNotVisitedFor => "超过", "Not visited for over";
    OvDaysUnit => "天未拜访", "days";
    OvErrDays => "请输入 1 到 3650 之间的天数", "Enter a number of days from 1 to 3650";
    OvNoNeglected => "所选类别的客户都在期限内拜访过。", "Every customer of the chosen classes was visited in time.";
    OvLastVisit => "上次拜访", "Last visit";
    OvNeverVisited => "从未拜访（自建立关系起）", "Never (since the relationship began)";
    OvDaysSince => "天数", "Days";
    OvComplaintsTitle => "超时未处理的投诉", "Overdue complaints";
    OvNoComplaints => "没有超时的投诉。", "No complaint is overdue.";
    OvLate => "超时", "Late by";
    OvLateHours => "{} 小时", "{} h";
    OvLateDays => "{} 天 {} 小时", "{} d {} h";
    AbcWeights => "排序依据", "Rank by";
    AbcWeightsHow => "为一个指标填权重即按它排序；为几个指标填权重则按加权得分排序（各指标先除以全体合计再加权）。", "Weight one indicator to rank by it; weight several to rank by a weighted score (each indicator is divided by its total first).";
    AbcErrWeight => "权重须为 0 到 1000 的整数", "A weight is a whole number from 0 to 1000";
    AbcCutA => "A 类累计占比 %", "A: cumulative share %";
    AbcCutB => "B 类占比 %", "B: next share %";
    AbcCutC => "C 类：其余 {}%，以及没有数值的客户", "C: the remaining {}% and customers with nothing";
    AbcScoreIs => "得分：", "Score: ";
    AbcBySingle => "按{}排序", "ranked by {}";
    AbcTerm => "{}占比 × {}", "share of {} × {}";
    AbcClassCol => "类别", "Class";
    AbcCustomers => "客户数", "Customers";
    AbcShare => "占比", "Share";
    AbcCumulative => "累计占比", "Cumulative";
    AbcRule => "规则", "Rule";
    AbcRuleA => "累计占比达到前 {}% 的客户（跨过界限的那位也算 A）", "Customers making the first {}% (the one crossing the line included)";
    AbcRuleB => "其后的 {}%", "The next {}%";
    AbcRuleC => "其余客户", "The rest";
    AbcPareto => "帕累托曲线：客户累计占比与价值累计占比", "Pareto curve: share of customers against share of value";
    AbcParetoX => "按得分从高到低的客户累计占比", "Share of customers, highest score first";
    AbcPoint => "前 {} 的客户贡献 {}", "The first {} of customers make {}";
    AbcNothing => "所选期间没有可排序的数值，全部客户为 C 类。", "Nothing to rank in this period: every customer is C.";
    AbcRank => "排名", "Rank";
    AbcApplyTitle => "应用为客户等级", "Apply as the customers' grades";
    AbcApplyHow => "把这次分析的结果写入每位客户的档案（ABC 等级），连同计算方法、数值和日期；其他设备同步后显示同样的说明。可以撤销。", "Writes this analysis into each customer's profile (the ABC grade) with its formula, values and date; other devices show the same explanation after they sync. It can be undone.";
    AbcApplyOpen => "应用为客户等级…", "Apply as grades…";
    AbcApplyConfirm => "将为 {} 位客户写入 ABC 等级：A {} 位，B {} 位，C {} 位。", "This writes the ABC grade of {} customers: {} A, {} B, {} C.";
    AbcApplyClasses => "同时按等级设置客户分类", "Also set the customer class from the grade";
    AbcApplyGo => "确认应用", "Apply";
    AbcApplyWriting => "正在写入：{} / {}", "Writing: {} of {}";
    AbcApplied => "已为 {} 位客户写入 ABC 等级。", "The ABC grade of {} customers was written.";
    AbcUndoing => "正在撤销…", "Undoing…";
    AbcUndone => "已撤销：{} 位客户恢复原来的等级与分类。", "Undone: {} customers have their former grade and class back.";
    AbcBadgeTitle => "ABC 等级", "ABC grade";
    AbcExplain => "{} · 排名 {} / {} · 得分：{} · 本客户：{} · 期间 {} – {} · {} 由 {} 应用", "{} · rank {} of {} · score: {} · this customer: {} · period {} – {} · applied {} by {}";
    AbcScore => "得分", "Score";
    QByClass => "按客户类别", "By customer class";
    QByCreator => "按建档人", "By creator";
    QCreator => "建档人", "Created by";
    QProfiles => "档案数", "Profiles";
    QFixFirst => "优先补全", "Fix these first";
    QFixFirstHow => "重要客户在前，同类中查全率最低的在前。", "The most important customers first, the least complete first within them.";
    QAllGood => "所有档案都完整且准确。", "Every profile is complete and accurate.";
    QProblems => "问题", "Problems";
    QMissing => "缺", "Missing";
    QInvalid => "有误", "Invalid";
    QStale => "超过一年未更新（期间仍有往来）", "Not updated for over a year while active";
    QRequired => "档案必填项", "Required items";
    QProfileLine => "档案完整度 {}", "Profile {} complete";
    QRequiredHow => "查全率按这些项目计算；修改后同步到所有设备。", "Completeness counts these items; a change reaches every device.";
    QRequiredSuperOnly => "查全率按这些项目计算；只有超级管理员可以修改。", "Completeness counts these items; only a super administrator changes them.";
    QRequiredDefaults => "恢复默认", "Back to the defaults";
    QRequiredSaved => "必填项已保存", "Required items saved";
    AbcA => "A 类", "Class A";
    AbcB => "B 类", "Class B";
    AbcC => "C 类", "Class C";
    AbcByRevenue => "收入", "Revenue";
    AbcByStays => "入住次数", "Stays";
    AbcByNights => "间夜数", "Nights";
    AbcByVisits => "拜访次数", "Visits";
    AbcByCovers => "用餐人数", "Covers";
    AbcByConsumptions => "消费次数", "Consumptions";
    SevMinor => "轻微", "Minor";
    SevGeneral => "一般", "General";
    SevMajor => "重大", "Major";
    SevCritical => "特大", "Critical";
    StatusOpen => "处理中", "Open";
    StatusResolved => "已解决", "Resolved";
    StatusClosed => "已回访关闭", "Closed";
    HistStay => "入住", "Stay";
    HistConsumption => "消费", "Consumption";
    HistComplaint => "投诉", "Complaint";
    HistVisit => "拜访", "Visit";
    HistNote => "备注", "Note";
    SecBasic => "基本信息", "Basic info";
    SecContact => "联系方式", "Contact";
    SecOrg => "单位信息", "Organisation";
    SecPrefs => "偏好与特殊信息", "Preferences & special info";
    SecDays => "特殊日子", "Special days";
    SecClass => "分类与信用", "Class & credit";
    SecHistory => "往来记录", "History";
    SecNotes => "备注", "Notes";
    FName => "姓名", "Name";
    FOrgName => "单位全称", "Full name";
    FShortName => "简称", "Short name";
    FKind => "客户类型", "Customer type";
    FCode => "客户编码", "Customer code";
    FGender => "性别", "Gender";
    FBirth => "出生日期", "Date of birth";
    FSince => "建立关系日期", "Customer since";
    FEthnicity => "民族", "Ethnicity";
    FNativePlace => "籍贯", "Native place";
    FNationality => "国籍", "Nationality";
    FLanguage => "语言", "Language";
    FDocType => "证件类型", "ID document";
    FDocNo => "证件号码", "Document number";
    FPhone => "手机/电话", "Phone";
    FPhone2 => "备用电话", "Second phone";
    FEmail => "电子邮箱", "Email";
    FAddress => "地址", "Address";
    FCompany => "工作单位", "Company";
    FCategory => "分类编码", "Category code";
    FRegion => "地区编码", "Region code";
    FHeadOffice => "总公司客户编码", "Head-office customer code";
    FIndustry => "所属行业", "Industry";
    FTaxNo => "税号/统一社会信用代码", "Tax no. / USCC";
    FLegalRep => "法人代表", "Legal representative";
    FCapital => "注册资本(万元)", "Registered capital (10k CNY)";
    FNature => "企业性质", "Enterprise nature";
    FBank => "开户银行", "Bank";
    FAccount => "银行账号", "Account";
    FContactName => "联系人", "Contact";
    FContactRole => "职务", "Role";
    FContactPhone => "联系电话", "Contact phone";
    FEmergency => "紧急联系人", "Emergency contact";
    FClass => "客户分类", "Customer class";
    FMark => "客人标记", "Guest mark";
    FCredit => "信用等级", "Credit rating";
    FCreditAmount => "信用额度(元)", "Credit limit (¥)";
    FCreditDays => "信用天数", "Credit days";
    FTerms => "账期(天)", "Payment terms (days)";
    NDays => "{} 天", "{} days";
    ErrDays => "请输入 0 到 3650 之间的天数", "Enter a number of days from 0 to 3650";
    FTags => "标签(用逗号分隔)", "Tags (comma separated)";
    FNotes => "备注", "Notes";
    FPrefKind => "偏好类别", "Kind of preference";
    FPrefValue => "内容", "Detail";
    FDayKind => "日子类别", "Kind of day";
    FDayDate => "日期(月-日)", "Date (MM-DD)";
    FDayLabel => "说明", "Label";
    FDate => "日期", "Date";
    FNights => "晚数", "Nights";
    FRoomType => "房型", "Room type";
    FChannel => "预订渠道", "Booking channel";
    FAmenities => "客房用品使用", "Amenities used";
    FAmount => "金额(元)", "Amount (CNY)";
    FCategoryMeal => "类别(早餐/中餐/宴会…)", "Category (breakfast, banquet…)";
    FCovers => "人数", "Covers";
    FDiscount => "折扣率(%)", "Discount (%)";
    FPayment => "付款方式", "Payment";
    FReason => "投诉原因", "Reason";
    FSeverity => "等级", "Severity";
    FStatus => "状态", "Status";
    FDeadline => "处理时限", "Deadline";
    FHandling => "处理经过", "Handling";
    FFeedback => "反馈客人", "Feedback to guest";
    FReturnVisit => "回访情况", "Return visit";
    FSatisfaction => "满意度(1-5)", "Satisfaction (1–5)";
    FVisitor => "拜访人", "Visited by";
    FPurpose => "目的", "Purpose";
    FNextStep => "下一步", "Next step";
    FNextDate => "下次拜访", "Next visit";
    FText => "内容", "Text";
    Save => "保存", "Save";
    Saving => "正在保存…", "Saving…";
    Saved => "已保存", "Saved";
    Cancel => "取消", "Cancel";
    Edit => "编辑", "Edit";
    Delete => "删除", "Delete";
    Restore => "恢复", "Restore";
    Restored => "已恢复", "Restored";
    Undo => "撤销", "Undo";
    Add => "添加", "Add";
    Remove => "移除", "Remove";
    Back => "返回", "Back";
    AddPref => "添加偏好", "Add preference";
    AddDay => "添加特殊日子", "Add special day";
    AddContact => "添加联系人", "Add contact";
    AddHistory => "添加记录", "Add entry";
    ConfirmDeleteTitle => "删除这份档案？", "Delete this profile?";
    ConfirmDeleteBody => "档案会移到“已删除”，随时可以恢复。", "It moves to “Deleted” and can be restored at any time.";
    DeletedToast => "档案已删除", "Profile deleted";
    DeletedEmpty => "没有已删除的档案", "No deleted profiles";
    DeletedOn => "删除于", "Deleted on";
    DeletedBanner => "这份档案已删除", "This profile is deleted";
    NotFound => "找不到这份档案", "Profile not found";
    NotFoundHint => "它可能已被删除，或链接有误。", "It may have been deleted, or the link is wrong.";
    FixErrors => "请先更正标出的内容，档案尚未保存。", "Please correct the marked fields. Nothing has been saved.";
    SaveFailed => "保存失败，表单内容已保留：", "Saving failed; your input is kept: ";
    FillFromId => "根据身份证填入出生日期和性别", "Fill date of birth and gender from the ID";
    DupTitle => "可能已有这位客户的档案", "This customer may already have a profile";
    DupOpen => "打开已有档案", "Open existing";
    DupCreateAnyway => "仍然新建", "Create anyway";
    DupSamePhone => "电话相同", "same phone";
    DupSameId => "证件号相同", "same ID number";
    DupSameCode => "客户编码相同", "same customer code";
    DupSimilarName => "姓名相近", "similar name";
    AlertVip => "VIP 贵宾", "VIP guest";
    AlertToday => "今天", "today";
    AlertInDays => "天后", "days away";
    CreatedBy => "建档", "Created";
    UpdatedBy => "更新", "Updated";
    NoHistory => "还没有往来记录", "No history yet";
    NoPrefs => "还没有记录偏好", "No preferences recorded";
    NothingYet => "尚未填写", "Nothing recorded yet";
    UpdateReady => "新版本已就绪", "A new version is ready";
    UpdateReload => "重新加载", "Reload";
    UpdateBlocked => "有未保存的表单，请先保存或取消后再重新加载。", "A form has unsaved input: save or cancel it first, then reload.";
    Overdue => "已超时", "Overdue";
    UnitNights => "晚", "nights";
    UnitCovers => "人", "covers";
    DueBy => "处理时限", "Due by";
    HandleComplaint => "处理 / 回访", "Handle / follow up";
    SatisfactionShort => "满意度", "Satisfaction";
    NotAsked => "未回访", "Not asked";
    Age => "岁", "years";
    ErrRequired => "必填", "Required";
    ErrTooLong => "太长了，最多", "Too long; at most";
    ErrChars => "个字符", "characters";
    ErrTooLongBytes => "太长了：汉字算2个字符，最多", "Too long: a Chinese character counts 2; at most";
    ErrIdFormat => "身份证号应为18位：17位数字加1位数字或X", "A resident ID has 18 characters: 17 digits and a digit or X";
    ErrIdBirth => "身份证号中的出生日期不存在", "The birth date inside the ID number does not exist";
    ErrIdCheck => "身份证号校验位不对，请核对是否输错", "The ID number's check digit is wrong; please check for a typo";
    ErrUsccFormat => "统一社会信用代码应为18位数字或大写字母(不含I、O、S、V、Z)", "A credit code has 18 digits or capitals (no I, O, S, V, Z)";
    ErrUsccCheck => "统一社会信用代码校验位不对", "The credit code's check character is wrong";
    ErrPhone => "电话号码格式不对：手机11位，座机带区号", "Not a phone number: 11-digit mobile, or landline with area code";
    ErrEmail => "邮箱格式不对", "Not an email address";
    ErrDate => "日期无效，格式为 年-月-日", "Not a valid date (YYYY-MM-DD)";
    ErrDateFuture => "日期不能晚于今天", "The date cannot be in the future";
    ErrMonthDay => "月-日无效，例如 08-15", "Not a valid month-day, e.g. 08-15";
    ErrCodeTaken => "客户编码已被使用：", "Customer code already used by ";
    ErrCodeChars => "客户编码只能用字母、数字、-和_", "A customer code may use letters, digits, - and _ only";
    ErrNumber => "请输入数字", "Enter a number";
    ErrAmount => "金额格式不对，例如 1280.50", "Not an amount, e.g. 1280.50";
    ErrAmountPositive => "请输入大于 0 的金额，例如 1280.50", "Enter an amount above 0, e.g. 1280.50";
    ErrAmountTooLarge => "金额过大（最多 100 亿元）", "The amount is too large (at most ¥10 billion)";
    ErrDueBeforeDate => "到期日不能早于业务日期", "The due date cannot be before the entry's date";
    ErrReasonRequired => "请写明原因", "Give the reason";
    ErrQuantity => "请输入大于 0 的整数数量", "Enter a whole quantity above 0";
    ErrNoLines => "请至少填写一个物料", "Add at least one item";
    ErrItemCodeTaken => "物料编码已被使用：", "Item code already used by ";
    ErrRange => "超出范围", "Out of range";
    ErrHeadOffice => "总公司编码在档案中不存在", "No customer in the archive has this head-office code";
    ErrStorage => "本地存储出错", "Local storage error";
    XcCode => "客户编码", "Customer code";
    XcName => "名称", "Name";
    XcShortName => "简称", "Short name";
    XcKind => "客户类型", "Customer type";
    XcGender => "性别", "Gender";
    XcBirth => "出生日期", "Date of birth";
    XcIdType => "证件类型", "ID type";
    XcIdNumber => "证件号码", "ID number";
    XcPhone => "电话", "Phone";
    XcEmail => "邮箱", "Email";
    XcAddress => "地址", "Address";
    XcCompany => "工作单位", "Company";
    XcLegalRep => "法人代表", "Legal representative";
    XcTaxNo => "税号", "Tax number";
    XcBank => "开户银行", "Bank";
    XcAccount => "账号", "Account";
    XcContactName => "联系人", "Contact";
    XcContactPhone => "联系电话", "Contact phone";
    XcPartner => "合作性质", "Relationship";
    XcSince => "建立关系日期", "Customer since";
    XcClass => "客户分类", "Class";
    XcMark => "会员标记", "Guest mark";
    XcCredit => "信用等级", "Credit rating";
    XcCreditAmount => "信用额度", "Credit limit";
    XcCreditDays => "信用天数", "Credit days";
    XcTerms => "账期", "Payment terms";
    XlKind => "类型（期初/发票）", "Type (opening/invoice)";
    XlDoc => "单据号", "Document no.";
    XlDate => "日期", "Date";
    XlAmount => "金额", "Amount";
    XlDue => "到期日", "Due date";
    XlInvoice => "发票", "Invoice";
    XcTags => "标签", "Tags";
    XcPreferences => "偏好", "Preferences";
    XcSpecialDays => "特殊日子", "Special days";
    XcNationality => "国籍", "Nationality";
    XcEthnicity => "民族", "Ethnicity";
    XcNotes => "备注", "Notes";
    ImpErrEmpty => "文件是空的，没有可导入的内容。", "The file is empty: there is nothing to import.";
    ImpErrNoRows => "文件只有表头，没有数据行。", "The file has a header row but no data rows.";
    ImpErrUnpacks => "这个 Excel 文件解压后超过 {}，不是正常的表格（已损坏或被做了手脚），未导入任何内容。", "This Excel file unpacks to more than {}: it is not a normal spreadsheet (damaged or tampered with). Nothing was imported.";
    ImpErrTooLarge => "文件有 {}，超过上限 {}。请把表格拆成几个文件再导入。", "The file is {}, over the limit of {}. Split the sheet into several files and import them one by one.";
    ImpErrTooManyRows => "文件有 {} 行，一次最多导入 {} 行。请拆分后再导入。", "The file has {} rows; one import takes at most {}. Split it and import the parts.";
    ImpErrNotASheet => "这不是表格文件。请选择 CSV、XLSX 或 vCard（.vcf）文件。", "This is not a spreadsheet. Choose a CSV, XLSX or vCard (.vcf) file.";
    ImpErrLegacyXls => "这是旧版 Excel（.xls）文件。请在 Excel 中“另存为” .xlsx 或 CSV 后再导入。", "This is an old Excel (.xls) file. Save it as .xlsx or CSV in Excel, then import that.";
    ImpErrEncoding => "无法识别文件的文字编码（不是 UTF-8，也不是 GBK/GB18030）。请在 Excel 中另存为“CSV UTF-8”。", "The file's text encoding is neither UTF-8 nor GBK/GB18030. Save it from Excel as “CSV UTF-8”.";
    ImpErrUnclosedQuote => "第 {} 行的引号没有闭合，文件可能被截断或编辑坏了。", "The quote opened on row {} is never closed: the file may be cut off or damaged.";
    ImpErrStrayQuote => "第 {} 行 {} 列：引号后面还有多余的字符。", "Row {}, column {}: characters follow a closing quote.";
    ImpErrCellTooLong => "第 {} 行 {} 列的单元格有 {} 个字符，超过上限 {}。", "The cell at row {}, column {} has {} characters, over the limit of {}.";
    ImpErrFormula => "第 {} 行 {} 列是公式错误 {}。请在 Excel 中修正后再导入。", "Row {}, column {} holds the formula error {}. Fix it in Excel and import again.";
    ImpErrNumberTooLong => "第 {} 行 {} 列是超过 15 位的数字，Excel 已丢掉末尾几位。请把这一列设为“文本”格式，重新输入后再导入。", "Row {}, column {} is a number of more than 15 digits, and Excel has already lost its last digits. Format the column as Text, re-enter the numbers and import again.";
    ImpErrBadWorkbook => "Excel 文件已损坏，无法读取（{}）。", "The Excel file is damaged and cannot be read ({}).";
    ImpErrNoSheet => "Excel 文件里没有工作表。", "The workbook has no sheets.";
    ImpErrNoHeader => "第一行没有表头。请让第一行写明各列的名称。", "The first row has no headers. Put the column names in the first row.";
    ImpErrBadVcard => "vCard 文件第 {} 行格式不对。", "The vCard file is malformed at line {}.";
    ImpAtColumn => "{} 列“{}”：", "Column {} “{}”: ";
    ImpBadKind => "客户类型应为“个人”或“单位”", "Customer type should be Person or Organisation";
    ImpBadGender => "性别应为“男”或“女”", "Gender should be Male or Female";
    ImpBadIdType => "不认识的证件类型", "Unknown ID document type";
    ImpBadClass => "客户分类应为重要、主要、普通或潜在", "Class should be Important, Main, Ordinary or Potential";
    ImpBadMark => "会员标记应为 VIP、常客或留空", "Guest mark should be VIP, Regular or empty";
    ImpBadCredit => "信用等级应为 A、B、C 或留空", "Credit rating should be A, B, C or empty";
    ImpExtraCells => "这一行的单元格比表头多，多出的内容没有对应的列", "This row has more cells than the header; the extra cells have no column";
    ImpLeftOut => "（此值未导入，这一行的其他内容已导入）", " (this value was left out; the rest of the row is imported)";
    ImpWillFlag => "有值未导入 {}", "{} with a value left out";
    ImpFlaggedRows => "导入了，但有值未导入的行", "Rows imported with a value left out";
    ImpStatusFlagged => "新建（有值未导入）", "New (a value left out)";
    ImpHeaderRow => "表头在第几行", "Header row";
    ImpHeaderRowHint => "文件开头的标题行已跳过。表头找错了可以在这里改。", "Title rows at the top of the file are skipped. Choose another row if the headers were found in the wrong place.";
    ImpNameCol => "名称", "Name";
    ImpNeedName => "请指定哪一列是“名称/姓名”：没有名称无法建档。", "Choose which column holds the name: a profile needs one.";
    NavImport => "导入", "Import";
    ImpTitle => "导入客户", "Import customers";
    ImpTitleLedger => "导入账款", "Import account entries";
    ImpReadFailed => "读取文件失败", "Reading the file failed";
    ImpWriteFailed => "导入没有完成，什么也没有写入。", "The import did not finish; nothing was written.";
    ImpReading => "正在读取 {} …", "Reading {}…";
    ImpCannot => "无法导入“{}”", "Cannot import “{}”";
    ImpNothingImported => "没有导入任何内容。", "Nothing was imported.";
    ImpChooseOther => "选择其他文件", "Choose another file";
    ImpImporting => "正在导入 {} …", "Importing {}…";
    ImpProgress => "已写入 {} / {} 条", "{} of {} written";
    ImpPreparing => "正在准备：第 {} / {} 行", "Preparing row {} of {}";
    ImpTemplateName => "客户导入模板", "customer-import-template";
    ImpDrop => "把 Excel、CSV 或 vCard 文件拖到这里", "Drop an Excel, CSV or vCard file here";
    ImpChoose => "选择文件", "Choose a file";
    ImpHintFormats => "支持 .xlsx、.csv（UTF-8 或 GBK，Excel 另存的都可以）和 .vcf 通讯录，单个文件最多 20 万行。", "Accepts .xlsx, .csv (UTF-8 or GBK, as Excel saves them) and .vcf contacts, up to 200,000 rows per file.";
    ImpHintHeaders => "第一行是表头：名称、电话、地址、法人代表、开户银行、账号、联系人、客户编码、税号等中英文列名会自动识别。", "The first row holds the headers: Chinese and English names such as 名称/Name, 电话/Phone, 地址/Address, 法人代表, 开户银行, 账号, 联系人, 客户编码, 税号 are recognised.";
    ImpHintSafe => "导入前会先预览每一行的错误和重复，确认后才写入；导入中途可以取消，取消后不留下任何数据。", "You see each row's errors and duplicates before anything is written; an import can be cancelled midway and then leaves nothing behind.";
    ImpTemplate => "下载导入模板（CSV）", "Download an import template (CSV)";
    ImpMapping => "列对应", "Columns";
    ImpRows => "{} 行", "{} rows";
    ImpMappingHint => "左边是文件里的列，右边是档案里的字段。认错了可以在这里改；不需要的列选“不导入”。", "Left: the file's columns. Right: the archive field each fills. Correct any wrong guess here; choose “Don't import” for columns you don't need.";
    ImpSourceColumn => "文件中的列", "Column in the file";
    ImpSample => "示例", "Sample";
    ImpTarget => "导入为", "Import as";
    ImpIgnore => "不导入", "Don't import";
    ImpPreview => "预览", "Preview";
    ImpChecking => "正在检查 {} / {} 行", "Checking row {} of {}";
    ImpWillCreate => "新建 {}", "{} new";
    ImpWillUpdate => "更新 {}", "{} to update";
    ImpWillSkipDup => "重复跳过 {}", "{} duplicates skipped";
    ImpWillSkipBad => "有错误跳过 {}", "{} with errors skipped";
    ImpDupPolicy => "与档案中已有客户重复时", "When a row matches a customer already in the archive";
    ImpDupSkip => "跳过，保留档案中的", "Skip it, keep the archive's";
    ImpDupUpdate => "用文件中的非空内容更新档案", "Update the archive with the row's non-empty cells";
    ImpDupCreate => "仍然新建一份", "Create a new profile anyway";
    ImpOnlyProblems => "只看有问题的行", "Show only rows with problems";
    ImpRow => "行号", "Row";
    ImpStatus => "结果", "Result";
    ImpDetail => "说明", "Details";
    ImpStatusNew => "新建", "New";
    ImpStatusUpdate => "更新", "Update";
    ImpStatusError => "错误", "Error";
    ImpStatusSkip => "跳过", "Skip";
    ImpPreviewFirst => "只显示前 {} 行；导入的是全部行。", "Only the first {} rows are shown; all rows are imported.";
    ImpStart => "导入 {} 位客户", "Import {} customers";
    ImpReportName => "导入报告", "import-report";
    ImpCancelled => "导入已取消", "Import cancelled";
    ImpDone => "“{}”导入完成", "“{}” imported";
    ImpResult => "新建 {}，更新 {}，跳过 {}", "{} created, {} updated, {} skipped";
    ImpSkippedRows => "跳过的行", "Skipped rows";
    ImpRowN => "第 {} 行", "Row {}";
    ImpDownloadReport => "下载报告（CSV）", "Download the report (CSV)";
    ImpAnother => "再导入一个文件", "Import another file";
    ImpToArchive => "查看档案", "Go to the archive";
    ImpDupArchive => "与档案中的“{}”重复（{}）", "Same as “{}” in the archive ({})";
    ImpLedNeedCustomer => "请指定哪一列是客户编码或客户名称：账款要记在客户名下。", "Choose the column holding the customer code or name: an entry belongs to a customer.";
    ImpLedNeedAmount => "请指定哪一列是金额。", "Choose the column holding the amount.";
    ImpLedNeedDate => "请指定哪一列是日期。", "Choose the column holding the date.";
    ImpLedNoWho => "没有客户编码或名称", "No customer code or name";
    ImpLedNoCustomer => "档案中没有这位客户", "No such customer in the archive";
    ImpLedManyCustomers => "档案中有几位客户叫这个名字，请用客户编码", "Several customers have this name: use the customer code";
    ImpLedKind => "类型只能是“期初”或“发票”", "The type must be “opening” or “invoice”";
    ImpLedDueBefore => "到期日早于日期，按客户账期计算", "The due date is before the date: the customer's terms apply";
    ImpLedRecorded => "账上已有这一笔（{}，{}），不再记入", "Already in the account ({}, {}): not recorded again";
    ImpLedRepeats => "与第 {} 行是同一笔", "The same entry as row {}";
    ImpSheetKind => "这张表是", "This sheet holds";
    ImpSheetProfiles => "客户档案（新建或更新客户）", "Customer profiles (create or update customers)";
    ImpSheetLedger => "期初余额与发票（记入客户账款）", "Opening balances and invoices (into customers' accounts)";
    ImpLedAdminOnly => "只有管理员可以导入账款。", "Only an administrator can import account entries.";
    ImpLedWill => "将记入 {} 笔，合计 {}", "{} entries to record, {} in all";
    ImpLedWillRepeat => "已在账上或重复 {} 行", "{} rows already recorded or repeated";
    ImpLedStart => "记入 {} 笔账款", "Record {} entries";
    ImpLedResult => "记入 {} 笔（合计 {}），跳过 {} 行", "{} entries recorded ({} in all), {} rows skipped";
    ImpLedTemplate => "下载账款模板（CSV）", "Download an accounts template (CSV)";
    ImpLedTemplateName => "账款导入模板", "accounts-import-template";
    ImpLedChecking => "正在核对 {} 位客户的账款…", "Checking the accounts of {} customers…";
    ImpLedCustomer => "客户", "Customer";
    ImpStatusRecord => "记入", "Record";
    ImpStatusRecordFlagged => "记入（有值未导入）", "Record (a value left out)";
    ImpDupRow => "与文件第 {} 行重复（{}）", "Same as row {} of the file ({})";
    Print => "打印", "Print";
    PrintHint => "打印预览：A4 纸，打印对话框里可选“另存为 PDF”。", "Print preview: A4; choose “Save as PDF” in the print dialog for a file.";
    PrintFormTitle => "客户档案登记表", "Customer archive form";
    PrintFormNo => "编号", "No.";
    PrintFilledBy => "填表人：", "Filled in by:";
    PrintDate => "日期：", "Date:";
    PrintApproved => "审核：", "Approved by:";
    PrintConfidential => "客户档案属公司机密，请妥善保管，不得外传。", "Customer archives are confidential: keep this form safe and do not pass it on.";
    PrintListTitle => "客户一览表", "Customer list";
    PrintList => "打印列表", "Print list";
    PrintProfile => "打印档案表", "Print form";
    ExportCsv => "导出 CSV", "Export CSV";
    ExportXlsx => "导出 Excel", "Export Excel";
    ExportVcard => "导出通讯录", "Export contacts";
    Exporting => "正在导出…", "Exporting…";
    ExportDone => "已导出 {} 份档案", "{} profiles exported";
    BackupAdminsOnly => "备份和恢复含全部档案，由管理员操作。", "Backups hold the whole archive: an administrator makes and restores them.";
    ExportMasked => "（个人信息和证件号已按权限遮蔽）", " (personal details and ID numbers masked, as your role requires)";
    ExportFailed => "导出失败：", "Export failed: ";
    ExportFileStem => "客户档案", "customers";
    ErrWorker => "导入导出程序没有响应，请刷新页面后再试", "The import/export helper did not respond; reload the page and try again";
    ErrDownload => "浏览器没有开始下载", "The browser did not start the download";
    PickForExport => "选中以导出", "Tick to export";
    Picked => "已选 {} 份，导出只含这些", "{} ticked: exports hold only these";
    Unpick => "取消选择", "Clear ticks";
    ExportHint => "导出当前列表（含筛选和搜索结果）", "Exports the current list (with its filters and search)";
    BackupTitle => "备份与恢复", "Backup and restore";
    BackupHint => "备份文件包含全部档案、历史记录、每次修改的记录和冲突，以及本机设置（不含同步令牌和加密口令）。请存放在安全的地方。", "A backup holds every profile, history item, change record and kept conflict, and this device's settings (never the sync token or passphrase). Keep it somewhere safe.";
    BackupDownload => "下载完整备份", "Download a full backup";
    BackupRestore => "从备份恢复…", "Restore from a backup…";
    BackupMaking => "正在生成备份…", "Making the backup…";
    BackupMade => "备份已下载：{} 份档案，{} 条历史记录。", "Backup downloaded: {} profiles, {} history items.";
    BackupReading => "正在检查备份文件…", "Checking the backup file…";
    BackupRestoring => "正在恢复…", "Restoring…";
    BackupHolds => "这份备份生成于 {}（设备 {}），包含 {} 份档案、{} 条历史记录。", "This backup was made on {} (device {}) and holds {} profiles and {} history items.";
    BackupMergeHint => "恢复会把备份合并进本机档案：缺少的记录和修改会补上，本机较新的修改不会被覆盖，双方都改过的字段会列为冲突。", "Restoring merges the backup into this archive: missing records and changes are added, newer changes here are not overwritten, and fields changed on both sides are listed as conflicts.";
    BackupMerge => "合并恢复", "Restore (merge)";
    BackupRestored => "恢复完成：{} 份记录有更新，{} 份已是最新。", "Restored: {} records gained changes, {} were already up to date.";
    BackupRestoreFailed => "恢复没有完成，档案没有改动。", "The restore did not finish; the archive is unchanged.";
    BackupNotJson => "这不是备份文件（无法读取 JSON）", "This is not a backup file (not readable JSON)";
    BackupNotABackup => "这不是档案的备份文件。", "This is not a Dangan backup file.";
    BackupNewer => "这份备份来自更新版本（格式 {}），请先更新应用。", "This backup comes from a newer version (format {}); update the app first.";
    BackupBadRecord => "备份文件已损坏（记录 {}），没有恢复任何内容。", "The backup is damaged (record {}); nothing was restored.";
    PayTransfer => "转账", "Bank transfer";
    PayCash => "现金", "Cash";
    PayCard => "刷卡", "Card";
    PayWeChat => "微信", "WeChat Pay";
    PayAlipay => "支付宝", "Alipay";
    PayCheque => "支票", "Cheque";
    PayOther => "其他", "Other";
    MoveFillUp => "寄售补货", "Fill-up";
    MoveIssue => "寄售发货（已售）", "Issue (sold)";
    MovePickUp => "寄售提货（取回）", "Pick-up";
    MoveReturn => "寄售退货", "Return to consignment";
    MoveCount => "盘点", "Count";
    AcctAskAgain => "重新提交审批", "Ask for approval again";
    HoldDispute => "纠纷", "dispute";
    HoldAccident => "事故", "accident";
    HoldAuthority => "有权机关要求", "authority's instruction";
    HoldComplaint => "重大投诉", "major complaint";
    RetLabel => "保管期限", "Retention";
    RetUntil => "保留至 {}", "Kept until {}";
    RevPastRetention => "已过保管期限", "Past its retention";
    RevInactive => "一年以上无往来", "No activity for over a year";
    RevIncomplete => "档案不完整", "Incomplete";
    RevDuplicate => "疑似重复", "Possible duplicate";
    RetPermanent => "永久保留：{}", "Kept permanently: {}";
    RetWhileOpen => "账款未结清，保留", "Kept while the account is open";
    RetPeriodFeb => "{} 年 2 月复核", "February {} review";
    RetPeriodAug => "{} 年 8 月复核", "August {} review";
    DesTitle => "档案销毁", "Destruction";
    DesApply => "申请销毁", "Apply to destroy";
    DesApplyTitle => "申请销毁：{}", "Apply to destroy: {}";
    DesReason => "销毁原因", "Reason";
    DesSubmit => "提交申请", "Submit the application";
    DesApplied => "已提交销毁申请，等待另一位超级管理员审批", "Application submitted: another super administrator approves it";
    DesPending => "待审批的销毁申请", "Applications waiting for approval";
    DesNoPending => "没有待审批的销毁申请。", "No application is waiting.";
    DesCheck => "销毁前核对：", "Check before destruction:";
    DesCheckLine => "将销毁 {} 条记录（档案、往来记录、账款），摘要 {}", "{} records will be destroyed (profiles, history, account entries); digest {}";
    DesNotDue => "保管期限未到", "its retention is not over";
    DesGoneHere => "（本机没有这份档案）", "(not on this device)";
    DesApprove => "批准并销毁", "Approve and destroy";
    DesRefuseReason => "拒绝原因", "Reason for refusing";
    DesWaitOther => "须由申请人以外的超级管理员批准。", "A super administrator other than the applicant approves it.";
    DesToken => "同步服务器管理员令牌", "Sync endpoint administrator's token";
    DesTokenHint => "本档案库与服务器同步：服务器上的副本也将清除，需要管理员令牌（不保存）。", "This archive syncs: the endpoint's copies are erased too, which needs an administrator's token (not kept).";
    DesConfirmTitle => "永久销毁这些档案？", "Destroy these profiles for good?";
    DesConfirmBody => "档案及其往来记录、账款和修改记录将在本机、其他设备和同步服务器上永久清除，无法恢复。销毁登记簿保留登记号、原因和记录数。", "The profiles with their history, account entries and change records are erased for good on this device, on the other devices and on the sync endpoint. The register keeps the number, the reason and the count.";
    DesDone => "已销毁，登记号 {}", "Destroyed: register number {}";
    DesRegister => "销毁登记簿", "Destruction register";
    DesRegEmpty => "尚无销毁记录。", "Nothing has been destroyed.";
    DesNo => "登记号", "Number";
    DesDate => "日期", "Date";
    DesApplicant => "申请人", "Applicant";
    DesApprover => "批准人", "Approver";
    DesCount => "记录数", "Records";
    DesDigest => "摘要", "Digest";
    DesRefusedTitle => "已拒绝的申请", "Refused applications";
    DesRefusedBy => "{} 拒绝：{}", "Refused by {}: {}";
    DesAppliedBy => "{} 于 {} 申请", "Applied for by {} on {}";
    DesErrToken => "本档案库与服务器同步：请填写同步服务器的管理员令牌。", "This archive syncs: enter the sync endpoint's administrator's token.";
    DesErrBlocked => "不能销毁：", "Cannot be destroyed: ";
    DesErrBadToken => "服务器没有接受这个令牌：销毁需要本档案库的管理员令牌（不是设备令牌），且未撤销、未过期。", "The endpoint did not take this token: a destruction needs this archive's administrator's token (not a device token), neither revoked nor expired.";
    DesCannotApply => "上面的档案现在不能销毁，不能提交申请：请先结清账款或解除保留标记。", "The profile above cannot be destroyed now: settle its account or lift its hold first.";
    BackupWithFiles => "包含资料与照片的原件（下载为 ZIP）", "Include the documents' and photos' originals (downloads a ZIP)";
    BackupFilesMade => "含 {} 个原件，共 {}。", " With {} originals, {}.";
    BackupFilesMissing => "{} 个原件不在本机，也无法从同步服务取回，未包含。", " {} originals are not on this device and could not be fetched; not included.";
    BackupFilesHeld => "另含 {} 个原件，共 {}。", " It also holds {} originals, {}.";
    BackupFilesDamaged => "{} 个原件已损坏，不会恢复。", " {} originals are damaged and will not be restored.";
    BackupFilesRestored => "原件：恢复 {} 个，本机已有 {} 个。", " Originals: {} restored, {} already here.";
    BackupRefusedDestroyed => " {} 份已销毁的记录未恢复。", " {} records of destroyed profiles were not restored.";
    HoldWhat => "保留：{}", "Hold: {}";
    HoldSet => "设置保留", "Set a hold";
    HoldKindLabel => "保留原因类别", "Kind of hold";
    HoldReason => "保留说明", "Reason for the hold";
    HoldLift => "解除保留", "Lift the hold";
    HoldLiftReason => "解除原因", "Reason for lifting";
    HoldLine => "{}：{}（{} 设置）", "{}: {} (set by {})";
    HoldDone => "已设置保留", "Hold set";
    HoldLifted => "已解除保留", "Hold lifted";
    StandActive => "正常往来", "Trading";
    StandSuspended => "停止往来", "Trade suspended";
    StandPast => "历史客户", "Past customer";
    FStanding => "往来状态", "Relationship";
    RevTitle => "档案复核", "Archive review";
    RevNav => "复核", "Review";
    RevCounts => "本期待复核 {} 份：已过保管期限 {}，一年以上无往来 {}，不完整 {}，疑似重复 {}", "Due in this review: {} (past retention {}, no activity for a year {}, incomplete {}, possible duplicates {})";
    RevRecord => "记录本期复核完成", "Record this review as done";
    RevRecordNote => "复核说明", "Note on the review";
    RevRecorded => "已记录本期复核", "Review recorded";
    RevDoneLine => "{}：{} 由 {} 完成，当时待复核 {} 份", "{}: done on {} by {}, {} were due";
    RevNone => "本期没有需要复核的档案。", "Nothing is due in this review.";
    RevCustomer => "客户", "Customer";
    RevWhy => "原因", "Why";
    RevLastActivity => "最后往来", "Last activity";
    RevActions => "处理", "Action";
    RevMore => "另有 {} 份未列出：先处理上面的。", "{} more not listed: deal with the ones above first.";
    RevKeep => "保留", "Keep";
    RevKeepReason => "保留理由", "Reason to keep";
    RevKeptDone => "已保留", "Kept";
    RevMarked => "已标记为{}", "Marked: {}";
    RevUpdate => "更新", "Update";
    RevMarkInvalid => "档案中有需要修正的内容，请先更新档案再标记。", "The profile has values to correct: update it before marking it.";
    DesInLog => "已销毁（{}）", "Destroyed ({})";
    MrgGone => "要合并的两份档案须都在本机且未删除，且不是同一份。", "Both profiles must be here, not deleted, and not the same one.";
    MrgInvalid => "合并后的档案有需要修正的内容：请先更新其中一份再合并。", "The merged profile would have values to correct: update one of them first.";
    MrgRevealReason => "合并重复档案", "Merging duplicate profiles";
    MrgTitle => "合并重复档案", "Merge a duplicate";
    MrgLink => "合并重复档案", "Merge a duplicate";
    MrgKeeps => "保留“{}”这份档案，把另一份并入它。", "Keep “{}” and merge the other profile into it.";
    MrgFind => "查找要并入的档案（姓名、电话、编码）", "Find the profile to merge in (name, phone, code)";
    MrgWith => "与“{}”不同的内容：选择保留哪一个", "Where it differs from “{}”: choose which value to keep";
    MrgSame => "两份档案的内容相同。", "The two profiles hold the same values.";
    MrgField => "项目", "Item";
    MrgEmpty => "（空）", "(empty)";
    MrgWhatMoves => "“{}”的往来记录和账款将显示在保留的档案中；它本身移入已删除，注明已并入。", "The history and account of “{}” show on the kept profile; it moves to Deleted, marked as merged.";
    MrgGo => "合并", "Merge";
    MrgSwap => "改为保留“{}”", "Keep “{}” instead";
    MrgConfirmTitle => "合并这两份档案？", "Merge these two profiles?";
    MrgConfirmBody => "被并入的档案将隐藏，所有设备同步后都会如此；在其他设备上对它的后续修改会转到保留的档案。", "The merged profile is hidden on every device once they sync; later edits of it made elsewhere land on the kept profile.";
    MrgDone => "已合并", "Merged";
    MrgMergedInto => "这份档案已并入", "This profile was merged into";
    FileLicense => "营业执照", "Business licence";
    FileContract => "合同", "Contract";
    FileIdCopy => "身份证件", "ID document";
    FileStatement => "对账单", "Statement";
    FileDelivery => "送货单", "Delivery note";
    FilePhoto => "照片", "Photo";
    FileOther => "其他", "Other";
    ErrDocTitleLong => "标题最多 60 个字", "A title has at most 60 characters";
    ErrDocNumberLong => "证照号码最多 40 个字符", "A number has at most 40 characters";
    ErrDocIssuedFuture => "签发日期不能晚于今天", "The issue date cannot be after today";
    ErrDocExpiresBefore => "有效期至不能早于签发日期", "The expiry date cannot be before the issue date";
    AttTitle => "资料与照片", "Documents and photos";
    AttTakePhoto => "拍照", "Take a photo";
    AttAdd => "添加文件", "Add files";
    AttEmpty => "还没有资料。可拍照，或添加营业执照、合同、对账单等（图片或 PDF）。", "No documents yet. Take a photo, or add a licence, a contract, a statement… (pictures or PDF).";
    AttAdding => "正在添加 {} / {}…", "Adding {} of {}…";
    AttAdded => "已添加 {} 个文件", "{} files added";
    AttRefusedLarge => "{}：{}，超过上限 {}，未添加", "{}: {} is over the limit of {}, not added";
    AttRefusedType => "{}：不是图片或 PDF，未添加", "{}: not a picture or a PDF, not added";
    AttRefusedEmpty => "{}：文件是空的，未添加", "{}: the file is empty, not added";
    AttOpen => "打开 {}", "Open {}";
    AttFetching => "正在取回原件…", "Fetching the original…";
    AttNotYet => "原件还在添加它的设备上，那台设备同步后即可打开。", "The original is still on the device that added it; it opens once that device syncs.";
    AttNotHere => "这台设备上没有原件，且这台设备未设置同步。", "The original is not on this device, and this device does not sync.";
    AttDamaged => "取回的原件与记录不符，未保存。请稍后再试。", "The original fetched does not match its record and was not kept. Try again later.";
    AttDownload => "下载原件", "Download the original";
    AttOpenPdf => "在新窗口打开", "Open in a new window";
    AttPrev => "上一个", "Previous";
    AttNext => "下一个", "Next";
    AttZoomIn => "放大", "Zoom in";
    AttPicture => "图片：双指或 + − 键缩放，方向键移动", "Picture: zoom with two fingers or the + − keys, move with the arrow keys";
    AttZoomOut => "缩小", "Zoom out";
    AttFit => "适合屏幕", "Fit to screen";
    AttClose => "关闭", "Close";
    AttKind => "类别", "Kind";
    AttDocTitle => "标题", "Title";
    AttNumber => "证照号码", "Number";
    AttIssued => "签发日期", "Issued on";
    AttExpires => "有效期至", "Valid until";
    AttBelongs => "关联记录", "Belongs to";
    AttBelongsNone => "整份档案", "The whole profile";
    AttSaved => "已保存资料说明", "Description saved";
    AttDeleteTitle => "删除这份资料？", "Delete this document?";
    AttDeleteBody => "它将从这份档案中移除，所有设备同步后都会如此。删除后可以撤销。", "It is removed from this profile on every device once they sync. You can undo it.";
    AttDeleted => "已删除资料", "Document deleted";
    AttRestored => "已恢复资料", "Document restored";
    AttExpiresIn => "{} 天后到期", "expires in {} days";
    AttExpiredAgo => "已过期 {} 天", "expired {} days ago";
    AttExpiresToday => "今天到期", "expires today";
    AttBy => "{} · {} 添加", "{} · added by {}";
    AttOf => "第 {} 个，共 {} 个", "{} of {}";
    AttAttach => "附加照片", "Attach a photo";
    AttNoPreview => "这个文件无法在此预览，可下载后查看。", "This file cannot be previewed here; download it to view it.";
    AttLimit => "单个文件上限（MB）", "Largest file (MB)";
    AttDownscale => "大照片缩小到 2048 像素后保存", "Bring large photos down to 2048 px before saving";
    AttKeepHere => "在这台设备上保留所有原件（离线也能打开）", "Keep every original on this device (they open offline)";
    AttUsage => "资料 {} 份；本机原件 {} 个，共 {}；待上传 {} 个", "{} documents; {} originals here, {}; {} waiting to upload";
    ErrAttLimit => "请输入 1 到 11 之间的整数", "Enter a whole number from 1 to 11";
    AttExpiringTitle => "证照到期", "Documents expiring";
    AttExpiringNone => "30 天内没有到期的证照。", "No document expires within 30 days.";
    ErrDocIdScanSealed => "证件扫描件须用「扫描证件」添加，才会加密保存。请删除后重新扫描。", "An ID scan must be added with “Scan an ID” to be kept sealed. Delete this one and scan it again.";
    ErrDocStaysIdScan => "证件扫描件加密保存，不能改为其他类别", "An ID scan is kept sealed and cannot become another kind";
    AttScanId => "扫描证件", "Scan an ID";
    AttSealed => "证件扫描件 · 已加密", "ID scan · sealed";
    AttSealedHint => "证件扫描件只有管理员（需填写原因）或获批准的申请人可以查看，每次查看都记入访问日志。", "An ID scan is seen only by an administrator (giving a reason) or an approved requester; every view is logged.";
    AttSealedShow => "查看证件", "View the ID scan";
    AttSealedReason => "查看原因", "Why you are viewing it";
    AttSealedOpen => "打开证件（记入日志）", "Open the ID scan (logged)";
    AttSealedNumber => "输入新号码以替换（已加密：{}）", "Type a new number to replace it (sealed: {})";
    AttSealedNumberOpen => "号码：{}（输入新号码以替换）", "Number: {} (type a new one to replace it)";
    QRequiredDoc => "资料：", "Document: ";
    AttSealedLabel => "证件扫描件", "ID scan";
    AttNeedSignIn => "请先登录：证件扫描件以登录人员的密钥加密。", "Sign in first: an ID scan is sealed with the signed-in person's key.";
    DesNone => "请选择要销毁的档案", "Choose the profiles to destroy";
    DesWhat => "销毁 {} 份档案", "Destroy {} profiles";
    DesBlockHeld => "永久保留（{}），不能销毁", "Kept permanently ({}): cannot be destroyed";
    DesBlockOpen => "账款未结清，不能销毁", "The account is open: cannot be destroyed";
    CsgTitle => "寄售库存", "Consignment stock";
    CsgAsOfLabel => "截至", "As of";
    CsgNoStock => "这一天客户处没有寄售库存。", "No consignment stock at the customer's site on that day.";
    CsgItem => "物料", "Item";
    CsgQty => "数量", "Quantity";
    CsgUnit => "单位", "Unit";
    CsgValue => "金额", "Value";
    CsgTotal => "合计", "Total";
    CsgRecordTitle => "记录寄售业务", "Record a consignment movement";
    CsgMovement => "业务", "Movement";
    CsgCounted => "实盘数量", "Counted";
    CsgPrice => "单价（元）", "Unit price (¥)";
    CsgOnRecord => "账面数量", "On record";
    CsgRemoveLine => "移除这一行", "Remove this line";
    CsgChooseItem => "选择物料", "Choose an item";
    CsgDiff => "差异 {}", "Difference {}";
    CsgAddLine => "+ 添加一行", "+ Add a line";
    CsgRecord => "记录", "Record";
    CsgHint => "补货、提货只动库存不开票；发货（已售）记为销售，退货记为贷项；盘点按实盘数量调整库存，经另一位管理员审批后生效。", "Fill-ups and pick-ups move stock only; an issue (sold) is billed as a sale and a return credited; a count sets the stock to what was counted once another administrator approves it.";
    CsgPageTitle => "寄售", "Consignment";
    CsgCatalog => "寄售物料", "Consignment items";
    CsgCode => "物料编码", "Item code";
    CsgName => "物料名称", "Item name";
    CsgListPrice => "单价（元）", "List price (¥)";
    CsgSaveItem => "保存物料", "Save the item";
    CsgNewItem => "新物料", "New item";
    CsgEditItem => "修改", "Edit";
    CsgEditing => "修改物料：{}", "Editing item: {}";
    CsgItemSaved => "物料已保存", "Item saved";
    CsgNoItems => "还没有寄售物料。添加物料后，即可在客户账款页记录补货、发货、提货、退货和盘点。", "No consignment items yet. Once items are added, fill-ups, issues, pick-ups, returns and counts are recorded on a customer's account page.";
    CsgSites => "客户处库存", "Stock at customers' sites";
    CsgNobody => "这一天没有客户处有寄售库存。", "No customer had consignment stock on that day.";
    CsgCustomer => "客户", "Customer";
    CsgAdminsEdit => "只有管理员可以添加或修改物料。", "Only an administrator can add or change items.";
    CsgAllSites => "全部客户处", "All sites";
    CsgOpen => "寄售库存", "Consignment stock";
    LedSale => "销售/发票", "Sale / invoice";
    LedReceipt => "收款", "Receipt";
    LedReturn => "退货/红字", "Return / credit note";
    LedAdjustment => "调整", "Adjustment";
    LedOpening => "期初余额", "Opening balance";
    LedReversal => "冲销", "Reversal";
    LedConsignment => "寄售", "Consignment";
    LedSummary => "{} {} ¥{}：{}", "{} {} ¥{}: {}";
    CreditWouldExceed => "保存后将超出信用额度 {}，超出 {}。", "Saving this would pass the credit limit of {} by {}.";
    CreditAlreadyOver => "已超出信用额度 {}，超出 {}。", "Already over the credit limit of {} by {}.";
    CreditPastDays => "{} 的发票尚欠 {}，已 {} 天未付，超过信用天数 {} 天。", "The invoice of {} still owes {}: unpaid for {} days, past the credit limit of {} days.";
    RatingNoInvoices => "近 12 个月没有发票，无从评估。", "No invoices in the last 12 months: nothing to judge by.";
    RatingInvoices => "近 12 个月 {} 张发票，{} 张逾期付款（按金额占 {}%）", "{} invoices in the last 12 months, {} paid late ({}% of the amount)";
    RatingAvgLate => "，逾期的平均超期 {} 天", ", on average {} days beyond terms";
    RatingWorstOpen => "；最久一张已逾期 {} 天未付", "; the oldest open one is {} days past due";
    AcctNav => "账款", "Account";
    StmtTitle => "对账单", "Statement";
    RcvTitle => "应收账款", "Receivables";
    RcvTerms => "按客户分类的信用额度与账期", "Credit limits and terms by customer class";
    RcvTermsHow => "客户自己的额度和账期优先；留空表示不限（账期默认 30 天）。", "A customer's own limit and terms come first; empty means none (terms default to 30 days).";
    RcvTermsSuperOnly => "只有超级管理员可以修改。", "Only a super administrator can change these.";
    RcvTermsSaved => "信用政策已保存", "Credit terms saved";
    RcvNav => "应收", "Receivables";
    RcvReading => "正在读取账款…已读 {} 笔", "Reading the accounts… {} entries so far";
    RcvEdges => "账龄段(天)", "Buckets (days)";
    RcvEdgesNumbers => "请用逗号分隔天数，例如 30, 60, 90", "Separate the days with commas, e.g. 30, 60, 90";
    RcvEdgesIncreasing => "天数须大于 0 且逐个增大", "The days must be above 0 and increasing";
    RcvEdgesCount => "请填写 1 到 6 个分段", "Give 1 to 6 bucket edges";
    RcvCustomers => "{} 位客户有未结账款（共 {} 笔记录）", "{} customers with open accounts ({} entries)";
    RcvMore => "只显示前 {} 位，共 {} 位；导出包含全部。", "The first {} of {} are shown; the export holds them all.";
    RcvOwing => "逾期与超额客户", "Overdue and over the limit";
    RcvNobodyOwes => "没有逾期或超额的客户。", "Nobody is overdue or over their limit.";
    RcvOverLimit => "超出额度", "Over limit by";
    RcvOldestDays => "{} · 逾期 {} 天", "{} · {} days past due";
    StmtFrom => "从", "From";
    StmtTo => "至", "To";
    StmtBadPeriod => "请选择有效的期间（开始日期不晚于结束日期）", "Choose a valid period (the start no later than the end)";
    StmtSummary => "摘要", "Description";
    StmtOpening => "期初余额", "Opening balance";
    StmtTotals => "本期合计", "Totals for the period";
    StmtClosing => "期末余额", "Closing balance";
    StmtFile => "对账单 {} {} 至 {}", "Statement {} {} to {}";
    StmtPeriod => "期间：{} 至 {}", "Period: {} to {}";
    StmtDear => "：贵方与我方的往来账目如下，请核对。", ": your account with us is as follows; please check it.";
    StmtAgingAt => "截至 {} 的账龄（按到期日）", "Aging at {} (by due date)";
    StmtConfirmText => "以上账目如核对无误，请签章确认后交回；如有不符，请注明不符的金额及原因。", "If the account above is correct, please sign, stamp and return it; if not, state the amount that differs and why.";
    StmtCustomerSeal => "客户确认（签章）：", "Confirmed by the customer (signature, stamp):";
    StmtSignDate => "日期：", "Date:";
    StmtOurs => "我方经办人", "For us";
    StmtMade => "制表日期 {}", "Made on {}";
    AcctAlertOverdue => "逾期欠款 {}", "Overdue {}";
    AcctTitle => "账款 · {}", "Account · {}";
    AcctTerms => "账期 {} 天", "terms {} days";
    AcctBackToProfile => "返回档案", "Back to profile";
    AcctOldestWhat => "{} {} 尚欠 {}", "{} {} owes {}";
    AcctNoLimit => "未设", "None set";
    AcctRatingSaved => "信用等级已更新", "Credit rating updated";
    AcctBalance => "余额", "Balance";
    AcctUnapplied => "含未核销预收 {}", "incl. {} unapplied credit";
    AcctOverdue => "逾期", "Overdue";
    AcctOldest => "最早未付", "Oldest unpaid";
    AcctNothingOpen => "没有未付发票", "No unpaid invoices";
    AcctLimit => "信用额度", "Credit limit";
    AcctRating => "信用评级", "Credit rating";
    AcctRatingNow => "当前：", "Now: ";
    AcctRatingSuggested => "建议：", "Suggested: ";
    AcctAcceptRating => "采用建议", "Accept the suggestion";
    AcctKeepRating => "或保持当前评级", "or keep the current rating";
    AcctSentForApproval => "已记录，等待管理员审批", "Recorded; waiting for an administrator's approval";
    AcctRecorded => "已记录", "Recorded";
    AcctAmountReceived => "收款金额(元)", "Amount received (¥)";
    AcctAmountOpening => "期初余额(元，预收填负数)", "Opening balance (¥, credit as negative)";
    AcctAmount => "金额(元)", "Amount (¥)";
    AcctNewEntry => "记一笔", "New entry";
    AcctKind => "类型", "Kind";
    AcctDate => "日期", "Date";
    AcctDoc => "单据号", "Document no.";
    AcctDue => "到期日", "Due";
    AcctMethod => "收款方式", "Paid by";
    AcctDirection => "方向", "Direction";
    AcctDown => "减少应收（折让、核销）", "Reduce (discount, write-off)";
    AcctUp => "增加应收", "Increase";
    AcctReason => "原因", "Reason";
    AcctNote => "备注", "Note";
    AcctPays => "先冲这些发票（不选则从最早的开始）", "Pay these invoices first (none: oldest first)";
    AcctAgainst => "冲减发票", "Against invoice";
    AcctOldestFirst => "从最早的发票冲减", "Oldest invoice first";
    AcctOverAdmin => "这笔销售超出信用额度。作为管理员，您可以仍然保存，系统会记录由您批准。", "This sale passes the credit limit. As an administrator you may save it anyway; it is recorded as allowed by you.";
    AcctSaveAnyway => "仍然保存", "Save anyway";
    AcctOverNeedsAdmin => "这笔销售超出信用额度，需要管理员在此输入 PIN 批准后才能保存。", "This sale passes the credit limit: an administrator must approve it here with their PIN before it is saved.";
    AcctApproveAndSave => "批准并保存", "Approve and save";
    AcctRecord => "记录", "Record";
    AcctAdjustmentHint => "调整需另一位管理员批准后才计入余额。", "An adjustment counts once another administrator approves it.";
    AcctDueHint => "不填到期日时按账期 {} 天计算。", "Without a due date it is due after the {}-day terms.";
    AcctOverBy => "超额批准：", "over limit, allowed by";
    AcctPaysShort => "冲", "pays";
    AcctAgainstShort => "冲减", "against";
    AcctReverses => "冲销", "reverses";
    AcctRefused => "已驳回", "Refused";
    AcctPending => "待审批", "Awaiting approval";
    AcctReversed => "已冲销", "Reversed";
    AcctVoid => "无效", "Void";
    AcctLedger => "明细账", "Ledger";
    AcctNoEntries => "还没有账款记录。用上面的表单记第一笔。", "No entries yet. Record the first one with the form above.";
    AcctDebit => "应收增加", "Debit";
    AcctCredit => "应收减少", "Credit";
    AcctDetail => "说明", "Details";
    AcctActions => "操作", "Actions";
    AcctReverse => "冲销", "Reverse";
    AcctApprove => "批准", "Approve";
    AcctReversedDone => "已冲销", "Reversed";
    AcctReverseWhy => "冲销原因", "Why it is reversed";
    AcctApproved => "已批准", "Approved";
    AcctRefusedDone => "已驳回", "Refused";
    AcctDaysUnit => "天", "days";
    AcctNotDue => "未到期", "Not due";
    AcctAging => "账龄", "Aging";
    AcctAsOf => "截止日期", "As of";
    AcctBasis => "按", "By";
    AcctByDue => "到期日", "Due date";
    AcctByInvoice => "发票日期", "Invoice date";
    AcctUnappliedShort => "预收", "Unapplied";
    AcctTotal => "合计", "Total";
    AcctOpenInvoices => "未付发票", "Unpaid invoices";
    AcctOpen => "未付", "Open";
    AcctDays => "天数", "Days";
    AcctBucket => "账龄段", "Bucket";
    ErrNegativeStock => "{} 的寄售库存将在 {} 变为 {}，不能保存。", "The consignment stock of {} would fall on {} to {}: not saved.";
    ErrNotReversible => "这一笔已冲销过、本身是冲销，或还未批准，不能再冲销。", "This entry was reversed already, is a reversal, or is not approved: it cannot be reversed.";
    ErrQuota => "设备存储空间已满。请在“设置 → 本机存储”查看用量，清理空间后再保存。", "The device's storage is full. See Settings → Storage, free some space and save again.";
    ErrLanguage => "另一种语言的文字未能载入，请检查网络后重试", "The other language's texts did not load; check the connection and try again";
    ErrNames => "拼音表未能载入，无法为姓名建立拼音检索。请检查网络后重试（内容未保存）。", "The pinyin table did not load, so names cannot be indexed for pinyin search. Check the connection and try again (nothing was saved).";
}

/// The default desk name as records hold it, in either language: `Msg::DefaultStaff`'s texts (a
/// test keeps them equal), for reading records where only the shown language's texts are there.
pub const DEFAULT_STAFF_RECORDED: [&str; 2] = ["前台", "Front desk"];

/// Fills the `{}` placeholders of a message in order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    out.push_str(parts.next().unwrap_or_default());
    for (i, part) in parts.enumerate() {
        match args.get(i) {
            Some(a) => out.push_str(&a.to_string()),
            None => out.push_str("{}"),
        }
        out.push_str(part);
    }
    out
}

/// A byte count for people: `512 B`, `12.3 KB`, `4.5 MB`, `2.1 GB` (1 KB = 1024 B).
pub fn bytes(n: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n.max(0.0);
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{v:.0} {}", UNITS[0])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for m in Msg::ALL {
            let (zh, en) = m.texts();
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{m:?} is missing a text");
        }
        // The packed tables give each message its own texts, first and last included.
        assert_eq!(Msg::RoleUser.texts(), ("普通用户", "Ordinary user"));
        assert_eq!(Msg::RoleDeptAdmin.texts(), ("部门管理员", "Department administrator"));
        assert!(Msg::ALL.last().unwrap().texts().1.ends_with("(nothing was saved)."));
    }

    #[test]
    fn byte_counts_read_naturally() {
        assert_eq!(bytes(0.0), "0 B");
        assert_eq!(bytes(1023.0), "1023 B");
        assert_eq!(bytes(1536.0), "1.5 KB");
        assert_eq!(bytes(12.3 * 1024.0 * 1024.0), "12.3 MB");
        assert_eq!(bytes(2.0 * 1024f64.powi(3)), "2.0 GB");
        assert_eq!(bytes(-5.0), "0 B");
    }

    #[test]
    fn a_languages_file_gives_back_every_message_and_only_this_builds_file_is_taken() {
        for l in [Locale::Zh, Locale::En] {
            let texts = Texts::parse(catalogue(l)).unwrap();
            for &m in Msg::ALL {
                assert_eq!(texts.get(m), l.t(m), "{m:?} in {l:?}");
            }
        }
        // A file from another build: a message more, a message fewer, a last one cut off.
        let more: &'static str = Box::leak(format!("{}extra\0", catalogue(Locale::En)).into_boxed_str());
        let err = Texts::parse(more).err().unwrap();
        assert_eq!((err.found, err.expected), (Msg::ALL.len() + 1, Msg::ALL.len()));
        let all = catalogue(Locale::Zh);
        let fewer = &all[all.find('\0').unwrap() + 1..];
        assert!(Texts::parse(fewer).is_err());
        assert!(Texts::parse(&all[..all.len() - 1]).is_err());
        assert!(Texts::parse("").is_err());
    }

    #[test]
    fn the_default_desk_name_as_records_hold_it_is_the_messages_text() {
        let (zh, en) = Msg::DefaultStaff.texts();
        assert_eq!(DEFAULT_STAFF_RECORDED, [zh, en]);
    }

    #[test]
    fn the_app_shell_says_what_the_app_says() {
        // index.html draws these before the app loads, in Chinese with the English beside.
        let html = include_str!("../../index.html");
        for m in [Msg::AppName, Msg::SearchPlaceholder, Msg::Loading] {
            let (zh, en) = m.texts();
            assert!(html.contains(&format!(r#"data-en="{en}">{zh}<"#)), "the shell's {m:?} differs from the app's");
        }
        // And its script (public/shell.js: no inline script under the content security policy)
        // reads the language where the app keeps it, in the form the app writes it.
        let shell = include_str!("../../public/shell.js");
        assert!(html.contains("src=\"public/shell.js\""), "index.html loads the shell's script");
        assert!(shell.contains(&format!("'{}'", Locale::STORAGE_KEY)));
        assert_eq!(serde_json::to_string(&Locale::En).unwrap(), r#""En""#);
        assert_eq!(serde_json::to_string(&Locale::Zh).unwrap(), r#""Zh""#);
    }

    #[test]
    fn locale_from_browser_tag() {
        assert_eq!(Locale::from_tag("zh-CN"), Locale::Zh);
        assert_eq!(Locale::from_tag("zh-Hant-TW"), Locale::Zh);
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(Locale::from_tag("fr"), Locale::En);
        assert_eq!(Locale::En.t(Msg::Save), "Save");
        assert_eq!(Locale::Zh.t(Msg::Save), "保存");
    }
}
