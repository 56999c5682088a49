//! The profile model: "one customer, one archive" (一户一档). A [`Profile`] holds what is edited as a
//! whole (basic info, organisation form, preferences, special days, classification); everything that
//! happens over time is a separate [`HistoryItem`] with its own id and timestamps, never an array
//! rewritten in place, so that sync can merge them record by record.

use super::date::Date;
use serde::{Deserialize, Serialize};

/// Unix time in milliseconds.
pub type Millis = i64;

/// Who created and last changed a record, and when; `deleted_at` marks a soft delete.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub created_at: Millis,
    pub created_by: String,
    pub updated_at: Millis,
    pub updated_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<Millis>,
    /// The clock time of the change that created the record, while that change is all the record
    /// holds (sync: its merge state is then derived from the record itself, see `sync::records`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hlc: Option<super::sync::Hlc>,
}

impl Meta {
    /// Metadata of a record created now by `staff`.
    pub fn new(now: Millis, staff: &str) -> Meta {
        Meta {
            created_at: now,
            created_by: staff.into(),
            updated_at: now,
            updated_by: staff.into(),
            deleted_at: None,
            hlc: None,
        }
    }

    /// Records a change by `staff` at `now`.
    pub fn touch(&mut self, now: Millis, staff: &str) {
        self.updated_at = now.max(self.updated_at);
        self.updated_by = staff.into();
    }

    /// Marks a record as created by the change at `hlc` (bulk writes): the record then reads as
    /// its merge state materialises it on every device (`sync::records`): last changed at the
    /// change's time, by its creator.
    pub fn stamp_creation(&mut self, hlc: &super::sync::Hlc) {
        self.hlc = Some(hlc.clone());
        self.updated_at = hlc.millis as Millis;
        self.updated_by = self.created_by.clone();
    }

    /// Stamps a save: creation by `staff` at `now` for a record never saved (`created_at` 0),
    /// else a change.
    pub fn stamp_save(&mut self, now: Millis, staff: &str) {
        if self.created_at == 0 {
            *self = Meta { deleted_at: self.deleted_at, ..Meta::new(now, staff) };
        } else {
            self.touch(now, staff);
        }
    }
}

/// Generates `C`-like enums with a stable wire name, a numeric code for the search snapshot and
/// an i18n key for display.
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal => $msg:ident),+ $(,)? } default $def:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant,)+ }
        impl Default for $name { fn default() -> $name { $name::$def } }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// A compact code, stable across versions (used in the search snapshot).
            pub fn code(self) -> u8 { match self { $($name::$variant => $code),+ } }
            /// The value for a code; unknown codes give the default.
            pub fn from_code(c: u8) -> $name { match c { $($code => $name::$variant,)+ _ => $name::$def } }
            /// The i18n key of the display label.
            pub fn msg(self) -> super::i18n::Msg { match self { $($name::$variant => super::i18n::Msg::$msg),+ } }
        }
    };
}

