//! ABC analysis (ABC 分析): customers ranked by one indicator of a period or by a weighted score
//! of several, then graded by their cumulative share of the total: A makes the first `cut_a`
//! percent, B the next `cut_b`, C the rest (and every customer with nothing).
//!
//! The weighted score normalises each indicator by its total, so revenue in fen and a count of
//! visits weigh as the manager says: score = Σ weightₖ / Σ weights × valueₖ / totalₖ. A customer's
//! class is decided by the share of the customers ranked before it: the customer whose value
//! crosses the A cut-off is still A.

use super::facts::{Facts, What};
use super::period::Period;
use crate::domain::date::Date;
use crate::domain::i18n::{fill, Locale, Msg};
use crate::domain::model::{AbcClass, AbcGrade, AbcIndicator, CustomerClass, Profile};

/// What to rank by and where to cut.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// Indicators with their weights (percent or any positive numbers; only their ratio counts).
    pub weights: Vec<(AbcIndicator, u16)>,
    pub period: Period,
    pub cut_a: u8,
    pub cut_b: u8,
}

impl Spec {
    /// The checks a manager's spec must pass, each a message.
    pub fn check(&self) -> Result<(), Msg> {
        if self.weights.iter().all(|(_, w)| *w == 0) {
            return Err(Msg::AbcErrNoWeight);
        }
        if self.cut_a == 0 || u16::from(self.cut_a) + u16::from(self.cut_b) > 100 {
            return Err(Msg::AbcErrCuts);
        }
        Ok(())
    }

    /// The weights in use (zero weights dropped).
    pub fn used(&self) -> Vec<(AbcIndicator, u16)> {
        in_use(&self.weights)
    }
}

/// A customer's values of every indicator in a period (money in fen).
pub fn values(facts: &Facts, p: Period) -> Vec<[i64; 6]> {
    let mut v = vec![[0i64; 6]; facts.customers.len()];
    for e in facts.events_in(p.from, p.to) {
        let row = &mut v[e.who as usize];
        match e.what {
            What::Stay { nights, fen } => {
                row[AbcIndicator::Revenue.code() as usize] += fen;
                row[AbcIndicator::Stays.code() as usize] += 1;
                row[AbcIndicator::Nights.code() as usize] += i64::from(nights);
            }
            What::Consumption { covers, fen } => {
                row[AbcIndicator::Revenue.code() as usize] += fen;
                row[AbcIndicator::Covers.code() as usize] += i64::from(covers);
                row[AbcIndicator::Consumptions.code() as usize] += 1;
            }
            What::Visit { .. } => row[AbcIndicator::Visits.code() as usize] += 1,
            _ => {}
        }
    }
    v
}

/// A ranked customer.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub who: u32,
    /// The customer's value of each weighted indicator, in the spec's order.
    pub inputs: Vec<i64>,
    /// The score: the indicator's value (one indicator) or the weighted share (0–1).
    pub score: f64,
    /// Its share of the total score, and the cumulative share up to and including it (0–1).
    pub share: f64,
    pub cumulative: f64,
    pub class: AbcClass,
}

/// Counts and value share of one class.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ClassSum {
    pub customers: u64,
    pub share: f64,
}

/// The analysis: every live customer ranked, and the sums per class (A, B, C).
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub rows: Vec<Ranked>,
    pub classes: [ClassSum; 3],
    pub total: f64,
}

/// Ranks the live customers of `facts` by `spec`.
pub fn analyse(facts: &Facts, spec: &Spec) -> Result<Analysis, Msg> {
    spec.check()?;
    let used = spec.used();
    let values = values(facts, spec.period);
    let col = |i: AbcIndicator| i.code() as usize;
    let single = used.len() == 1;
    let mut totals = vec![0f64; used.len()];
    for (who, _) in facts.live() {
        for (k, (ind, _)) in used.iter().enumerate() {
            totals[k] += values[who as usize][col(*ind)].max(0) as f64;
        }
    }
    let weight_sum: f64 = used.iter().map(|(_, w)| f64::from(*w)).sum();
    let mut rows: Vec<Ranked> = facts
        .live()
        .map(|(who, _)| {
            let v = &values[who as usize];
            let inputs: Vec<i64> = used.iter().map(|(i, _)| v[col(*i)]).collect();
            let score = if single {
                inputs[0].max(0) as f64
            } else {
                used.iter()
                    .zip(&inputs)
                    .zip(&totals)
                    .filter(|(_, t)| **t > 0.0)
                    .map(|(((_, w), x), t)| f64::from(*w) / weight_sum * (*x).max(0) as f64 / t)
                    .sum()
            };
            Ranked { who, inputs, score, share: 0.0, cumulative: 0.0, class: AbcClass::C }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then_with(|| facts.customer(a.who).name.cmp(&facts.customer(b.who).name))
    });
    let total: f64 = rows.iter().map(|r| r.score).sum();
    let (a, b) = (f64::from(spec.cut_a) / 100.0, f64::from(spec.cut_a + spec.cut_b) / 100.0);
    let mut before = 0.0;
    let mut classes = [ClassSum::default(); 3];
    for r in &mut rows {
        r.share = if total > 0.0 { r.score / total } else { 0.0 };
        r.class = if r.score <= 0.0 {
            AbcClass::C
        } else if before < a - 1e-12 {
            AbcClass::A
        } else if before < b - 1e-12 {
            AbcClass::B
        } else {
            AbcClass::C
        };
        before += r.share;
        r.cumulative = before;
        let c = &mut classes[r.class.code() as usize];
        c.customers += 1;
        c.share += r.share;
    }
    Ok(Analysis { rows, classes, total })
}

