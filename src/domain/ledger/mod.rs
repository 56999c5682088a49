//! Receivables (应收账款), credit (信用) and consignment (寄售), pure (seed 000 §8, seeds 001, 003,
//! 004; `domain.md` items 9 and 10).
//!
//! A customer's account is a set of **entries**, each a record of its own that is never edited:
//! an opening balance, a sale (invoice), a receipt, a return or credit note, an adjustment (counted
//! once approved), a reversal naming the entry it cancels, or a consignment movement (goods placed
//! at, sold by, taken back from or returned to the customer's site; a sale by the customer posts
//! its amount as an invoice). Amounts are fen (integers). Because entries only ever arrive, two
//! devices recording payments offline both count, once each: the set of entries is the account,
//! whatever order they came in, and everything here is computed from that set.
//!
//! - [`Account`]: the entries that count, as postings in a fixed order (date, time written, id),
//!   receipts and credits allocated to invoices (chosen ones first, then oldest first), the open
//!   items and balance **as of any date**;
//! - [`aging`]: days past due (or since the invoice) in editable buckets, per customer and
//!   archive-wide;
//! - [`statement`]: the reconciliation statement of a period;
//! - [`credit`]: limits by amount and by days, the check before a sale is saved, the suggested
//!   rating in words;
//! - [`stock`]: consignment items, stock per customer per item as of any date, refusal of a
//!   movement that would make a stock negative.

pub mod aging;
pub mod all;
pub mod credit;
pub mod statement;
pub mod stock;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

use super::date::Date;
use super::model::Meta;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

coded_enum!(
    /// How a receipt was paid.
    PayMethod {
        Transfer = 0 => PayTransfer,
        Cash = 1 => PayCash,
        Card = 2 => PayCard,
        WeChat = 3 => PayWeChat,
        Alipay = 4 => PayAlipay,
        Cheque = 5 => PayCheque,
        Other = 6 => PayOther,
    } default Transfer
);

coded_enum!(
    /// A consignment movement (seed 004): 寄售补货, 寄售发货, 寄售提货, 寄售退货, and a count.
    Movement {
        /// Goods placed at the customer's site: still ours, not billed.
        FillUp = 0 => MoveFillUp,
        /// The customer sold or used them: billed (posts a sale).
        Issue = 1 => MoveIssue,
        /// Taken back to our own stock: not billed.
        PickUp = 2 => MovePickUp,
        /// The customer's customer returned them to the customer's stock: a credit (posts a return).
        Return = 3 => MoveReturn,
        /// A count of the stock at the site: a difference is an adjustment awaiting approval.
        Count = 4 => MoveCount,
    } default FillUp
);

coded_enum!(
    /// The kinds of entry, in the order the desk offers them.
    EntryKind {
        Sale = 0 => LedSale,
        Receipt = 1 => LedReceipt,
        Return = 2 => LedReturn,
        Adjustment = 3 => LedAdjustment,
        Opening = 4 => LedOpening,
        Reversal = 5 => LedReversal,
        Consignment = 6 => LedConsignment,
    } default Sale
);

/// One item of a consignment movement: which item, how many, at what unit price (fen). For a
/// count, `qty` is the quantity counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub item: String,
    pub qty: i64,
    #[serde(default)]
    pub price_fen: i64,
}

/// What an entry records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    /// The balance brought in when the account starts here (期初): positive when the customer
    /// owes us, negative for a credit. Due on `due`, else on its date.
    Opening {
        amount_fen: i64,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        doc: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<Date>,
    },
    /// A sale or invoice (销售/发票).
    Sale {
        doc: String,
        amount_fen: i64,
        due: Date,
        /// Saved although it passed the credit limit: who allowed it and what it passed.
        #[serde(default, rename = "override", skip_serializing_if = "Option::is_none")]
        override_: Option<Override>,
    },
    /// Money received (收款). `pays`: the invoices (entry ids) it pays first, in order; the rest
    /// goes to the oldest open invoices.
    Receipt {
        amount_fen: i64,
        method: PayMethod,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        doc: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pays: Vec<String>,
    },
    /// Goods returned or a credit note (退货/红字): reduces what is owed, against one invoice when
    /// named, else the oldest.
    Return {
        amount_fen: i64,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        doc: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        against: Option<String>,
    },
    /// An adjustment (调整), up or down, with its reason; it counts once an administrator approved it.
    Adjustment { amount_fen: i64, reason: String },
    /// Cancels the entry `of` exactly (冲销): `amount_fen` is that entry's effect negated.
    Reversal { of: String, amount_fen: i64, reason: String },
    /// A consignment movement at the customer's site (its stock is in [`stock`]); an issue posts
    /// its amount as a sale due on `due`, a return as a credit.
    Consignment {
        movement: Movement,
        lines: Vec<Line>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        doc: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<Date>,
    },
}