coded_enum!(
    /// A natural person or an organisation (company, government body, travel agency…).
    CustomerKind { Person = 0 => KindPerson, Organisation = 1 => KindOrganisation } default Person
);
coded_enum!(
    /// Gender as recorded; `Unknown` until told.
    Gender { Unknown = 0 => GenderUnknown, Male = 1 => GenderMale, Female = 2 => GenderFemale } default Unknown
);
coded_enum!(
    /// Customer class (客户分类, seeds 001/002).
    CustomerClass {
        Important = 0 => ClassImportant,
        Main = 1 => ClassMain,
        Ordinary = 2 => ClassOrdinary,
        Potential = 3 => ClassPotential,
    } default Ordinary
);
coded_enum!(
    /// VIP or regular-guest mark, shown as a badge everywhere.
    GuestMark { None = 0 => MarkNone, Regular = 1 => MarkRegular, Vip = 2 => MarkVip } default None
);
coded_enum!(
    /// Credit rating (seed 000 §8): A pays on time, B often owes but is collectable, C is hard to collect.
    CreditRating { Unrated = 0 => CreditUnrated, A = 1 => CreditA, B = 2 => CreditB, C = 3 => CreditC } default Unrated
);
coded_enum!(
    /// Where the business relationship stands (the semi-annual review marks it; seed 002): trading,
    /// trade suspended (停止往来) or a past customer (历史客户).
    Standing { Active = 0 => StandActive, Suspended = 1 => StandSuspended, Past = 2 => StandPast } default Active
);
coded_enum!(
    /// Kind of identity document.
    IdDocType {
        ResidentId = 0 => DocResidentId,
        Passport = 1 => DocPassport,
        HkMacaoPermit = 2 => DocHkMacao,
        TaiwanPermit = 3 => DocTaiwan,
        ForeignResident = 4 => DocForeignResident,
        Other = 5 => DocOther,
    } default ResidentId
);
coded_enum!(
    /// Enterprise nature (企业性质) on the organisation form.
    EnterpriseNature {
        Unspecified = 0 => NatureUnspecified,
        StateOwned = 1 => NatureStateOwned,
        Foreign = 2 => NatureForeign,
        JointVenture = 3 => NatureJointVenture,
        Private = 4 => NaturePrivate,
        Government = 5 => NatureGovernment,
        Other = 6 => NatureOther,
    } default Unspecified
);
coded_enum!(
    /// National industry classification sections (GB/T 4754), the ones a front desk meets.
    Industry {
        Unspecified = 0 => IndUnspecified,
        Agriculture = 1 => IndAgriculture,
        Manufacturing = 2 => IndManufacturing,
        Construction = 3 => IndConstruction,
        WholesaleRetail = 4 => IndWholesaleRetail,
        Transport = 5 => IndTransport,
        AccommodationCatering = 6 => IndAccommodation,
        InformationTech = 7 => IndIt,
        Finance = 8 => IndFinance,
        RealEstate = 9 => IndRealEstate,
        Education = 10 => IndEducation,
        Health = 11 => IndHealth,
        PublicAdministration = 12 => IndPublicAdmin,
        Other = 13 => IndOther,
    } default Unspecified
);
coded_enum!(
    /// Structured kinds of preference and special info (seed 000 §5).
    PrefKind {
        Taboo = 0 => PrefTaboo,
        Allergy = 1 => PrefAllergy,
        Room = 2 => PrefRoom,
        Pillow = 3 => PrefPillow,
        Floor = 4 => PrefFloor,
        View = 5 => PrefView,
        Diet = 6 => PrefDiet,
        Hobby = 7 => PrefHobby,
        Habit = 8 => PrefHabit,
        TravelPurpose = 9 => PrefTravelPurpose,
        Reading = 10 => PrefReading,
        Hygiene = 11 => PrefHygiene,
        Other = 12 => PrefOther,
    } default Other
);
coded_enum!(
    /// Kinds of special day (seed 000 §5).
    DayKind { Birthday = 0 => DayBirthday, Anniversary = 1 => DayAnniversary, Festival = 2 => DayFestival, Other = 3 => DayOther } default Other
);
coded_enum!(
    /// Which calendar a special day is kept in: Gregorian, or the Chinese lunar calendar (its month
    /// and day are then lunar; `LunarLeap` is a day of a leap month, see `domain::lunar`).
    DayCalendar { Solar = 0 => CalSolar, Lunar = 1 => CalLunar, LunarLeap = 2 => CalLunarLeap } default Solar
);
coded_enum!(
    /// A customer's grade in an ABC analysis: A makes the first share of the value (70% by
    /// default), B the next (20%), C the rest.
    AbcClass { A = 0 => AbcA, B = 1 => AbcB, C = 2 => AbcC } default C
);
coded_enum!(
    /// What an ABC analysis ranks customers by (one, or several weighted).
    AbcIndicator {
        Revenue = 0 => AbcByRevenue,
        Stays = 1 => AbcByStays,
        Nights = 2 => AbcByNights,
        Visits = 3 => AbcByVisits,
        Covers = 4 => AbcByCovers,
        Consumptions = 5 => AbcByConsumptions,
    } default Revenue
);
coded_enum!(
    /// Complaint severity (seed 004: 轻微 / 一般 / 重大 / 特大), by money involved and reach.
    Severity { Minor = 0 => SevMinor, General = 1 => SevGeneral, Major = 2 => SevMajor, Critical = 3 => SevCritical } default General
);
coded_enum!(
    /// Where a complaint stands.
    ComplaintStatus { Open = 0 => StatusOpen, Resolved = 1 => StatusResolved, Closed = 2 => StatusClosed } default Open
);

impl AbcClass {
    /// The grade as written on its badge: `A`, `B`, `C`.
    pub fn letter(self) -> &'static str {
        ["A", "B", "C"][self.code() as usize]
    }
}

impl PrefKind {
    /// Taboos and allergies are shown as alerts at the top of the profile.
    pub fn is_alert(self) -> bool {
        matches!(self, PrefKind::Taboo | PrefKind::Allergy)
    }
}