impl Analysis {
    /// The grade to keep in a customer's profile for row `rank` (0-based) when applied on `on`
    /// by `by`.
    pub fn grade(&self, spec: &Spec, rank: usize, on: Date, by: &str) -> AbcGrade {
        let r = &self.rows[rank];
        let used = spec.used();
        let score = if used.len() == 1 { r.score as i64 } else { (r.score * 1e6).round() as i64 };
        AbcGrade {
            class: r.class,
            on,
            by: by.to_string(),
            from: spec.period.from,
            to: spec.period.to,
            weights: used,
            inputs: r.inputs.clone(),
            score,
            rank: rank as u32 + 1,
            of: self.rows.len() as u32,
            cut_a: spec.cut_a,
            cut_b: spec.cut_b,
            data_updated: None,
        }
    }
}

/// How applying an analysis changes one profile: its grade, and its class when the manager
/// confirmed a mapping from grades to classes.
/// The grade keeps when the profile's own data was last changed (`local`: a moment's local day).
pub fn apply_to(
    p: &mut Profile,
    mut grade: AbcGrade,
    classes: Option<&[CustomerClass; 3]>,
    local: &dyn Fn(i64) -> Date,
) {
    if let Some(map) = classes {
        p.class = map[grade.class.code() as usize];
    }
    grade.data_updated = Some(p.data_updated_at(local));
    p.abc = Some(grade);
}

/// The mapping a manager starts from: A important, B main, C ordinary.
pub const DEFAULT_CLASSES: [CustomerClass; 3] =
    [CustomerClass::Important, CustomerClass::Main, CustomerClass::Ordinary];

/// What a profile held before an analysis was applied to it (the undo puts it back).
#[derive(Clone, Debug, PartialEq)]
pub struct Before {
    pub id: String,
    pub abc: Option<AbcGrade>,
    pub class: CustomerClass,
}

impl Before {
    pub fn of(p: &Profile) -> Before {
        Before { id: p.id.clone(), abc: p.abc.clone(), class: p.class }
    }

    /// Puts the grade and class back (other fields as they are now).
    pub fn restore(&self, p: &mut Profile) {
        p.abc = self.abc.clone();
        p.class = self.class;
    }
}

/// A grade explained in words, in a language, so every device says the same:
/// `A 类 · 排名 1 / 4 · 得分 = 收入占比 × 60% + 入住次数占比 × 40% · 本客户：收入 ¥1,800.00，入住次数 2 ·
/// 2026-11-01 – 2026-12-31 · 2026-12-03 经理 应用`.
pub fn explain(g: &AbcGrade, l: Locale) -> String {
    let formula = formula(&g.weights, l);
    let sep = if l == Locale::Zh { "，" } else { ", " };
    let inputs = g
        .weights
        .iter()
        .zip(&g.inputs)
        .map(|((i, _), v)| format!("{} {}", l.t(i.msg()), input_words(*i, *v)))
        .collect::<Vec<_>>()
        .join(sep);
    fill(l.t(Msg::AbcExplain), &[&l.t(g.class.msg()), &g.rank, &g.of, &formula, &inputs, &g.from, &g.to, &g.on, &g.by])
}

/// How a score is made, in words: `按收入排序`, or `收入占比 × 60% + 入住次数占比 × 40%` (zero weights
/// left out, the others in percent of their sum).
pub fn formula(weights: &[(AbcIndicator, u16)], l: Locale) -> String {
    let used = in_use(weights);
    if let [(i, _)] = used.as_slice() {
        return fill(l.t(Msg::AbcBySingle), &[&l.t(i.msg())]);
    }
    let sum: f64 = used.iter().map(|(_, w)| f64::from(*w)).sum();
    used.iter()
        .map(|(i, w)| fill(l.t(Msg::AbcTerm), &[&l.t(i.msg()), &format!("{:.0}%", f64::from(*w) / sum * 100.0)]))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The weights above zero, in their order.
fn in_use(weights: &[(AbcIndicator, u16)]) -> Vec<(AbcIndicator, u16)> {
    weights.iter().copied().filter(|(_, w)| *w > 0).collect()
}

/// An indicator's value in words: money in yuan, counts as numbers.
pub fn input_words(i: AbcIndicator, v: i64) -> String {
    if i == AbcIndicator::Revenue {
        super::dashboard::yuan(v)
    } else {
        super::dashboard::group(v)
    }
}