/// A sale saved past the credit limit: by whose leave and what it passed (recorded with the sale).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The administrator who allowed it (staff id) and their name.
    pub by: String,
    pub by_name: String,
    /// What the check said when it was saved (in words of the language then in use).
    pub reason: String,
}

/// One entry of a customer's account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    /// The customer (profile id).
    pub profile_id: String,
    /// The day of the business (invoice date, day the money came…).
    pub date: Date,
    pub body: Body,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub meta: Meta,
}

impl Body {
    pub fn kind(&self) -> EntryKind {
        match self {
            Body::Opening { .. } => EntryKind::Opening,
            Body::Sale { .. } => EntryKind::Sale,
            Body::Receipt { .. } => EntryKind::Receipt,
            Body::Return { .. } => EntryKind::Return,
            Body::Adjustment { .. } => EntryKind::Adjustment,
            Body::Reversal { .. } => EntryKind::Reversal,
            Body::Consignment { .. } => EntryKind::Consignment,
        }
    }

    /// What it does to the balance (fen; positive: the customer owes more), approved or not.
    pub fn effect(&self) -> i64 {
        match self {
            Body::Opening { amount_fen, .. } | Body::Adjustment { amount_fen, .. } => *amount_fen,
            Body::Sale { amount_fen, .. } => *amount_fen,
            Body::Receipt { amount_fen, .. } | Body::Return { amount_fen, .. } => -*amount_fen,
            Body::Reversal { amount_fen, .. } => *amount_fen,
            Body::Consignment { movement: Movement::Issue, lines, .. } => lines_total(lines),
            Body::Consignment { movement: Movement::Return, lines, .. } => -lines_total(lines),
            Body::Consignment { .. } => 0,
        }
    }

    /// The document number shown in lists (invoice, receipt, delivery note).
    pub fn doc(&self) -> &str {
        match self {
            Body::Opening { doc, .. }
            | Body::Sale { doc, .. }
            | Body::Receipt { doc, .. }
            | Body::Return { doc, .. }
            | Body::Consignment { doc, .. } => doc,
            Body::Adjustment { .. } | Body::Reversal { .. } => "",
        }
    }

    /// Whether it counts only once an administrator approved it.
    pub fn needs_approval(&self) -> bool {
        matches!(self, Body::Adjustment { .. } | Body::Consignment { movement: Movement::Count, .. })
    }
}

/// The amount of a movement's lines (fen).
pub fn lines_total(lines: &[Line]) -> i64 {
    lines.iter().map(|l| l.qty.saturating_mul(l.price_fen)).fold(0i64, i64::saturating_add)
}

impl Entry {
    /// The order entries are taken in everywhere: by day, then when written, then the id's key
    /// ([`key_of`], as the compact form sorts). Every device holding the same entries sorts them
    /// alike.
    pub fn order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
        (a.date, a.meta.created_at, key_of(&a.id), &a.id).cmp(&(b.date, b.meta.created_at, key_of(&b.id), &b.id))
    }

    /// When the amount is due: a sale's due date, an opening balance's or an issue's when given,
    /// else the entry's date.
    pub fn due(&self) -> Date {
        match &self.body {
            Body::Sale { due, .. } => *due,
            Body::Opening { due: Some(d), .. } | Body::Consignment { due: Some(d), .. } => (*d).max(self.date),
            _ => self.date,
        }
    }
}

/// How an entry stands in its account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// It counts.
    Counts,
    /// An adjustment or count waiting for an administrator's approval: no effect yet.
    Pending,
    /// Cancelled by the reversal with this id (and on its day).
    Reversed,
    /// A reversal that cancels nothing: its entry was reversed before, is itself a reversal, or
    /// is pending. No effect.
    Void,
}

/// One posting: an entry that moves the balance, in the account's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    /// The entry's position in the slice the account was built from.
    pub entry: u32,
    pub date: Date,
    /// When a debit is due (the date for credits).
    pub due: Date,
    /// Positive: a debit (invoice, opening balance, upward adjustment); negative: a credit.
    pub amount: i64,
    /// For a credit: the debits (positions in `posts`) it pays first.
    pub pays: Box<[u32]>,
    /// For an entry reversed: the day the reversal counts from (it then counts no more).
    pub reversed_on: Option<Date>,
    /// For a reversal: the posting it cancels (both leave the allocation from its day).
    pub reverses: Option<u32>,
}

/// A debit and what of it is open as of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Open {
    /// Its position in [`Account::posts`].
    pub post: u32,
    pub date: Date,
    pub due: Date,
    pub amount: i64,
    /// What is still owed of it.
    pub open: i64,
    /// The day it was paid in full (the last credit's day, not before the debit's own), if it was.
    pub paid_on: Option<Date>,
}