impl Severity {
    /// The default time to resolve: 2 h minor and 12 h general (seed 004); major and critical
    /// complaints go to the customer-service centre with management approval: 24 h and 48 h.
    pub fn default_deadline_hours(self) -> i64 {
        match self {
            Severity::Minor => 2,
            Severity::General => 12,
            Severity::Major => 24,
            Severity::Critical => 48,
        }
    }
}

/// An identity document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdDocument {
    pub kind: IdDocType,
    pub number: String,
}

/// A contact person of an organisation, or a person's emergency contact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub phone: String,
}

/// A structured preference: pillow, floor, diet, allergy, taboo…
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preference {
    pub kind: PrefKind,
    pub value: String,
}

/// A recurring special day (birthday, wedding anniversary, festival).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    pub kind: DayKind,
    pub month: u8,
    pub day: u8,
    #[serde(default)]
    pub label: String,
    /// Gregorian unless told (older records have no such field).
    #[serde(default, skip_serializing_if = "DayCalendar::is_solar")]
    pub calendar: DayCalendar,
}

impl DayCalendar {
    fn is_solar(&self) -> bool {
        *self == DayCalendar::Solar
    }

    pub fn is_lunar(self) -> bool {
        self != DayCalendar::Solar
    }
}

impl SpecialDay {
    /// Days from `today` until the day next falls (0 when it is today): a lunar day on its
    /// Gregorian day of this lunar year or the next; `None` for a lunar day outside the calendar's
    /// table (1901–2100).
    pub fn days_until(&self, today: Date) -> Option<i64> {
        match self.calendar {
            DayCalendar::Solar => Some(today.days_until_anniversary(self.month, self.day)),
            c => super::lunar::days_until(today, self.month, c == DayCalendar::LunarLeap, self.day),
        }
    }

    /// The day as written: `03-05`, or `农历四月初八` / `农历闰二月三十` for a lunar day.
    pub fn written(&self) -> String {
        match self.calendar {
            DayCalendar::Solar => format!("{:02}-{:02}", self.month, self.day),
            c => format!("农历{}", super::lunar::zh_label(self.month, c == DayCalendar::LunarLeap, self.day)),
        }
    }

    /// The day in the clerk's language: `03-05`; `农历四月初八` or `Lunar 04-08`, `Lunar leap 02-30`.
    pub fn written_in(&self, l: super::i18n::Locale) -> String {
        match (self.calendar, l) {
            (DayCalendar::Solar, _) | (_, super::i18n::Locale::Zh) => self.written(),
            (c, super::i18n::Locale::En) => format!("{} {:02}-{:02}", l.t(c.msg()), self.month, self.day),
        }
    }

    /// Reads a day as [`SpecialDay::written`] writes it (or `MM-DD` after `农历`): the calendar,
    /// month and day.
    pub fn parse_written(s: &str) -> Option<(DayCalendar, u8, u8)> {
        let s = s.trim();
        match s.strip_prefix("农历").or_else(|| s.strip_prefix("農曆")) {
            Some(rest) => {
                let (month, leap, day) = super::lunar::parse(rest)?;
                Some((if leap { DayCalendar::LunarLeap } else { DayCalendar::Lunar }, month, day))
            }
            None => super::validate::parse_month_day(s).map(|(m, d)| (DayCalendar::Solar, m, d)),
        }
    }

    /// Whether month and day exist in the day's calendar (a lunar month has at most 30 days).
    pub fn is_valid(&self) -> bool {
        match self.calendar {
            DayCalendar::Solar => Date::new(2000, self.month, self.day).is_some(),
            _ => (1..=12).contains(&self.month) && (1..=30).contains(&self.day),
        }
    }

    /// A birthday on the Gregorian day of a date of birth.
    pub fn birthday_of(born: Date) -> SpecialDay {
        SpecialDay { kind: DayKind::Birthday, month: born.month, day: born.day, ..SpecialDay::default() }
    }
}

/// The grade an applied ABC analysis gave a customer, with what explains it, so that every
/// device shows the same explanation. Kept in the profile as a one-element array: a merge takes it
/// whole, never a grade from one analysis with the inputs of another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbcGrade {
    pub class: AbcClass,
    /// The day the analysis was applied, and by whom.
    pub on: Date,
    #[serde(default)]
    pub by: String,
    /// The period analysed, both days included.
    pub from: Date,
    pub to: Date,
    /// The indicators and their weights in percent (one indicator: 100).
    pub weights: Vec<(AbcIndicator, u16)>,
    /// This customer's value of each indicator in the weights' order (money in fen).
    pub inputs: Vec<i64>,
    /// The score: the indicator's value (one indicator), else millionths of the weighted share.
    pub score: i64,
    /// Rank among `of` customers (1 = highest score).
    pub rank: u32,
    pub of: u32,
    /// The cut-offs in percent of the cumulative value: A up to `cut_a`, B the next `cut_b`.
    pub cut_a: u8,
    pub cut_b: u8,
    /// When the profile's own data was last changed before this grade was written (writing a
    /// grade is not keeping the archive up to date: see [`Profile::data_updated_at`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_updated: Option<Millis>,
}

mod one_grade {
    use super::AbcGrade;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(g: &Option<AbcGrade>, s: S) -> Result<S::Ok, S::Error> {
        g.as_ref().map(std::slice::from_ref).unwrap_or(&[]).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<AbcGrade>, D::Error> {
        Ok(Vec::<AbcGrade>::deserialize(d)?.into_iter().next())
    }
}

/// The organisation part of the U8-style customer archive form (seeds 001, 003).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Organisation {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub category_code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region_code: String,
    /// Id of the head-office customer in this archive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_office_id: Option<String>,
    pub industry: Industry,
    /// Tax number / unified social credit code.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tax_no: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub legal_rep: String,
    /// Registered capital in units of ten thousand yuan (万元), as written on the licence.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub registered_capital: String,
    pub nature: EnterpriseNature,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bank: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub account: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

/// A customer profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub kind: CustomerKind,
    /// Person's name, or an organisation's full name (printed on invoices).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Short name shown in lists (organisations).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub short_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub customer_code: String,
    pub gender: Gender,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Date>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ethnicity: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub native_place: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub nationality: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub language: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_doc: Option<IdDocument>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// A person's employer or company.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub company: String,
    pub org: Organisation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency_contact: Option<Contact>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub preferences: Vec<Preference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub special_days: Vec<SpecialDay>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// When the business relationship began (建立关系日期, the seeds' customer list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    pub class: CustomerClass,
    pub mark: GuestMark,
    pub credit: CreditRating,
    /// Trading, trade suspended or a past customer (the review marks it).
    #[serde(skip_serializing_if = "Standing::is_active")]
    pub standing: Standing,
    /// Credit limit by amount (fen) and by days (信用额度 / 信用天数); a part left unset follows
    /// the customer class's default in the policy.
    #[serde(skip_serializing_if = "super::ledger::credit::Limit::is_none")]
    pub credit_limit: super::ledger::credit::Limit,
    /// Payment terms (账期): a sale is due so many days after its date; unset, the class's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_days: Option<u16>,
    /// Merged into this profile (its id) by an administrator (issue 18): hidden like a deleted
    /// one; its history and account show on the survivor (`domain/merging.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
    /// The profiles merged into this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
    /// The writes of this profile the merge had seen (clock texts): a later edit made elsewhere
    /// without them lands on the survivor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_seen: Vec<String>,
    /// The grade of the last ABC analysis applied (经营 → ABC 分析).
    #[serde(skip_serializing_if = "Option::is_none", with = "one_grade")]
    pub abc: Option<AbcGrade>,
    pub meta: Meta,
}

impl Standing {
    pub fn is_active(&self) -> bool {
        *self == Standing::Active
    }
}

impl Profile {
    /// An empty person profile with an id, created now by `staff`.
    pub fn new(id: String, now: Millis, staff: &str) -> Profile {
        Profile { id, meta: Meta::new(now, staff), ..Profile::default() }
    }

    /// The name shown in lists: the short name of an organisation when it has one.
    pub fn display_name(&self) -> &str {
        if self.kind == CustomerKind::Organisation && !self.short_name.trim().is_empty() {
            self.short_name.trim()
        } else {
            self.name.trim()
        }
    }

    /// When the profile's data was last changed: its last change, unless that change was writing
    /// its ABC grade (the same local day and person as the grade says), then the last change
    /// before it. `local` gives a moment's local day.
    pub fn data_updated_at(&self, local: &dyn Fn(Millis) -> Date) -> Millis {
        match &self.abc {
            Some(g) if local(self.meta.updated_at) == g.on && self.meta.updated_by == g.by => {
                g.data_updated.unwrap_or(self.meta.updated_at)
            }
            _ => self.meta.updated_at,
        }
    }