/// What an account holds as of a date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// Debits with their open amounts, oldest first (paid ones included, `open` 0).
    pub debits: Vec<Open>,
    /// Credit not yet allocated to any debit (a prepayment, an overpayment): positive fen.
    pub unapplied: i64,
}

impl Position {
    /// The balance: what is owed, less unapplied credit.
    pub fn balance(&self) -> i64 {
        self.debits.iter().map(|d| d.open).sum::<i64>() - self.unapplied
    }

    /// The open debits, oldest first.
    pub fn open(&self) -> impl Iterator<Item = &Open> {
        self.debits.iter().filter(|d| d.open > 0)
    }

    /// What is past due on `on` (due before it).
    pub fn overdue(&self, on: Date) -> i64 {
        self.open().filter(|d| d.due < on).map(|d| d.open).sum()
    }

    /// The oldest unpaid debit.
    pub fn oldest_open(&self) -> Option<&Open> {
        self.open().min_by_key(|d| (d.date, d.post))
    }
}

/// One customer's account: its postings in order, and how each entry stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Account {
    pub posts: Vec<Post>,
    /// Per entry of the slice it was built from.
    pub standing: Vec<Standing>,
}

/// A stable 64-bit key of an entry id (FNV-1a): the order's tie-break and how the compact form
/// names entries.
pub fn key_of(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// What the account needs of an entry, without its text: kept for every entry of a large
/// archive (the archive-wide aging reads a million of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lite {
    pub key: u64,
    pub date: Date,
    pub created: i64,
    pub due: Date,
    pub effect: i64,
    /// Bit 0: needs approval; bit 1: a reversal.
    pub flags: u8,
    /// A reversal: the entry it reverses; a receipt: the invoices it pays first; a return: the
    /// invoice it is against.
    pub refs: Box<[u64]>,
}

impl Lite {
    pub fn of(e: &Entry) -> Lite {
        let refs: Vec<u64> = match &e.body {
            Body::Reversal { of, .. } => vec![key_of(of)],
            Body::Receipt { pays, .. } => pays.iter().map(|p| key_of(p)).collect(),
            Body::Return { against: Some(a), .. } => vec![key_of(a)],
            _ => Vec::new(),
        };
        Lite {
            key: key_of(&e.id),
            date: e.date,
            created: e.meta.created_at,
            due: e.due(),
            effect: e.body.effect(),
            flags: u8::from(e.body.needs_approval()) | (u8::from(matches!(e.body, Body::Reversal { .. })) << 1),
            refs: refs.into_boxed_slice(),
        }
    }

    fn needs_approval(&self) -> bool {
        self.flags & 1 != 0
    }

    fn is_reversal(&self) -> bool {
        self.flags & 2 != 0
    }
}

impl Account {
    /// The account of `entries` (one customer's, any order, duplicates by id counted once);
    /// `approved` tells whether an entry needing approval has it.
    pub fn of(entries: &[Entry], approved: &dyn Fn(&str) -> bool) -> Account {
        let lites: Vec<Lite> = entries.iter().map(Lite::of).collect();
        let approved_keys: std::collections::HashSet<u64> =
            entries.iter().filter(|e| e.body.needs_approval() && approved(&e.id)).map(|e| key_of(&e.id)).collect();
        Account::of_lites(&lites, &|k| approved_keys.contains(&k))
    }