    /// Whether the profile is in the "deleted" view.
    pub fn is_deleted(&self) -> bool {
        self.meta.deleted_at.is_some()
    }

    /// Alerts shown at the top of the profile: taboos, allergies, VIP, special days within 7 days.
    pub fn alerts(&self, today: Date) -> Vec<Alert> {
        let mut out = Vec::new();
        if self.mark == GuestMark::Vip {
            out.push(Alert::Vip);
        }
        for p in self.preferences.iter().filter(|p| p.kind.is_alert() && !p.value.trim().is_empty()) {
            out.push(Alert::Preference(p.clone()));
        }
        out.extend(self.days_within(today, 7).into_iter().map(|(n, d)| Alert::SpecialDay { day: d, in_days: n }));
        out
    }

    /// The special days falling within `horizon` days of `today` (0 = today), soonest first: each
    /// kept special day, and the date of birth as a birthday unless a birthday is kept. The
    /// profile's alerts and the reminders list both ask this.
    pub fn days_within(&self, today: Date, horizon: i64) -> Vec<(i64, SpecialDay)> {
        super::overview::facts::special_days_within(&self.special_days, self.birth_date, today, horizon)
    }
}

/// Something staff must see before anything else on a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Alert {
    Vip,
    Preference(Preference),
    SpecialDay { day: SpecialDay, in_days: i64 },
}

/// What happened: one stay, one bill, one complaint, one visit or one note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HistoryEntry {
    /// A stay (seed 000 §4): nights, room type, booking channel, amenities used, amount in fen.
    Stay { nights: u16, room_type: String, channel: String, amenities: String, amount_fen: i64 },
    /// Consumption (seed 000 §3): meal type or outlet, covers, amount in fen, discount, payment.
    Consumption { category: String, covers: u16, amount_fen: i64, discount_pct: u8, payment: String },
    /// A complaint and its handling (seeds 000, 004).
    Complaint {
        reason: String,
        severity: Severity,
        status: ComplaintStatus,
        /// When it must be resolved by.
        deadline: Millis,
        handling: String,
        feedback: String,
        return_visit: String,
        /// 1 (very unhappy) to 5 (very satisfied), once asked.
        satisfaction: Option<u8>,
    },
    /// A sales visit (seed 000 §4, the visit card).
    Visit { visitor: String, purpose: String, notes: String, next_step: String, next_date: Option<Date> },
    /// A free note.
    Note { text: String },
}

coded_enum!(
    /// The kinds of history entry, in the order the add form offers them.
    HistoryKind {
        Stay = 0 => HistStay,
        Consumption = 1 => HistConsumption,
        Complaint = 2 => HistComplaint,
        Visit = 3 => HistVisit,
        Note = 4 => HistNote,
    } default Stay
);

impl HistoryEntry {
    /// Which kind of entry this is.
    pub fn kind(&self) -> HistoryKind {
        match self {
            HistoryEntry::Stay { .. } => HistoryKind::Stay,
            HistoryEntry::Consumption { .. } => HistoryKind::Consumption,
            HistoryEntry::Complaint { .. } => HistoryKind::Complaint,
            HistoryEntry::Visit { .. } => HistoryKind::Visit,
            HistoryEntry::Note { .. } => HistoryKind::Note,
        }
    }
}

/// One dated history record of a profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub id: String,
    pub profile_id: String,
    /// The day it happened (arrival day of a stay, visit day…).
    pub date: Date,
    pub entry: HistoryEntry,
    pub meta: Meta,
}

impl HistoryItem {
    /// Timeline order: newest day first, then the later-recorded item first.
    pub fn newest_first(a: &HistoryItem, b: &HistoryItem) -> std::cmp::Ordering {
        b.date.cmp(&a.date).then(b.meta.created_at.cmp(&a.meta.created_at))
    }

    /// Whether this is an unresolved complaint past its deadline at `now`.
    pub fn is_overdue_complaint(&self, now: Millis) -> bool {
        matches!(&self.entry, HistoryEntry::Complaint { status: ComplaintStatus::Open, deadline, .. } if *deadline < now)
    }
}

/// Formats an amount in fen as yuan with two decimals.
pub fn format_fen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// An amount in fen as staff read money: `¥1,280.50`, `-¥30.00` (thousands grouped).
pub fn format_yuan(fen: i64) -> String {
    let s = format_fen(fen.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}¥{grouped}.{frac}", if fen < 0 { "-" } else { "" })
}

/// Parses a yuan amount such as `1280`, `1,280.5` or `¥99.90` into fen.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let t: String = s.trim().chars().filter(|c| !matches!(c, ',' | '¥' | '￥' | ' ')).collect();
    if t.is_empty() {
        return Some(0);
    }
    let (neg, t) = t.strip_prefix('-').map_or((false, t.as_str()), |r| (true, r));
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let yuan: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let fen: i64 = format!("{frac:0<2}").parse().ok()?;
    let v = yuan.checked_mul(100)?.checked_add(fen)?;
    Some(if neg { -v } else { v })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn money_round_trips() {
        assert_eq!(parse_yuan("1,280.5"), Some(128_050));
        assert_eq!(parse_yuan("¥99.90"), Some(9990));
        assert_eq!(parse_yuan("12.345"), None);
        assert_eq!(parse_yuan("abc"), None);
        assert_eq!(parse_yuan(""), Some(0));
        assert_eq!(format_fen(128_050), "1280.50");
        assert_eq!(format_fen(-5), "-0.05");
        assert_eq!(format_yuan(128_050), "¥1,280.50");
        assert_eq!(format_yuan(12_345_678_900), "¥123,456,789.00");
        assert_eq!(format_yuan(-3_000), "-¥30.00");
        assert_eq!(format_yuan(0), "¥0.00");
        assert_eq!(parse_yuan(&format_yuan(9_876_543)), Some(9_876_543));
    }

    #[test]
    fn alerts_show_vip_taboos_and_near_special_days() {
        let mut p = Profile::new("p1".into(), 0, "t");
        p.mark = GuestMark::Vip;
        p.preferences = vec![
            Preference { kind: PrefKind::Taboo, value: "忌数字4".into() },
            Preference { kind: PrefKind::Pillow, value: "荞麦枕".into() },
            Preference { kind: PrefKind::Allergy, value: "花生".into() },
        ];
        p.birth_date = Date::new(1980, 11, 25);
        p.special_days = vec![SpecialDay {
            kind: DayKind::Anniversary,
            month: 3,
            day: 1,
            label: "结婚纪念日".into(),
            ..SpecialDay::default()
        }];
        let alerts = p.alerts(Date::new(2026, 11, 22).unwrap());
        assert_eq!(alerts.len(), 4, "{alerts:?}");
        assert_eq!(alerts[0], Alert::Vip);
        assert!(matches!(&alerts[3], Alert::SpecialDay { in_days: 3, day } if day.kind == DayKind::Birthday));
    }

    #[test]
    fn profile_json_round_trip_and_tolerates_missing_fields() {
        let mut p = Profile::new("p1".into(), 5, "前台");
        p.name = "张三".into();
        p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002X".into() });
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Profile>(&json).unwrap(), p);
        let old: Profile = serde_json::from_str(r#"{"id":"x","name":"李四"}"#).unwrap();
        assert_eq!(old.abc, None);
        let d = Date::new(2026, 1, 1).unwrap();
        let grade = AbcGrade {
            class: AbcClass::A,
            on: d,
            by: "经理".into(),
            from: d,
            to: d,
            weights: vec![(AbcIndicator::Revenue, 60), (AbcIndicator::Stays, 40)],
            inputs: vec![128_000, 3],
            score: 412_000,
            rank: 1,
            of: 10,
            cut_a: 70,
            cut_b: 20,
            data_updated: None,
        };
        p.abc = Some(grade.clone());
        let v = serde_json::to_value(&p).unwrap();
        assert!(v["abc"].is_array(), "a merge takes the grade whole: {v}");
        assert_eq!(serde_json::from_value::<Profile>(v).unwrap().abc, Some(grade));
        assert_eq!(old.class, CustomerClass::Ordinary);
    }

    #[test]
    fn a_first_save_creates_and_later_saves_touch() {
        let mut m = Meta::default();
        m.stamp_save(100, "前台");
        assert_eq!((m.created_at, m.created_by.as_str(), m.updated_at), (100, "前台", 100));
        m.stamp_save(200, "经理");
        assert_eq!(
            (m.created_at, m.created_by.as_str(), m.updated_at, m.updated_by.as_str()),
            (100, "前台", 200, "经理")
        );
        m.stamp_save(150, "x");
        assert_eq!(m.updated_at, 200, "a clock going back never moves the change time back");
    }

    #[test]
    fn codes_are_stable() {
        for c in CustomerClass::ALL {
            assert_eq!(CustomerClass::from_code(c.code()), *c);
        }
        assert_eq!(CreditRating::from_code(99), CreditRating::Unrated);
    }
}