    /// The account of entries in their compact form (positions in `posts` and `standing` are
    /// positions in `lites`); `approved` by key.
    pub fn of_lites(lites: &[Lite], approved: &dyn Fn(u64) -> bool) -> Account {
        let mut order: Vec<u32> = (0..lites.len() as u32).collect();
        order.sort_by_key(|&i| {
            let l = &lites[i as usize];
            (l.date, l.created, l.key)
        });
        order.dedup_by(|a, b| lites[*a as usize].key == lites[*b as usize].key);
        let mut standing = vec![Standing::Void; lites.len()];
        let by_key: HashMap<u64, u32> = order.iter().map(|&i| (lites[i as usize].key, i)).collect();
        for &i in &order {
            let e = &lites[i as usize];
            standing[i as usize] =
                if e.needs_approval() && !approved(e.key) { Standing::Pending } else { Standing::Counts };
        }
        // Reversals, in order: the first that names a counting, non-reversal entry cancels it.
        let mut reversal_of: HashMap<u32, u32> = HashMap::new();
        for &i in &order {
            let e = &lites[i as usize];
            if !e.is_reversal() {
                continue;
            }
            match e.refs.first().and_then(|k| by_key.get(k)) {
                Some(&o) if standing[o as usize] == Standing::Counts && !lites[o as usize].is_reversal() => {
                    standing[o as usize] = Standing::Reversed;
                    reversal_of.insert(i, o);
                }
                // Its entry has not arrived yet: it counts on its own (its amount is that entry's
                // effect negated, so the balance is right either way).
                None => {}
                Some(_) => standing[i as usize] = Standing::Void,
            }
        }
        let mut posts = Vec::new();
        let mut post_of: HashMap<u32, u32> = HashMap::new();
        let counted = |i: u32| matches!(standing[i as usize], Standing::Counts | Standing::Reversed);
        for &i in order.iter().filter(|&&i| counted(i)) {
            let e = &lites[i as usize];
            let amount = e.effect;
            if amount == 0 {
                continue;
            }
            // A reversal never counts before the entry it cancels.
            let date = match reversal_of.get(&i) {
                Some(&o) => e.date.max(lites[o as usize].date),
                None => e.date,
            };
            post_of.insert(i, posts.len() as u32);
            posts.push(Post {
                entry: i,
                date,
                due: if amount > 0 { e.due } else { date },
                amount,
                pays: Box::new([]),
                reversed_on: None,
                reverses: None,
            });
        }
        for (&r, &o) in &reversal_of {
            if let (Some(&rp), Some(&op)) = (post_of.get(&r), post_of.get(&o)) {
                posts[rp as usize].reverses = Some(op);
                posts[op as usize].reversed_on = Some(posts[rp as usize].date);
            }
        }
        for p in &mut posts {
            let e = &lites[p.entry as usize];
            if e.is_reversal() || e.refs.is_empty() {
                continue;
            }
            p.pays = e
                .refs
                .iter()
                .filter_map(|k| by_key.get(k).and_then(|i| post_of.get(i)))
                .copied()
                .collect::<Vec<_>>()
                .into_boxed_slice();
        }
        // Postings of the same day: sorted by entry order already; reversal dates moved forward
        // keep the order stable by re-sorting on the date alone.
        let mut idx: Vec<u32> = (0..posts.len() as u32).collect();
        idx.sort_by_key(|&p| (posts[p as usize].date, p));
        if idx.iter().enumerate().any(|(n, &p)| n as u32 != p) {
            let mut new_pos = vec![0u32; posts.len()];
            for (n, &p) in idx.iter().enumerate() {
                new_pos[p as usize] = n as u32;
            }
            let remap = |p: u32| new_pos[p as usize];
            let mut sorted: Vec<Post> = idx.iter().map(|&p| posts[p as usize].clone()).collect();
            for p in &mut sorted {
                p.pays = p.pays.iter().map(|&x| remap(x)).collect();
                p.reverses = p.reverses.map(remap);
            }
            posts = sorted;
        }
        Account { posts, standing }
    }

    /// The balance as of the end of `on`.
    pub fn balance(&self, on: Date) -> i64 {
        self.posts.iter().filter(|p| p.date <= on).map(|p| p.amount).sum()
    }

    /// Debits, their open amounts and unapplied credit as of the end of `on`: each credit (in
    /// order) pays the debits it names first, then the oldest open ones; a debit and its reversal
    /// both leave from the reversal's day.
    pub fn position(&self, on: Date) -> Position {
        let live = |p: &Post| p.date <= on && p.reversed_on.is_none_or(|r| r > on) && p.reverses.is_none();
        let mut debits: Vec<Open> = Vec::new();
        let mut at: HashMap<u32, usize> = HashMap::new();
        for (i, p) in self.posts.iter().enumerate() {
            if p.amount > 0 && live(p) {
                at.insert(i as u32, debits.len());
                debits.push(Open {
                    post: i as u32,
                    date: p.date,
                    due: p.due,
                    amount: p.amount,
                    open: p.amount,
                    paid_on: None,
                });
            }
        }
        // Oldest first: by date, then due, then order.
        debits.sort_by_key(|d| (d.date, d.due, d.post));
        for (n, d) in debits.iter().enumerate() {
            at.insert(d.post, n);
        }
        let mut unapplied = 0i64;
        let mut cursor = 0usize;
        for p in self.posts.iter().filter(|p| p.amount < 0 && live(p)) {
            let mut left = -p.amount;
            let pay = |d: &mut Open, left: &mut i64| {
                let take = d.open.min(*left);
                if take > 0 {
                    d.open -= take;
                    *left -= take;
                    if d.open == 0 {
                        d.paid_on = Some(p.date.max(d.date));
                    }
                }
            };
            for target in p.pays.iter() {
                if let Some(&n) = at.get(target) {
                    pay(&mut debits[n], &mut left);
                }
            }
            while left > 0 && cursor < debits.len() {
                if debits[cursor].open == 0 {
                    cursor += 1;
                    continue;
                }
                pay(&mut debits[cursor], &mut left);
            }
            unapplied += left;
        }
        Position { debits, unapplied }
    }
}
